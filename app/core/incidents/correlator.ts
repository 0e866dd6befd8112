import type { Clock } from '../../common/clock.ts';
import type { HealthState, Incident, IncidentKind } from '../../common/incident.ts';
import type { Signal } from '../../common/signal.ts';
import { CRASHED_HOLD_MS, nextHealth, type HealthEvent } from './healthMachine.ts';
import { appKey, incidentId } from './incidentId.ts';
import { TrackedIncident } from './trackedIncident.ts';

export type IncidentChange = 'opened' | 'updated' | 'closed';

export interface CorrelatorOptions {
  clock: Clock;
  /** How far apart (signal times) the log, WER, Event Log and process views of one crash may be. */
  dedupeWindowMs?: number;
  /** A slow episode (or a hang known only from the log) ends after this long with no new signal. */
  quietMs?: number;
  crashedHoldMs?: number;
  /** 'not-running' until the process probe reports a start; pass 'ok' when there is no probe. */
  initialHealth?: HealthState;
  workstation?: string;
  onIncident?: (incident: Incident, change: IncidentChange) => void;
  onHealth?: (state: HealthState, previous: HealthState, reason: string) => void;
}

export interface HealthStatus {
  state: HealthState;
  since: number;
  reason: string;
}

/** What the correlator remembers about one clinical client executable. */
interface AppState {
  running: boolean | null;
  /** Start times (signal time): a start between two signals means they concern different processes. */
  starts: number[];
  /** Clock time the last exit was ingested: the crashed → not-running hold counts from here. */
  exitSeenAt: number | null;
  /** Signal time of a logged normal shutdown (normalExit pattern), waiting for the process exit. */
  shutdownAnnouncedAt: number | null;
  /** A clean exit that opened no incident, kept in case crash evidence for it arrives late. */
  unclaimedExit: Signal | null;
  /** The latest hang incident (open, or closed but still able to take late reports). */
  hang: TrackedIncident | null;
  /** Whether a live source (process probe, window probe) has seen the current hang: only they report its end. */
  hangConfirmedLive: boolean;
  slow: TrackedIncident | null;
  /** Crash and exit incidents that may still take evidence or are waiting for the restart. */
  crashes: TrackedIncident[];
}

const LIVE_HANG_SOURCES = new Set<Signal['source']>(['process', 'window']);
/** WER AppHang and Event 1002 are written when a hung window was closed: they describe a hang that is over. */
const AFTER_THE_FACT_SOURCES = new Set<Signal['source']>(['wer', 'eventlog']);

/**
 * Folds signals from every source into incidents and one health state.
 *
 * Dedupe rule (crash and exit): a crash or exit signal joins an existing crash/exit incident of
 * the same executable (".exe" and case ignored) when its time is within dedupeWindowMs of the
 * signal that opened the incident, both have the same pid where both know one, no start of that
 * executable lies between them, and (for an exit) the incident has no process exit yet. So the log
 * record, the WER report (whose EventTime may precede the exit), the Event Log entries and the
 * process exit of one crash make one incident; two crashes minutes apart, or either side of a
 * restart, make two. startedAt is the earliest evidence; the id is fixed when it opens.
 *
 * - exit code 0, or a logged normal shutdown before it (a non-process exit signal with exit code 0):
 *   no incident. Non-zero or unknown exit code: an 'exit' incident at once, upgraded in place to
 *   'crash' when crash evidence joins it.
 * - hang: one incident from the first hang signal to 'responsive' or exit (endedAt). When a hung
 *   client then exits or crashes, the hang incident is closed and kept, a separate exit/crash
 *   incident opens, and each carries a line naming the other: a hang and a crash are different
 *   faults for a supplier, even when one follows the other.
 * - slow: one incident per episode, closed quietMs after its last slow signal, or when a hang of
 *   the same process begins (a slowdown that became a hang ends there).
 * - health back to ok closes whatever slow or hang episode of that client is still open, so no
 *   screen says "running normally" beside an ongoing slowdown.
 * - crash and exit incidents end (endedAt) when the client starts again, which gives downtime.
 * - health moves only on signals no older than the window, and each incident turns it "crashed"
 *   at most once (a WER report landing after the crash settled does not raise it again).
 *
 * No timers of its own: the service calls tick() every second.
 */
export class Correlator {
  private readonly clock: Clock;
  private readonly window: number;
  private readonly quietMs: number;
  private readonly crashedHoldMs: number;
  private readonly workstation: string | undefined;
  private readonly onIncident: NonNullable<CorrelatorOptions['onIncident']>;
  private readonly onHealth: NonNullable<CorrelatorOptions['onHealth']>;
  private readonly apps = new Map<string, AppState>();
  private readonly usedIds = new Set<string>();
  private status: HealthStatus;
  /** Which client crashed and when (clock time), for the crashed → not-running hold. */
  private crashed: { key: string; app: string; at: number } | null = null;

  constructor(options: CorrelatorOptions) {
    this.clock = options.clock;
    this.window = options.dedupeWindowMs ?? 60_000;
    this.quietMs = options.quietMs ?? 30_000;
    this.crashedHoldMs = options.crashedHoldMs ?? CRASHED_HOLD_MS;
    this.workstation = options.workstation;
    this.onIncident = options.onIncident ?? (() => {});
    this.onHealth = options.onHealth ?? (() => {});
    this.status = { state: options.initialHealth ?? 'not-running', since: this.clock.now(), reason: 'Lifeboat started' };
  }

  health(): HealthState {
    return this.status.state;
  }

  healthStatus(): HealthStatus {
    return { ...this.status };
  }

  ingest(signal: Signal): void {
    const key = appKey(signal.app) || signal.profile;
    const app = this.appState(key);
    switch (signal.kind) {
      case 'start':
        return this.onStart(signal, key, app);
      case 'exit':
        return this.onExit(signal, key, app);
      case 'crash':
        return this.onCrash(signal, key, app);
      case 'hang':
        return this.onHang(signal, key, app);
      case 'responsive':
        return this.onResponsive(signal, key, app);
      case 'slow':
        return this.onSlow(signal, key, app);
    }
  }

  /** Ends quiet episodes, lets "crashed" settle to "not running", forgets what can no longer join. */
  tick(): void {
    const now = this.clock.now();
    for (const [key, app] of this.apps) {
      if (app.slow?.open && now - app.slow.lastAt >= this.quietMs) {
        this.close(app.slow, app.slow.lastAt);
        this.applyHealth({ type: 'slow-ended', app: app.slow.app }, key);
      }
      if (app.hang?.open && !app.hangConfirmedLive && now - app.hang.lastAt >= this.quietMs) {
        this.close(app.hang, app.hang.lastAt);
        this.applyHealth({ type: 'responsive', app: app.hang.app }, key);
      }
      this.forget(app, now);
    }
    if (this.status.state === 'crashed' && this.crashed) {
      const app = this.apps.get(this.crashed.key);
      const goneSince = Math.max(this.crashed.at, app?.exitSeenAt ?? this.crashed.at);
      if (app?.running !== true && now - goneSince >= this.crashedHoldMs) {
        this.applyHealth({ type: 'settled', app: this.crashed.app }, this.crashed.key);
      }
    }
  }

  /** End of input (offline scan, shutdown): close the episodes that only time would have closed. */
  flush(): void {
    for (const app of this.apps.values()) {
      if (app.slow?.open) this.close(app.slow, app.slow.lastAt);
      if (app.hang?.open && !app.hangConfirmedLive) this.close(app.hang, app.hang.lastAt);
    }
  }

  private onStart(signal: Signal, key: string, app: AppState): void {
    app.running = true;
    insertSorted(app.starts, signal.at);
    app.shutdownAnnouncedAt = null;
    app.unclaimedExit = null;
    for (const incident of app.crashes) {
      if (!incident.awaitingRestart || incident.startedAt > signal.at) continue;
      incident.note(signal.at, `${signal.app} started again`);
      this.close(incident, signal.at);
    }
    // A new process means the old one, hung or slow, is gone.
    if (app.hang?.open) {
      app.hang.note(signal.at, `${signal.app} started again`);
      this.close(app.hang, signal.at);
    }
    if (app.slow?.open) this.close(app.slow, app.slow.lastAt);
    this.applyHealth({ type: 'start', app: signal.app }, key, signal);
  }

  private onExit(signal: Signal, key: string, app: AppState): void {
    if (signal.source !== 'process' && signal.exitCode === 0) {
      app.shutdownAnnouncedAt = signal.at;
      return;
    }
    const announced =
      app.shutdownAnnouncedAt !== null && Math.abs(signal.at - app.shutdownAnnouncedAt) <= this.window && !this.restartedBetween(app, app.shutdownAnnouncedAt, signal.at);
    const clean = signal.exitCode === 0 || announced ? true : signal.exitCode === null || signal.exitCode === undefined ? null : false;
    app.running = false;
    app.exitSeenAt = this.clock.now();
    app.shutdownAnnouncedAt = null;

    const hang = app.hang?.open ? app.hang : null;
    if (hang) {
      hang.absorb(signal);
      this.close(hang, signal.at);
    }
    // The slow episode ended at the exit, or earlier if it had already gone quiet.
    if (app.slow?.open) this.close(app.slow, Math.min(signal.at, app.slow.lastAt + this.quietMs));

    let incident = this.findCrashPartner(app, signal);
    if (incident) {
      if (incident.absorb(signal)) this.emit(incident, 'updated');
    } else if (clean === true) {
      app.unclaimedExit = signal;
    } else {
      incident = this.openCrashOrExit('exit', signal, key, app);
    }
    this.applyHealth({ type: 'exit', app: signal.app, clean, exitCode: signal.exitCode ?? null }, key, signal);
    if (incident && this.status.state === 'crashed') incident.shownAsCrash = true;
  }

  private onCrash(signal: Signal, key: string, app: AppState): void {
    let incident = this.findCrashPartner(app, signal);
    if (incident) {
      const upgraded = incident.kind === 'exit';
      if (upgraded) incident.kind = 'crash';
      if (incident.absorb(signal) || upgraded) this.emit(incident, 'updated');
    } else {
      incident = this.openCrashOrExit('crash', signal, key, app);
    }
    // The WER report or Event Log entry of a crash already on show must not raise it a second time.
    if (incident.shownAsCrash) return;
    this.applyHealth({ type: 'crash', app: signal.app }, key, signal);
    if (this.status.state === 'crashed') incident.shownAsCrash = true;
  }

  private onHang(signal: Signal, key: string, app: AppState): void {
    const live = LIVE_HANG_SOURCES.has(signal.source);
    const current = app.hang;
    const joinable =
      current !== null &&
      current.pidMatches(signal.pid) &&
      !this.restartedBetween(app, current.startedAt, signal.at) &&
      (current.open || (AFTER_THE_FACT_SOURCES.has(signal.source) && signal.at >= current.startedAt - this.window && signal.at <= (current.endedAt ?? current.lastAt) + this.window));
    if (joinable) {
      if (current.absorb(signal)) this.emit(current, 'updated');
      if (live && current.open) app.hangConfirmedLive = true;
      // The window probe dates a hang from the ping it sent, a moment before the process probe
      // saw it: the slowdown that became this hang ends at the earlier time too.
      const slow = app.slow;
      if (slow && !slow.open && slow.endedAt !== null && slow.endedAt > current.startedAt && slow.endedAt <= current.anchorAt) {
        slow.endedAt = Math.max(slow.startedAt, current.startedAt);
        this.emit(slow, 'updated');
      }
    } else {
      const incident = this.openIncident('hang', signal, key);
      app.hang = incident;
      app.hangConfirmedLive = live;
      // A report of a hang was written when the hung window was closed: that hang is already over.
      if (AFTER_THE_FACT_SOURCES.has(signal.source)) incident.close(signal.at);
      this.emit(incident, 'opened');
    }
    // A slowdown that became a hang ends where the hang begins: left open, it would run on through
    // the hang ("slow for 25 s" for 6 s of slowness) and still be open once health is back to ok.
    const slow = app.slow;
    const hangStart = app.hang!.startedAt;
    if (live && slow?.open && slow.pidMatches(signal.pid) && signal.at >= slow.startedAt) {
      slow.note(signal.at, `became a hang (incident ${app.hang!.id})`);
      // Where the hang began, which a log line may date before this live signal.
      this.close(slow, Math.max(slow.startedAt, Math.min(hangStart, slow.lastAt + this.quietMs)));
    }
    if (!AFTER_THE_FACT_SOURCES.has(signal.source)) this.applyHealth({ type: 'hang', app: signal.app }, key, signal);
  }

  private onResponsive(signal: Signal, key: string, app: AppState): void {
    const hang = app.hang;
    if (hang?.open && hang.pidMatches(signal.pid)) {
      hang.absorb(signal);
      this.close(hang, signal.at);
    }
    this.applyHealth({ type: 'responsive', app: signal.app }, key, signal);
  }

  private onSlow(signal: Signal, key: string, app: AppState): void {
    let episode = app.slow;
    // Signals replayed offline arrive without ticks in between: a long gap ends the episode here.
    if (episode?.open && signal.at - episode.lastAt >= this.quietMs) {
      this.close(episode, episode.lastAt);
      episode = null;
    }
    if (episode?.open && episode.pidMatches(signal.pid)) {
      if (episode.absorb(signal)) this.emit(episode, 'updated');
    } else {
      app.slow = this.openIncident('slow', signal, key);
      this.emit(app.slow, 'opened');
    }
    this.applyHealth({ type: 'slow', app: signal.app }, key, signal);
  }

  private openCrashOrExit(kind: 'crash' | 'exit', signal: Signal, key: string, app: AppState): TrackedIncident {
    const incident = this.openIncident(kind, signal, key);
    const unclaimed = app.unclaimedExit;
    if (kind === 'crash' && unclaimed && Math.abs(unclaimed.at - signal.at) <= this.window && incident.pidMatches(unclaimed.pid) && !this.restartedBetween(app, unclaimed.at, signal.at)) {
      incident.absorb(unclaimed);
      app.unclaimedExit = null;
    }
    const hang = app.hang;
    if (hang && hang !== incident && !this.restartedBetween(app, hang.startedAt, signal.at) && signal.at <= (hang.endedAt ?? signal.at) + this.window && signal.at >= hang.startedAt) {
      incident.note(signal.at, `followed hang incident ${hang.id} (not responding from ${new Date(hang.startedAt).toISOString()})`);
      if (hang.note(signal.at, `followed by ${kind} incident ${incident.id}`)) this.emit(hang, 'updated');
    }
    // Only a fresh crash waits for the restart that ends its downtime; an old report found late does not.
    for (const other of app.crashes) other.awaitingRestart = false;
    incident.awaitingRestart = this.clock.now() - signal.at <= this.window;
    app.crashes.push(incident);
    this.emit(incident, 'opened');
    return incident;
  }

  private findCrashPartner(app: AppState, signal: Signal): TrackedIncident | null {
    let best: TrackedIncident | null = null;
    for (const incident of app.crashes) {
      const distance = Math.abs(signal.at - incident.anchorAt);
      if (distance > this.window || !incident.pidMatches(signal.pid)) continue;
      if (signal.kind === 'exit' && signal.source === 'process' && incident.hasProcessExit) continue;
      if (this.restartedBetween(app, incident.startedAt, signal.at)) continue;
      if (best === null || distance < Math.abs(signal.at - best.anchorAt)) best = incident;
    }
    return best;
  }

  /** Was the client started after `a` and no later than `b` (either order)? Then they are different processes. */
  private restartedBetween(app: AppState, a: number, b: number): boolean {
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    return app.starts.some((t) => t > lo && t <= hi);
  }

  private openIncident(kind: IncidentKind, signal: Signal, key: string): TrackedIncident {
    const base = incidentId({ appKey: key, kind, startedAt: signal.at, workstation: this.workstation });
    let id = base;
    for (let n = 2; this.usedIds.has(id); n++) id = `${base}-${n}`;
    this.usedIds.add(id);
    return new TrackedIncident({ id, key, kind, signal, workstation: this.workstation });
  }

  private close(incident: TrackedIncident, at: number): void {
    if (incident.close(at)) this.emit(incident, 'closed');
  }

  private emit(incident: TrackedIncident, change: IncidentChange): void {
    this.onIncident(incident.snapshot(), change);
  }

  /** Health follows the present: a report about a crash last week makes an incident, not a red tray. */
  private applyHealth(event: HealthEvent, key: string, signal?: Signal): void {
    const now = this.clock.now();
    if (signal && now - signal.at > this.window) return;
    const transition = nextHealth(this.status.state, event);
    if (!transition) return;
    const previous = this.status.state;
    // One state: health back to ok means no slowdown or hang of this client is still going on.
    if (transition.state === 'ok') this.closeEpisodes(key);
    this.status = { state: transition.state, since: now, reason: transition.reason };
    this.crashed = transition.state === 'crashed' ? { key, app: event.app, at: now } : null;
    this.onHealth(transition.state, previous, transition.reason);
  }

  private closeEpisodes(key: string): void {
    const app = this.apps.get(key);
    if (app?.slow?.open) this.close(app.slow, app.slow.lastAt);
    if (app?.hang?.open) this.close(app.hang, app.hang.lastAt);
  }

  private forget(app: AppState, now: number): void {
    const horizon = now - 2 * this.window;
    app.crashes = app.crashes.filter((incident) => incident.awaitingRestart || incident.lastAt >= horizon);
    const keepStartsFrom = now - 4 * this.window;
    while (app.starts.length > 1 && app.starts[0]! < keepStartsFrom) app.starts.shift();
    if (app.unclaimedExit && app.unclaimedExit.at < horizon) app.unclaimedExit = null;
    if (app.hang && !app.hang.open && (app.hang.endedAt ?? 0) < horizon) app.hang = null;
  }

  private appState(key: string): AppState {
    let app = this.apps.get(key);
    if (!app) {
      app = { running: null, starts: [], exitSeenAt: null, shutdownAnnouncedAt: null, unclaimedExit: null, hang: null, hangConfirmedLive: false, slow: null, crashes: [] };
      this.apps.set(key, app);
    }
    return app;
  }
}

function insertSorted(list: number[], value: number): void {
  let i = list.length;
  while (i > 0 && list[i - 1]! > value) i--;
  list.splice(i, 0, value);
}
