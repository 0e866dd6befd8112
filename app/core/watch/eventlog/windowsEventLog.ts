import type { Clock } from '../../../common/clock.ts';
import type { Signal } from '../../../common/signal.ts';
import type { CommandResult } from '../commandRunner.ts';
import type { ProfileApps } from '../wer/profileApps.ts';
import { EventLogPoller } from './eventLogPoller.ts';
import { crashEventsXPath, type EventLogSource } from './eventLogReader.ts';
import { parseEventElement, type EventRecord } from './eventLogXml.ts';
import { EventRecordGate } from './eventRecordGate.ts';

/** What the subscription reports; events arrive as the XML EvtRender gives, one string per event. */
export interface EventLogSubscriptionCallbacks {
  onEvents: (xml: readonly string[]) => void;
  /** One event could not be rendered: it is skipped, the rest go on. */
  onProblem: (message: string) => void;
  /** The subscription stopped delivering (EvtNext failed, the wait failed): said once. */
  onFailed: (message: string) => void;
}

export interface EventLogSubscription {
  close(): Promise<void>;
}

/** Opens a subscription to the channel for the query, or throws why not (Wine: EvtSubscribe is a stub). */
export type SubscribeEventLog = (channel: string, query: string, callbacks: EventLogSubscriptionCallbacks) => Promise<EventLogSubscription>;

/** Whether this machine has an Event Log to read, from `wevtutil gli Application`. */
export type EventLogPresence = 'present' | 'absent';

/**
 * `wevtutil gli Application` on Windows prints the log's facts (creationTime, numberOfLogRecords…);
 * an error (access denied, a policy) is printed too, and means a log exists that wevtutil may yet
 * read or report on. Wine's wevtutil prints nothing at all, and a wevtutil that cannot be started
 * prints nothing either: there is no Event Log to poll.
 */
export function eventLogPresence(result: CommandResult): EventLogPresence {
  return result.stdout.trim() === '' && result.stderr.trim() === '' ? 'absent' : 'present';
}

/** Said once when there is no Event Log; `why` is the subscription's failure (Wine: "EvtSubscribe failed (Windows error 0)"). */
export function eventLogMissing(why: string): string {
  return `the Windows Event Log is not available on this machine (${why}; wevtutil finds no Application log); crashes are still seen from the process and Windows Error Reporting`;
}

export type EventLogReading = { kind: 'subscription' } | { kind: 'poll'; why: string } | { kind: 'absent'; why: string };

/**
 * How the Application log is read: pushed by EvtSubscribe when Windows gives a subscription; else,
 * when the log exists, by polling wevtutil as before; else not at all (looked for again later).
 */
export async function eventLogReading(subscribed: { ok: true } | { ok: false; error: string }, presence: () => Promise<EventLogPresence>): Promise<EventLogReading> {
  if (subscribed.ok) return { kind: 'subscription' };
  return { kind: (await presence()) === 'absent' ? 'absent' : 'poll', why: subscribed.error };
}

export interface WindowsEventLogOptions {
  subscribe: SubscribeEventLog;
  /** wevtutil qe, for when there is no subscription. */
  wevtutil: EventLogSource;
  /** wevtutil gli Application, asked once before polling and every `recheckMs` while there is no log. */
  presence: () => Promise<EventLogPresence>;
  profiles: readonly ProfileApps[];
  sinceMs: number;
  onSignal: (signal: Signal) => void;
  onDiagnostic: (message: string) => void;
  clock: Clock;
  channel?: string;
  /** The wevtutil poll's interval; default 2000 ms. */
  pollIntervalMs?: number;
  /** How often a machine without an Event Log is looked at again; default 10 minutes. */
  recheckMs?: number;
}

/**
 * The Application log on Windows, crash and hang events of the watched clients, each once. Nothing
 * is read twice and nothing is missed across a watcher restart by the same rule as the wevtutil
 * poll: the query starts at the watch's start time (`sinceMs`, the same for every watcher the
 * service starts), the gate drops an event it has let through (record id and creation time), and
 * the note side drops a signal it already holds by its key. No bookmark file: a bookmark would be a
 * second record of "where we are" beside sinceMs, and one that goes stale when the log is cleared.
 */
export class WindowsEventLog {
  private readonly options: WindowsEventLogOptions;
  private readonly gate: EventRecordGate;
  private subscription: EventLogSubscription | null = null;
  private poller: EventLogPoller | null = null;
  private recheck: ReturnType<typeof setTimeout> | null = null;
  private looking: Promise<void> | null = null;
  private stopped = false;

  constructor(options: WindowsEventLogOptions) {
    this.options = options;
    this.gate = new EventRecordGate({ profiles: options.profiles, sinceMs: options.sinceMs, onSignal: options.onSignal });
  }

  /** How the log is being read now (tests and the status line). */
  get mode(): 'subscription' | 'poll' | 'absent' | 'starting' | 'stopped' {
    if (this.stopped) return 'stopped';
    if (this.subscription) return 'subscription';
    if (this.poller) return 'poll';
    return this.recheck ? 'absent' : 'starting';
  }

  start(): void {
    this.looking ??= this.look(true);
  }

  /** Resolves once the latest look (subscription, poll or no log) has been decided. */
  async ready(): Promise<void> {
    await this.looking;
  }

  /** Subscribe; else poll if there is a log; else say so (the first time) and look again later. */
  private async look(first: boolean): Promise<void> {
    try {
      const reading = await eventLogReading(await this.trySubscribe(), this.options.presence);
      if (this.stopped) return;
      const every = `${(this.options.pollIntervalMs ?? 2000) / 1000} s`;
      if (reading.kind === 'subscription') {
        if (!first) this.options.onDiagnostic('the Windows Event Log is available now: reading it');
      } else if (reading.kind === 'poll') {
        this.options.onDiagnostic(`${first ? 'the' : 'the Windows Event Log is available now, but the'} Event Log subscription is unavailable (${reading.why}): reading the Event Log with wevtutil every ${every} instead`);
        this.startPolling();
      } else {
        if (first) this.options.onDiagnostic(eventLogMissing(reading.why));
        this.scheduleRecheck();
      }
    } catch (error) {
      this.options.onDiagnostic(`looking for the Windows Event Log failed: ${error instanceof Error ? error.message : String(error)}`);
      this.scheduleRecheck();
    }
  }

  /** No log: look again later (an Event Log service started since), subscribing first as at the start. */
  private scheduleRecheck(): void {
    if (this.stopped) return;
    this.recheck = setTimeout(() => {
      this.recheck = null;
      this.looking = this.look(false);
    }, this.options.recheckMs ?? 10 * 60_000);
  }

  private async trySubscribe(): Promise<{ ok: true } | { ok: false; error: string }> {
    try {
      this.subscription = await this.options.subscribe(this.options.channel ?? 'Application', crashEventsXPath(this.gate.sinceMs), {
        onEvents: (xml) => this.gate.admit(this.records(xml)),
        onProblem: (message) => this.options.onDiagnostic(`an Event Log event skipped: ${message}`),
        onFailed: (message) => void this.subscriptionFailed(message),
      });
      return { ok: true };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  }

  private records(xml: readonly string[]): EventRecord[] {
    const records: EventRecord[] = [];
    for (const element of xml) {
      const parsed = parseEventElement(element);
      if (typeof parsed === 'string') this.options.onDiagnostic(`an Event Log event skipped: ${parsed}`);
      else records.push(parsed);
    }
    return records;
  }

  /** A subscription that stopped hands over to the poll, which starts where it left off (the shared gate). */
  private async subscriptionFailed(message: string): Promise<void> {
    const subscription = this.subscription;
    this.subscription = null;
    await subscription?.close().catch(() => undefined);
    if (this.stopped) return;
    this.options.onDiagnostic(`the Event Log subscription stopped (${message}); reading the Event Log with wevtutil instead`);
    this.startPolling();
  }

  private startPolling(): void {
    this.poller = new EventLogPoller({
      source: this.options.wevtutil,
      profiles: this.options.profiles,
      onSignal: this.options.onSignal,
      onDiagnostic: (d) => this.options.onDiagnostic(d.message),
      gate: this.gate,
      clock: this.options.clock,
      ...(this.options.pollIntervalMs !== undefined ? { intervalMs: this.options.pollIntervalMs } : {}),
    });
    this.poller.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.looking;
    if (this.recheck) clearTimeout(this.recheck);
    this.recheck = null;
    await this.poller?.stop();
    await this.subscription?.close();
    this.subscription = null;
  }
}
