import { diagnostic, type Diagnostic } from '../../common/diagnostic.ts';
import type { Incident } from '../../common/incident.ts';
import type { Signal } from '../../common/signal.ts';
import {
  channelProblem,
  FromWatcherSchema,
  type BusyOperation,
  type CaptureStatus,
  type CaptureSwitches,
  type FromWatcher,
  type RunningClient,
  type ToWatcher,
  type WatcherInit,
} from '../../common/watcherChannel.ts';
import { RestartPolicy, type RestartPolicyOptions } from './restartPolicy.ts';
import { SignalLedger } from './signalLedger.ts';
import { describeBusy } from './sourceActivity.ts';
import type { WatcherLauncher, WatcherProcess } from './watcherLauncher.ts';

export type WatcherStateName = 'starting' | 'running' | 'restarting' | 'failing' | 'stopped';

export interface WatcherState {
  state: WatcherStateName;
  /** Why it is not running, in words for IT (never patient data); null when running. */
  reason: string | null;
  /** Times the watcher was started again since Lifeboat started. */
  restarts: number;
}

type CapturedDraft = Extract<FromWatcher, { type: 'captured' }>['draft'];

/** What the note side does with what the watcher reports. */
export interface WatcherEvents {
  signal(signal: Signal): void;
  /** Keeps captured text; throws when it could not (the watcher tries again). */
  captured(draft: CapturedDraft, origin: 'capture' | 'clipboard'): void;
  outage(outage: Extract<FromWatcher, { type: 'outage' }>['outage']): void;
  diagnostic(diagnostic: Diagnostic): void;
  ready(capture: CaptureStatus): void;
  /**
   * The clients the watcher sees running, on every heartbeat once it has listed processes.
   * `firstAfterRestart`: the first such list from a watcher that replaced one, so the note side
   * can tell which clients ended while no watcher was looking.
   */
  running(clients: RunningClient[], firstAfterRestart: boolean): void;
  state(state: WatcherState): void;
}

export interface WatcherSupervisorOptions {
  launch: WatcherLauncher;
  /** Built for every start: capture switches as they are now. */
  init: () => WatcherInit;
  events: WatcherEvents;
  /** No heartbeat (or any message) for this long: the watcher is hung and is killed. Default 10 s. */
  heartbeatTimeoutMs?: number;
  /** Time a new watcher has to start answering (loading its code on a slow PC). Default 30 s. */
  startTimeoutMs?: number;
  restart?: RestartPolicyOptions;
  /** Whether incidents go to the watcher at all (syslog or a practice share configured), as the config says now. */
  forwardIncidents: () => boolean;
  /** Most incident changes held while the watcher is down. */
  maxPendingIncidents?: number;
}

/**
 * The note side's end of the watcher: starts it, listens to it, restarts it with back-off when it
 * dies or stops answering (a heartbeat every second; none for 10 s and it is killed), names the
 * source that was busy when it hung, and tells the note side's notify policy only when it keeps
 * failing. Everything it hands on is parsed first (zod, common/watcherChannel.ts). Nothing in
 * here waits for the watcher: sends are fire-and-forget and what must survive a restart (incidents
 * for syslog and the practice share) is kept until the watcher says it has it.
 */
export class WatcherSupervisor {
  private readonly options: WatcherSupervisorOptions;
  private readonly policy: RestartPolicy;
  private readonly ledger = new SignalLedger();
  private child: WatcherProcess | null = null;
  private generation = 0;
  private restarts = 0;
  private lastMessageAt = 0;
  private launchedAt = 0;
  private isReady = false;
  private sawListing = false;
  private lastBusy: BusyOperation[] = [];
  private stderrTail: string[] = [];
  private killedFor: string | null = null;
  private watchdog: ReturnType<typeof setInterval> | null = null;
  private restartTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private state: WatcherState = { state: 'starting', reason: null, restarts: 0 };
  private readonly pendingIncidents: Array<{ seq: number; incident: Incident; change: 'opened' | 'updated' | 'closed' }> = [];
  private nextIncidentSeq = 1;
  private readyWaiters: Array<() => void> = [];
  private captureSwitches: CaptureSwitches | null = null;

  constructor(options: WatcherSupervisorOptions) {
    this.options = options;
    this.policy = new RestartPolicy(options.restart);
  }

  /** Starts the watcher (see whenReady). */
  start(): void {
    this.launch();
    this.watchdog = setInterval(() => this.checkAlive(), Math.min(1000, Math.max(50, Math.floor((this.options.heartbeatTimeoutMs ?? 10_000) / 4))));
    this.watchdog.unref();
  }

  /** Resolves true once a watcher is ready, false after `timeoutMs`. */
  whenReady(timeoutMs: number): Promise<boolean> {
    if (this.isReady) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.readyWaiters = this.readyWaiters.filter((w) => w !== done);
        resolve(false);
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      this.readyWaiters.push(done);
    });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get ready(): boolean {
    return this.isReady;
  }

  current(): WatcherState {
    return this.state;
  }

  /** What the watcher was busy with at its last heartbeat, longest first. */
  busy(): BusyOperation[] {
    return this.lastBusy;
  }

  /** The capture switches changed: tell the running watcher, and every one started later (via init). */
  setCapture(switches: CaptureSwitches): void {
    this.captureSwitches = switches;
    this.send({ type: 'capture-settings', capture: switches });
  }

  /** Health turned for the worse: capture what the client's editor holds, if a watcher is there to. */
  snapshotNow(): void {
    this.send({ type: 'snapshot-now' });
  }

  /** An incident for syslog and the practice share: kept until the watcher confirms it. */
  forwardIncident(incident: Incident, change: 'opened' | 'updated' | 'closed'): void {
    if (!this.options.forwardIncidents()) return;
    const entry = { seq: this.nextIncidentSeq++, incident, change };
    this.pendingIncidents.push(entry);
    const max = this.options.maxPendingIncidents ?? 1000;
    if (this.pendingIncidents.length > max) {
      const dropped = this.pendingIncidents.splice(0, this.pendingIncidents.length - max);
      this.options.events.diagnostic(diagnostic('watcher', 'watcher-incidents-not-forwarded', `${dropped.length} incident change(s) not forwarded to syslog or the practice share: the watcher has been down too long`));
    }
    if (this.isReady) this.send({ type: 'incident', ...entry });
  }

  /** The capture switches a new watcher starts with. */
  captureFor(init: WatcherInit): WatcherInit {
    return this.captureSwitches ? { ...init, capture: this.captureSwitches } : init;
  }

  private send(message: ToWatcher): void {
    this.child?.send(message);
  }

  private setState(state: WatcherStateName, reason: string | null): void {
    this.state = { state, reason, restarts: this.restarts };
    this.options.events.state(this.state);
  }

  private launch(): void {
    if (this.stopped) return;
    const generation = ++this.generation;
    this.isReady = false;
    this.sawListing = false;
    this.killedFor = null;
    this.lastBusy = [];
    this.stderrTail = [];
    this.launchedAt = this.lastMessageAt = performance.now();
    let child: WatcherProcess;
    try {
      child = this.options.launch();
    } catch (err) {
      this.failed(generation, `the watcher could not be started: ${(err as Error).message}`);
      return;
    }
    this.child = child;
    child.onMessage((raw) => {
      if (generation === this.generation) this.receive(raw);
    });
    child.onStderr((line) => {
      this.stderrTail = [...this.stderrTail.slice(-4), line.slice(0, 300)];
    });
    child.onExit(({ code, signal }) => {
      if (generation !== this.generation) return;
      this.child = null;
      if (this.stopped) return;
      const why = this.killedFor ?? `the watcher process ended (${signal ? `signal ${signal}` : `exit code ${code}`})${this.stderrTail.length ? `: ${this.stderrTail.at(-1)}` : ''}`;
      this.failed(generation, why);
    });
    child.send({ type: 'init', init: this.captureFor(this.options.init()) });
  }

  private failed(generation: number, why: string): void {
    if (generation !== this.generation || this.stopped) return;
    this.isReady = false;
    const decision = this.policy.failed(performance.now());
    this.restarts++;
    this.options.events.diagnostic(diagnostic('watcher', 'watcher-restarting', `${why}; starting it again${decision.delayMs > 0 ? ` in ${decision.delayMs / 1000} s` : ''}`));
    this.setState(decision.failing ? 'failing' : 'restarting', why);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.launch();
    }, decision.delayMs);
    this.restartTimer.unref();
  }

  /** The watchdog: a watcher that stopped answering is killed (and started again by onExit). */
  private checkAlive(): void {
    const child = this.child;
    if (!child || this.killedFor !== null || this.stopped) return;
    const now = performance.now();
    const silentFor = now - this.lastMessageAt;
    const limit = this.isReady || now - this.launchedAt > (this.options.startTimeoutMs ?? 30_000) ? (this.options.heartbeatTimeoutMs ?? 10_000) : (this.options.startTimeoutMs ?? 30_000);
    if (silentFor <= limit) return;
    const busy = this.lastBusy.length > 0 ? `busy at its last heartbeat: ${this.lastBusy.slice(0, 3).map(describeBusy).join('; ')}` : 'nothing was busy at its last heartbeat';
    this.killedFor = `the watcher stopped answering for ${Math.round(silentFor / 1000)} s (${busy})`;
    child.kill();
  }

  private receive(raw: unknown): void {
    this.lastMessageAt = performance.now();
    const parsed = FromWatcherSchema.safeParse(raw);
    if (!parsed.success) {
      this.options.events.diagnostic(diagnostic('watcher', 'watcher-message-ignored', `a message from the watcher was ignored: ${channelProblem(parsed.error)}`));
      return;
    }
    const message = parsed.data;
    const { events } = this.options;
    switch (message.type) {
      case 'ready': {
        const restarted = this.generation > 1;
        this.isReady = true;
        this.policy.started(performance.now());
        this.setState('running', null);
        events.ready(message.capture);
        // What the last watcher had not confirmed, this one gets (syslog and the share dedupe by id).
        for (const entry of this.pendingIncidents) this.send({ type: 'incident', ...entry });
        if (restarted) events.diagnostic(diagnostic('watcher', 'watcher-recovered', `the watcher is watching again (restart ${this.restarts})`));
        for (const waiter of this.readyWaiters.splice(0)) waiter();
        return;
      }
      case 'heartbeat': {
        this.lastBusy = message.busy;
        if (this.policy.recovered(performance.now())) {
          events.diagnostic(diagnostic('watcher', 'watcher-recovered', 'the watcher is running normally again'));
          this.setState('running', null);
        }
        if (message.processPolls > 0) {
          events.running(message.running, !this.sawListing && this.generation > 1);
          this.sawListing = true;
        }
        return;
      }
      case 'signal':
        if (message.key !== undefined && !this.ledger.firstTime(message.key, performance.now())) return;
        events.signal(message.signal);
        return;
      case 'captured': {
        let error: string | null = null;
        try {
          events.captured(message.draft, message.origin);
        } catch (err) {
          error = ((err as Error).message || 'not saved').slice(0, 500);
        }
        this.send({ type: 'saved', requestId: message.requestId, error });
        return;
      }
      case 'outage':
        events.outage(message.outage);
        return;
      case 'diagnostic':
        events.diagnostic(message.diagnostic);
        return;
      case 'incident-done': {
        const index = this.pendingIncidents.findIndex((e) => e.seq > message.seq);
        this.pendingIncidents.splice(0, index === -1 ? this.pendingIncidents.length : index);
        return;
      }
      case 'stopped':
        return;
    }
  }

  /**
   * Replaces the running watcher with one started from a fresh init: the config changed in a way
   * only a new watcher can apply (another client profile, other log folders). The old one stops
   * cleanly (log offsets saved, queues flushed); this is not a failure and costs no back-off.
   */
  async restart(reason: string, graceMs = 5000): Promise<void> {
    if (this.stopped) return;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const child = this.child;
    this.child = null;
    // Whatever the old watcher still says or does is no longer this generation's.
    this.generation++;
    this.isReady = false;
    this.options.events.diagnostic(diagnostic('watcher', 'watcher-reconfigured', `starting the watcher again: ${reason}`));
    this.setState('restarting', reason);
    if (child) await stopChild(child, graceMs);
    this.launch();
  }

  /** Asks the watcher to stop (it saves its log offsets and flushes its queues); kills it after `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.watchdog) clearInterval(this.watchdog);
    if (this.restartTimer) clearTimeout(this.restartTimer);
    for (const waiter of this.readyWaiters.splice(0)) waiter();
    const child = this.child;
    if (child) await stopChild(child, graceMs);
    this.child = null;
    this.setState('stopped', null);
  }
}

async function stopChild(child: WatcherProcess, graceMs: number): Promise<void> {
  const exited = new Promise<void>((resolve) => child.onExit(() => resolve()));
  child.send({ type: 'stop' });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
  if ((await Promise.race([exited, late])) === 'late') {
    child.kill();
    await exited;
  }
  clearTimeout(timer);
}
