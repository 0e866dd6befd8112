import { hostname } from 'node:os';
import type { Clock } from '../common/clock.ts';
import type { PracticeOutageView } from '../common/api.ts';
import { diagnostic, type DiagnosticCode, type DiagnosticSink, type DiagnosticSource } from '../common/diagnostic.ts';
import type { HealthState, Incident } from '../common/incident.ts';
import type { Signal } from '../common/signal.ts';
import type { CaptureStatus, RunningClient } from '../common/watcherChannel.ts';
import type { LiveStatus, StatusSource, LifeboatEvents } from './api/apiBackend.ts';
import type { LoadedConfig } from './config/configFile.ts';
import type { ClientProfile } from './config/profiles.ts';
import { Correlator, type IncidentChange } from './incidents/correlator.ts';
import { NotifyPolicy, notificationEvent, type DraftMoment } from './notify/notifyPolicy.ts';
import { incidentWindow, noteBeforeIncident } from './recovery/noteBeforeIncident.ts';
import type { RestartPolicyOptions } from './runtime/restartPolicy.ts';
import { defaultRuntimeEntries, type RuntimeEntries } from './runtime/runtimeEntries.ts';
import { nodeWatcherLauncher, type WatcherLauncher } from './runtime/watcherLauncher.ts';
import { RunningClients } from './runtime/runningClients.ts';
import { UptimeTracker } from './runtime/uptimeTracker.ts';
import { captureSwitches, forwardsIncidents, watcherInit, watcherNeedsRestart, type WatcherSetup } from './runtime/watcherInit.ts';
import { WatcherSupervisor, type WatcherState } from './runtime/watcherSupervisor.ts';
import type { Vault } from './vault/vault.ts';
import { describeExitCode } from './watch/process/processExits.ts';

/** Timings of the watcher process; tests shorten them. */
export interface WatcherTimings {
  /** How often the watcher says it is alive. Default 1 s. */
  heartbeatMs?: number;
  /** No word from it for this long and it is killed and started again. Default 10 s. */
  heartbeatTimeoutMs?: number;
  /** Most time one log record may take to match. Default 1 s (recordMatcher.ts says why). */
  matchBudgetMs?: number;
  /** A source's operation running this long is reported as stuck. Default 30 s. */
  stuckAfterMs?: number;
  restart?: RestartPolicyOptions;
}

export interface LifeboatServiceOptions {
  vault: Vault;
  config: LoadedConfig;
  clock: Clock;
  events: LifeboatEvents;
  /** Watcher state (log offsets, queues) lives here. */
  stateDir: string;
  platform?: NodeJS.Platform;
  env?: Readonly<Record<string, string | undefined>>;
  /** How the watcher process is started: child_process.fork by default, utilityProcess in Electron. */
  launchWatcher?: WatcherLauncher;
  /** Where the watcher and worker entries are (default: beside this code, sources or bundle). */
  entries?: RuntimeEntries;
  /** Exit codes of clients the caller launched itself (the demo's simulated client). */
  exitCodeFor?: (pid: number) => number | null | undefined;
  /** WER store roots; default: the platform's (none on Linux) plus settings.werRoots. */
  werRoots?: readonly string[];
  /** 'platform' (default): wevtutil on Windows, none elsewhere; 'none'; or a saved export to poll. */
  eventLog?: 'platform' | 'none' | { exportFile: string };
  /** Existing log files: 'end' (default) to watch only new lines; 'beginning' to read history. */
  logStartAt?: 'end' | 'beginning';
  tickMs?: number;
  /** How often the practice share is synced and read (when settings.sharePath is set). Default 60 s. */
  practiceIntervalMs?: number;
  workstation?: string;
  /** Capture sampling, probe and clipboard intervals (default 1 s, 1 s, 0.5 s); tests shorten them. */
  captureIntervals?: { captureMs?: number; probeMs?: number; clipboardMs?: number };
  watcher?: WatcherTimings;
  onSignal?: (signal: Signal) => void;
  onDiagnostic?: DiagnosticSink;
}

/**
 * The note side of the running Lifeboat service: the correlator, the notify policy, incident
 * records in the vault and the events the tray, window and browser show. Every source runs in the
 * watcher process (runtime/watcherSide.ts), which this side starts and supervises and which sends
 * it signals and captured text. Used by `lifeboat watch`, `serve`, `demo` and the Electron main
 * process alike.
 *
 * The correlator lives here, not in the watcher: its state (open incidents, health, the crash
 * hold) must outlive a watcher restart, or a restarted watcher would open the same crash twice or
 * lose its end; its input is small (signals, not log lines) and folding one costs microseconds.
 */
export class LifeboatService implements StatusSource {
  readonly correlator: Correlator;
  readonly notifyPolicy: NotifyPolicy;
  readonly watcher: WatcherSupervisor;
  private readonly options: LifeboatServiceOptions;
  /** The config in force: replaced live by reconfigure() when a file, the policy or a setting changes. */
  private config: LoadedConfig;
  private profiles: ClientProfile[];
  private readonly watcherSetup: WatcherSetup;
  private outage: PracticeOutageView | null = null;
  private tickTimer: ReturnType<typeof setInterval> | null = null;
  private readonly uptime: UptimeTracker;
  private readonly runningClients = new RunningClients();
  private captureStatusNow: CaptureStatus = { textCaptureAvailable: false, clipboardAvailable: false, probeAvailable: false, unavailable: 'the watcher has not started yet' };
  private watcherState: WatcherState = { state: 'starting', reason: null, restarts: 0 };

  constructor(options: LifeboatServiceOptions) {
    this.options = options;
    const { config, clock } = options;
    this.config = config;
    this.profiles = config.active;
    this.uptime = new UptimeTracker(clock.now());

    this.notifyPolicy = new NotifyPolicy({
      clock,
      clientDisplayName: this.profiles[0]?.displayName ?? 'The clinical system',
      throttleMs: config.settings.notifications.throttleMs,
      enabled: config.settings.notifications.enabled,
      quietHours: config.settings.notifications.quietHours ? { from: config.settings.notifications.quietHours.start, to: config.settings.notifications.quietHours.end } : null,
    });
    this.correlator = new Correlator({
      clock,
      workstation: options.workstation ?? hostname(),
      onIncident: (incident, change) => this.handleIncident(incident, change),
      onHealth: (state, previous, reason) => this.handleHealth(state, previous, reason),
    });
    this.watcherSetup = this.setupOfWatcher();
    this.watcher = this.createSupervisor();
  }

  private setupOfWatcher(): WatcherSetup {
    const { options } = this;
    const timings = options.watcher ?? {};
    let salt = '';
    try {
      salt = options.vault.captureSalt().toString('hex');
    } catch (err) {
      this.diagnose('capture', 'capture-unnamed', `text capture cannot name its drafts: ${(err as Error).message}`);
    }
    return {
      stateDir: options.stateDir,
      platform: options.platform ?? process.platform,
      env: options.env ?? process.env,
      workstation: options.workstation ?? hostname(),
      ...(options.werRoots ? { werRoots: options.werRoots } : {}),
      eventLog: options.eventLog ?? 'platform',
      logStartAt: options.logStartAt ?? 'end',
      // Reports and events from the first start on: a restarted watcher reads what it missed.
      sinceMs: options.clock.now(),
      ...(options.practiceIntervalMs ? { practiceIntervalMs: options.practiceIntervalMs } : {}),
      captureIntervals: options.captureIntervals ?? {},
      captureSalt: salt,
      heartbeatMs: timings.heartbeatMs ?? 1000,
      matchBudgetMs: timings.matchBudgetMs ?? 1000,
      stuckAfterMs: timings.stuckAfterMs ?? 30_000,
      sourceWorkerEntry: (options.entries ?? defaultRuntimeEntries()).sourceWorker,
    };
  }

  private createSupervisor(): WatcherSupervisor {
    const { options } = this;
    const env = options.env ?? process.env;
    const entries = options.entries ?? defaultRuntimeEntries();
    const timings = options.watcher ?? {};
    return new WatcherSupervisor({
      launch: options.launchWatcher ?? nodeWatcherLauncher(entries.watcher, { env: { ...process.env, ...env } }),
      // Built for every start, from the config in force then.
      init: () => watcherInit(this.config, this.watcherSetup),
      forwardIncidents: () => forwardsIncidents(this.config),
      ...(timings.heartbeatTimeoutMs !== undefined ? { heartbeatTimeoutMs: timings.heartbeatTimeoutMs } : {}),
      ...(timings.restart ? { restart: timings.restart } : {}),
      events: {
        signal: (signal) => this.ingest(signal),
        captured: (draft, origin) => void options.vault.save(draft, { origin }),
        outage: (outage) => {
          this.outage = outage === null ? null : { workstations: outage.workstations, since: new Date(outage.since).toISOString(), names: outage.names };
          if (outage) this.decide({ type: 'outage', id: outage.id, workstations: outage.workstations, since: outage.since });
        },
        diagnostic: (d) => this.options.onDiagnostic?.(d),
        ready: (capture) => {
          this.captureStatusNow = capture;
        },
        running: (clients, firstAfterRestart) => this.reconcileRunning(clients, firstAfterRestart),
        state: (state) => {
          const wasFailing = this.watcherState.state === 'failing';
          this.watcherState = state;
          if (state.state === 'failing' && !wasFailing) this.decide({ type: 'watcher', failing: true });
          if (state.state === 'running' && wasFailing) this.decide({ type: 'watcher', failing: false });
        },
      },
    });
  }

  /** What the Settings page says about text capture on this machine (as the watcher found it). */
  captureStatus(): CaptureStatus {
    return this.captureStatusNow;
  }

  /**
   * The config in force changed (a settings file or the policy edited, or the GP's choice in
   * Settings): what applies live is applied, and a change only a new watcher can apply (another
   * client profile, other log folders or patterns) restarts the watcher with it. Status reports
   * the new client at once.
   */
  reconfigure(config: LoadedConfig): void {
    const before = watcherInit(this.config, this.watcherSetup);
    const previousProfiles = this.profiles;
    this.config = config;
    this.profiles = config.active;
    const { notifications } = config.settings;
    this.decide({
      type: 'settings',
      enabled: notifications.enabled,
      clientDisplayName: this.profiles[0]?.displayName ?? 'The clinical system',
      quietHours: notifications.quietHours ? { from: notifications.quietHours.start, to: notifications.quietHours.end } : null,
    });
    this.watcher.setCapture(captureSwitches(config));
    if (!watcherNeedsRestart(before, watcherInit(config, this.watcherSetup))) return;
    // Clients of a profile no longer watched did not exit: forget them, or the new watcher's first
    // listing would report them gone (as if they had ended while no watcher was looking).
    this.runningClients.keepOnly(new Set(config.active.map((p) => p.name)));
    if (!this.runningClients.any) this.uptime.stopped(this.options.clock.now());
    const names = (profiles: ClientProfile[]): string => profiles.map((p) => p.displayName).join(', ') || 'none';
    void this.watcher.restart(previousProfiles.map((p) => p.name).join() !== config.active.map((p) => p.name).join() ? `now watching ${names(config.active)} instead of ${names(previousProfiles)}` : 'the watched clients\' settings changed');
  }

  /** Starts the watcher and returns at once: notes never wait for it (see watching()). */
  start(): void {
    this.tickTimer = setInterval(() => this.tick(), this.options.tickMs ?? 1000);
    this.watcher.start();
  }

  /** Resolves true once the watcher is watching, false if it is not within `timeoutMs`. */
  watching(timeoutMs = 10_000): Promise<boolean> {
    return this.watcher.whenReady(timeoutMs);
  }

  async stop(): Promise<void> {
    if (this.tickTimer) clearInterval(this.tickTimer);
    this.tickTimer = null;
    await this.watcher.stop();
  }

  /** Every signal from every source comes through here. */
  ingest(received: Signal): void {
    if (this.waitForExitCode(received)) return;
    this.accept(this.withKnownExitCode(received));
  }

  private accept(signal: Signal): void {
    if (signal.source === 'process' && !this.runningClients.track(signal)) return;
    this.options.onSignal?.(signal);
    if (signal.kind === 'crash' || signal.kind === 'hang') {
      // The moment trouble shows, write what the GP has typed into history: the note must not
      // depend on whatever happens next.
      try {
        this.options.vault.checkpointOpenDrafts('pre-crash');
      } catch (err) {
        this.diagnose('vault', 'vault-checkpoint-failed', `pre-crash checkpoint failed: ${(err as Error).message}`);
      }
    }

    if (signal.source === 'process') this.uptime.record(signal);
    this.correlator.ingest(signal);
  }

  /**
   * The watcher cannot know the exit code of a client this process launched (the demo's, the
   * tests'): this process does, as its parent, once it has reaped it, which can be a moment after
   * the OS told the watcher (a pidfd). An exit without a code waits up to a second for it, as the
   * process watcher does for its own launcher (processWatcher.ts, EXIT_CODE_WAIT_MS).
   */
  private waitForExitCode(signal: Signal): boolean {
    const pid = signal.pid;
    const exitCodeFor = this.options.exitCodeFor;
    if (signal.source !== 'process' || signal.kind !== 'exit' || pid === undefined || (signal.exitCode ?? null) !== null || !exitCodeFor) return false;
    if (exitCodeFor(pid) !== undefined) return false;
    const giveUpAt = performance.now() + 1000;
    const check = (): void => {
      if (exitCodeFor(pid) === undefined && performance.now() < giveUpAt) setTimeout(check, 10).unref();
      else this.accept(this.withKnownExitCode(signal));
    };
    setTimeout(check, 10).unref();
    return true;
  }

  private withKnownExitCode(signal: Signal): Signal {
    const known = signal.source === 'process' && signal.kind === 'exit' && signal.pid !== undefined && (signal.exitCode ?? null) === null ? this.options.exitCodeFor?.(signal.pid) : undefined;
    if (known === undefined || known === null) return signal;
    return { ...signal, exitCode: known, detail: `${signal.app} (pid ${signal.pid}) exited, ${describeExitCode(known)}` };
  }

  /** A restarted watcher's first process listing: clients that ended while no watcher was looking are reported now. */
  private reconcileRunning(clients: RunningClient[], firstAfterRestart: boolean): void {
    if (!firstAfterRestart) return;
    for (const exit of this.runningClients.endedUnseen(clients, this.options.clock.now(), this.options.exitCodeFor)) this.ingest(exit);
  }

  tick(): void {
    this.correlator.tick();
  }

  status(): LiveStatus {
    const health = this.correlator.healthStatus();
    const profile = this.profiles[0];
    const now = this.options.clock.now();
    return {
      health: health.state,
      healthSince: new Date(health.since).toISOString(),
      healthReason: health.reason,
      profile: profile?.name ?? 'none',
      profileDisplayName: profile?.displayName ?? 'no clinical client',
      clientRunning: this.runningClients.any,
      uptimeTodayMinutes: Math.floor(this.uptime.todayMs(now) / 60_000),
      notificationsPausedUntil: this.pausedUntilIso(),
      practiceOutage: this.outage,
      watcherProblem: this.watcherState.state === 'failing' ? `Lifeboat's watcher keeps stopping (${this.watcherState.reason ?? 'unknown reason'}); your notes are still being saved` : null,
    };
  }

  pauseNotifications(minutes: number): string | null {
    this.decide(minutes === 0 ? { type: 'resume' } : { type: 'pause', minutes });
    return this.pausedUntilIso();
  }

  setNotificationsEnabled(enabled: boolean): void {
    this.decide({ type: 'settings', enabled });
  }

  private pausedUntilIso(): string | null {
    const until = this.notifyPolicy.pausedUntil();
    return until === null ? null : new Date(until).toISOString();
  }

  private decide(input: Parameters<NotifyPolicy['handle']>[0]): void {
    const decision = this.notifyPolicy.handle(input);
    if (decision.notify) this.options.events.emit(notificationEvent(decision.notify, this.options.clock.now()));
  }

  /** The note offered back by the crash notification: the one rule of recovery/noteBeforeIncident.ts. */
  private nearestDraftBefore(incident: Incident): DraftMoment | null {
    try {
      const window = incidentWindow(incident);
      const offered = noteBeforeIncident(incident, this.options.vault.draftsTouchedBetween(window.from, window.to)).offered;
      return offered ? { id: offered.draft.id, savedAt: offered.lastSavedBefore } : null;
    } catch {
      return null;
    }
  }

  private handleIncident(incident: Incident, change: IncidentChange): void {
    try {
      this.options.vault.recordIncident(incident);
    } catch (err) {
      this.diagnose('vault', 'vault-incident-not-stored', `incident not stored: ${(err as Error).message}`);
    }
    // Syslog and the practice share are the watcher's: it gets the incident and confirms it.
    this.watcher.forwardIncident(incident, change);
    this.options.events.emit({ type: 'incident', change, incident });
    const nearestDraft = change === 'opened' || change === 'updated' ? this.nearestDraftBefore(incident) : null;
    this.decide({ type: 'incident', change, incident: { id: incident.id, kind: incident.kind, startedAt: incident.startedAt }, nearestDraft });
  }

  private handleHealth(state: HealthState, previous: HealthState, reason: string): void {
    const at = this.options.clock.now();
    // The client's own editor too, once per change for the worse (not once per slow log line, which
    // would bypass the capture governor): a slow client may still answer, and what it holds is kept.
    if (state === 'slow' || state === 'hung' || state === 'crashed') this.watcher.snapshotNow();
    this.options.events.emit({ type: 'health', state, previous, reason, at: new Date(at).toISOString() });
    this.decide({ type: 'health', state, previous, reason, at });
  }

  private diagnose(source: DiagnosticSource, code: DiagnosticCode, message: string): void {
    this.options.onDiagnostic?.(diagnostic(source, code, message));
  }
}
