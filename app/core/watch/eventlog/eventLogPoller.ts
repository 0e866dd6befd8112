import { systemClock, type Clock } from '../../../common/clock.ts';
import { diagnostic, type DiagnosticSink } from '../../../common/diagnostic.ts';
import type { Signal } from '../../../common/signal.ts';
import type { ProfileApps } from '../wer/profileApps.ts';
import type { EventLogSource } from './eventLogReader.ts';
import { Poller } from '../../polling/poller.ts';
import { EventRecordGate } from './eventRecordGate.ts';

export interface EventLogPollerOptions {
  source: EventLogSource;
  profiles: readonly ProfileApps[];
  onSignal: (signal: Signal) => void;
  onDiagnostic?: DiagnosticSink;
  /** Default 2000 ms. */
  intervalMs?: number;
  /** Events created before this are never emitted; default: the clock's now at construction. */
  sinceMs?: number;
  /**
   * Each query reaches back this far behind the newest event seen (default 5 s): events are not
   * always committed in TimeCreated order, and the record-id memory makes the overlap harmless.
   */
  overlapMs?: number;
  clock?: Clock;
  /** Shared with another reader of the same log (the subscription this poll replaces); then profiles, sinceMs, overlapMs and onSignal are the gate's. */
  gate?: EventRecordGate;
}

/**
 * Polls an EventLogSource and emits each crash or hang event of a watched client once; the gate
 * keeps the high-water mark (newest TimeCreated seen) and remembers the events inside the overlap.
 */
export class EventLogPoller {
  private readonly options: EventLogPollerOptions;
  private readonly gate: EventRecordGate;
  private readonly poller: Poller;

  constructor(options: EventLogPollerOptions) {
    this.options = options;
    this.gate =
      options.gate ??
      new EventRecordGate({
        profiles: options.profiles,
        sinceMs: options.sinceMs ?? (options.clock ?? systemClock).now(),
        ...(options.overlapMs !== undefined ? { overlapMs: options.overlapMs } : {}),
        onSignal: options.onSignal,
      });
    this.poller = new Poller({
      round: () => this.pollOnce(),
      intervalMs: options.intervalMs ?? 2000,
      onError: (error) => this.options.onDiagnostic?.(diagnostic('eventlog', 'eventlog-poll-failed', `event log poll failed: ${error instanceof Error ? error.message : String(error)}`)),
    });
  }

  start(): void {
    this.poller.start();
  }

  async stop(): Promise<void> {
    await this.poller.stop();
  }

  /** One query: emits and returns the new signals. Throws what the source throws. */
  async pollOnce(): Promise<Signal[]> {
    return this.gate.admit(await this.options.source.query(this.gate.queryFrom()));
  }
}
