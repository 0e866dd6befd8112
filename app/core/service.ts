import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../common/clock.ts';
import type { PracticeOutageView } from '../common/api.ts';
import type { HealthState, Incident } from '../common/incident.ts';
import type { Signal } from '../common/signal.ts';
import type { LiveStatus, StatusSource, LifeboatEvents } from './api/apiBackend.ts';
import type { LoadedConfig } from './config/configFile.ts';
import { compilePatterns, type ClientProfile } from './config/profiles.ts';
import { ClientCapture, type CaptureSources } from './capture/clientCapture.ts';
import { platformCaptureSources } from './capture/platformCaptureSources.ts';
import { Correlator, type IncidentChange } from './incidents/correlator.ts';
import { NotifyPolicy, notificationEvent, type DraftMoment } from './notify/notifyPolicy.ts';
import { practiceKeyFromSettings } from './practice/shareAuth.ts';
import { PracticeLink } from './practice/practiceLink.ts';
import { SyslogForwarder } from './export/syslogForwarder.ts';
import { readFileSync } from 'node:fs';
import type { Vault } from './vault/vault.ts';
import { execFileRunner } from './watch/commandRunner.ts';
import { EventLogPoller } from './watch/eventlog/eventLogPoller.ts';
import { WevtutilEventLogSource, type EventLogSource } from './watch/eventlog/eventLogReader.ts';
import { LogTailer } from './watch/logs/logTailer.ts';
import { logRecordSignal } from './watch/logRecordSignal.ts';
import type { ProcessLister } from './watch/process/processSnapshot.ts';
import { ProcessWatcher, type ProcessSample } from './watch/process/processWatcher.ts';
import { PlatformProcesses } from './watch/process/platformProcessWatching.ts';
import { profileAppsOf, type ProfileApps } from './watch/wer/profileApps.ts';
import { werRoots } from './watch/wer/werFolders.ts';
import { WerWatcher } from './watch/wer/werWatcher.ts';

export interface ServiceDiagnostic {
  source: 'process' | 'log' | 'wer' | 'eventlog' | 'vault' | 'service' | 'practice' | 'syslog' | 'capture';
  message: string;
}

export interface LifeboatServiceOptions {
  vault: Vault;
  config: LoadedConfig;
  clock: Clock;
  events: LifeboatEvents;
  /** Watcher state (log offsets) lives here. */
  stateDir: string;
  platform?: NodeJS.Platform;
  env?: Readonly<Record<string, string | undefined>>;
  processLister?: ProcessLister;
  /** Exit codes of clients the caller launched itself (the demo's simulated client). */
  exitCodeFor?: (pid: number) => number | null | undefined;
  /** WER store roots; default: the platform's (none on Linux) plus settings.werRoots. */
  werRoots?: readonly string[];
  /** Default: wevtutil on Windows, none elsewhere. */
  eventLogSource?: EventLogSource | null;
  /** Existing log files: 'end' (default) to watch only new lines; 'beginning' to read history. */
  logStartAt?: 'end' | 'beginning';
  tickMs?: number;
  /** How often the practice share is synced and read (when settings.sharePath is set). Default 60 s. */
  practiceIntervalMs?: number;
  workstation?: string;
  /** Text capture, clipboard and probe sources; default: this platform's (platformCaptureSources). */
  captureSources?: CaptureSources;
  /** Capture sampling, probe and clipboard intervals (default 1 s, 1 s, 0.5 s); tests shorten them. */
  captureIntervals?: { captureMs?: number; probeMs?: number; clipboardMs?: number };
  onSignal?: (signal: Signal) => void;
  onDiagnostic?: (diagnostic: ServiceDiagnostic) => void;
}

interface UptimeTracker {
  day: string;
  upMs: number;
  runningSince: number | null;
}

const dayKey = (ms: number): string => new Date(ms).toDateString();

/**
 * The long-running Lifeboat service: every signal source of the active client profiles feeds one
 * correlator; incidents go to the vault and out as events; trouble checkpoints open drafts at once.
 * Used by `lifeboat watch`, `lifeboat serve`, `lifeboat demo` and the Electron main process alike.
 */
export class LifeboatService implements StatusSource {
  readonly correlator: Correlator;
  readonly notifyPolicy: NotifyPolicy;
  private readonly options: LifeboatServiceOptions;
  private readonly profiles: ClientProfile[];
  private readonly processWatcher: ProcessWatcher | null;
  private readonly logTailers: LogTailer[] = [];
  private readonly werWatcher: WerWatcher | null;
  private readonly eventLogPoller: EventLogPoller | null;
  private readonly practice: PracticeLink | null;
  private readonly syslog: SyslogForwarder | null;
  private outage: PracticeOutageView | null = null;
  private tickTimer: ReturnType<typeof setInterval> | null = null;
  private readonly uptime: UptimeTracker;
  private lastSample: ProcessSample | null = null;
  private capture: ClientCapture | null = null;
  private readonly lister: ProcessLister;
  private captureUnavailable: string | null = null;
  private captureSources: CaptureSources | null = null;

  constructor(options: LifeboatServiceOptions) {
    this.options = options;
    const { config, clock } = options;
    this.profiles = config.active;
    const platform = options.platform ?? process.platform;
    const env = options.env ?? process.env;
    this.uptime = { day: dayKey(clock.now()), upMs: 0, runningSince: null };

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

    const clients = this.profiles
      .filter((p) => p.processNames.length > 0)
      .map((p) => ({ profile: p.name, processNames: p.processNames, ...(p.memory.warnBytes !== undefined ? { memoryWarnBytes: p.memory.warnBytes } : {}) }));
    // No process spawned per poll: the Windows API (or /proc) lists, the OS announces exits.
    const platformProcesses = options.processLister ? null : new PlatformProcesses({ platform, env, runner: execFileRunner, now: () => clock.now(), onDiagnostic: (message) => this.diagnose('process', message) });
    const lister = options.processLister ?? platformProcesses!;
    this.lister = lister;
    this.processWatcher =
      clients.length === 0
        ? null
        : new ProcessWatcher({
            lister,
            clients,
            clock,
            pollIntervalMs: config.settings.pollIntervalMs,
            onSignal: (signal) => this.ingest(signal),
            onSample: (sample) => this.recordSample(sample),
            ...(options.exitCodeFor ? { exitCodeFor: options.exitCodeFor } : {}),
            ...(platformProcesses ? { exits: platformProcesses } : {}),
            onError: (error) => this.diagnose('process', error.message),
          });

    for (const profile of this.profiles) {
      const folders = config.logFolders[profile.name] ?? [];
      if (folders.length === 0) continue;
      const patterns = compilePatterns(profile);
      const app = (profile.processNames[0] ?? profile.name).toLowerCase();
      this.logTailers.push(
        new LogTailer({
          paths: folders.map((dir, i) => ({ dir, glob: profile.logs[i]?.glob ?? ['*.log'] })),
          statePath: join(options.stateDir, `log-offsets-${profile.name}.json`),
          startAt: options.logStartAt ?? 'end',
          // A crashing client's last record is followed by nothing: hand it over after 200 ms of
          // quiet (a stack trace is written in one go), not the tailer's general 500 ms.
          quietFlushMs: 200,
          // Offsets are saved every few seconds, not after every line the client writes (an fsync each).
          commitIntervalMs: 5000,
          clock,
          onRecord: (record) => {
            const signal = logRecordSignal(record, { name: profile.name, app, patterns }, clock.now());
            if (signal) this.ingest(signal);
          },
          onDiagnostic: (d) => this.diagnose('log', `${d.kind} in ${d.path}${d.bytes !== undefined ? ` (${d.bytes} bytes)` : ''}`),
        }),
      );
    }

    const profileApps: ProfileApps[] = profileAppsOf(this.profiles);
    const roots = options.werRoots ?? werRoots(env, platform, config.settings.werRoots);
    this.werWatcher =
      roots.length === 0
        ? null
        : new WerWatcher({ roots, profiles: profileApps, sinceMs: clock.now(), onSignal: (s) => this.ingest(s), onDiagnostic: (d) => this.diagnose('wer', `${d.reason}: ${d.message}`) });

    const eventSource = options.eventLogSource === undefined ? (platform === 'win32' ? new WevtutilEventLogSource({ runner: execFileRunner }) : null) : options.eventLogSource;
    this.practice = this.createPracticeLink();
    this.syslog = this.createSyslogForwarder();
    this.eventLogPoller =
      eventSource === null ? null : new EventLogPoller({ source: eventSource, profiles: profileApps, clock, onSignal: (s) => this.ingest(s), onDiagnostic: (d) => this.diagnose('eventlog', d.message) });
  }

  private runningClients(): Array<{ pid: number; processName: string }> {
    return (this.processWatcher?.running() ?? []).map((s) => ({ pid: s.pid, processName: s.name }));
  }

  private async startCapture(): Promise<void> {
    const { config, vault, clock } = this.options;
    const running = (): Array<{ pid: number; processName: string }> => this.runningClients();
    const sources = this.options.captureSources ?? (await platformCaptureSources({ platform: this.options.platform ?? process.platform, config, running }));
    this.captureUnavailable = sources.unavailable;
    this.captureSources = sources;
    if (!sources.text && !sources.probe && !sources.clipboard) return;
    const wanted = config.settings.clientCapture;
    const intervals = this.options.captureIntervals ?? {};
    try {
      this.capture = new ClientCapture({
        vault,
        clock,
        profiles: this.profiles,
        sources,
        // "capture: false" (no drafts kept at all) switches text capture off with everything else.
        settings: { ...wanted, enabled: config.settings.capture && wanted.enabled, clipboardJournal: config.settings.capture && wanted.clipboardJournal },
        running,
        onSignal: (signal) => this.ingest(signal),
        onDiagnostic: (message) => this.diagnose('capture', message),
        ...(intervals.captureMs ? { captureIntervalMs: intervals.captureMs } : {}),
        ...(intervals.probeMs ? { probeIntervalMs: intervals.probeMs } : {}),
        ...(intervals.clipboardMs ? { clipboardIntervalMs: intervals.clipboardMs } : {}),
      });
      this.capture.start();
      if (sources.probe && this.lister instanceof PlatformProcesses) this.lister.leaveHangsToTheProbe();
    } catch (err) {
      this.capture = null;
      this.captureUnavailable = `text capture could not start: ${(err as Error).message}`;
      this.diagnose('capture', this.captureUnavailable);
    }
  }

  /** What the Settings page says about text capture on this machine. */
  captureStatus(): { textCaptureAvailable: boolean; clipboardAvailable: boolean; probeAvailable: boolean; unavailable: string | null } {
    const sources = this.captureSources;
    return {
      textCaptureAvailable: this.capture?.textCaptureAvailable ?? false,
      clipboardAvailable: this.capture !== null && (sources?.clipboard ?? null) !== null,
      probeAvailable: this.capture !== null && (sources?.probe ?? null) !== null,
      unavailable: this.captureUnavailable,
    };
  }

  /** The GP's or the practice's capture settings changed. */
  setCapture(settings: { enabled?: boolean; clipboardJournal?: boolean }): void {
    this.capture?.update(settings);
  }

  private createSyslogForwarder(): SyslogForwarder | null {
    const target = this.options.config.settings.syslog;
    if (!target) return null;
    try {
      return new SyslogForwarder({
        host: target.host,
        port: target.port,
        // TLS always, verified against caFile or the system's CAs; plain TCP only when the policy says insecure: true.
        ...(target.insecure ? {} : { tls: target.caFile ? { ca: readFileSync(target.caFile) } : {} }),
        hostname: this.options.workstation ?? hostname(),
        queueDir: join(this.options.stateDir, 'syslog-queue'),
        onDiagnostic: (d) => {
          if (d.type !== 'connected') this.diagnose('syslog', d.type === 'dropped' ? `${d.count} records dropped: ${d.reason}` : `disconnected: ${d.reason}`);
        },
      });
    } catch (err) {
      this.diagnose('syslog', `syslog forwarding not started: ${(err as Error).message}`);
      return null;
    }
  }

  private createPracticeLink(): PracticeLink | null {
    const share = this.options.config.settings.sharePath;
    if (!share) return null;
    try {
      return this.newPracticeLink(share);
    } catch (err) {
      this.diagnose('practice', `practice share not used: ${(err as Error).message}`);
      return null;
    }
  }

  private newPracticeLink(share: string): PracticeLink {
    return new PracticeLink({
      shareDir: share,
      stateDir: this.options.stateDir,
      clock: this.options.clock,
      ...(this.options.workstation ? { workstation: this.options.workstation } : {}),
      ...(this.options.practiceIntervalMs ? { intervalMs: this.options.practiceIntervalMs } : {}),
      onOutage: (outage) => {
        this.outage = outage === null ? null : { workstations: outage.workstations, since: new Date(outage.since).toISOString(), names: outage.names };
        if (outage) this.decide({ type: 'outage', id: outage.id, workstations: outage.workstations, since: outage.since });
      },
      onProblem: (message) => this.diagnose('practice', message),
      practiceKey: practiceKeyFromSettings(this.options.config.settings),
    });
  }

  async start(): Promise<void> {
    this.practice?.start();
    this.syslog?.start();
    for (const tailer of this.logTailers) await tailer.start();
    await this.werWatcher?.start();
    this.eventLogPoller?.start();
    await this.startCapture();
    this.processWatcher?.start();
    this.tickTimer = setInterval(() => this.tick(), this.options.tickMs ?? 1000);
  }

  async stop(): Promise<void> {
    if (this.tickTimer) clearInterval(this.tickTimer);
    this.tickTimer = null;
    await this.capture?.stop();
    await this.processWatcher?.stop();
    await this.eventLogPoller?.stop();
    await this.werWatcher?.stop();
    for (const tailer of this.logTailers) await tailer.stop();
    await this.practice?.stop();
    await this.syslog?.close(2000);
  }

  /** Every signal from every source comes through here. */
  ingest(signal: Signal): void {
    // Another desktop session's crash (a Remote Desktop host) is never this GP's to hear about.
    const notOurs = this.lister instanceof PlatformProcesses ? this.lister.sessionScope()?.excludes(signal) : null;
    if (notOurs) return this.diagnose(signal.source === 'wer' ? 'wer' : 'eventlog', `left out ${notOurs}`);
    this.options.onSignal?.(signal);
    if (signal.kind === 'crash' || signal.kind === 'hang') {
      // The moment trouble shows, write what the GP has typed into history: the note must not
      // depend on whatever happens next.
      try {
        this.options.vault.checkpointOpenDrafts('pre-crash');
      } catch (err) {
        this.diagnose('vault', `pre-crash checkpoint failed: ${(err as Error).message}`);
      }
    }

    if (signal.source === 'process') this.trackUptime(signal);
    this.correlator.ingest(signal);
  }

  tick(): void {
    this.correlator.tick();
  }

  status(): LiveStatus {
    const health = this.correlator.healthStatus();
    const profile = this.profiles[0];
    const now = this.options.clock.now();
    const running = (this.processWatcher?.running().length ?? 0) > 0;
    return {
      health: health.state,
      healthSince: new Date(health.since).toISOString(),
      healthReason: health.reason,
      profile: profile?.name ?? 'none',
      profileDisplayName: profile?.displayName ?? 'no clinical client',
      clientRunning: running,
      uptimeTodayMinutes: Math.floor(this.uptimeToday(now) / 60_000),
      notificationsPausedUntil: this.pausedUntilIso(),
      practiceOutage: this.outage,
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

  /** The draft saved last before the incident: what the crash notification offers back. */
  private nearestDraftBefore(at: number): DraftMoment | null {
    try {
      const drafts = this.options.vault.list({ limit: 50 }).filter((d) => d.state === 'open' || d.state === 'recovered');
      const before = drafts.map((d) => ({ id: d.id, savedAt: Date.parse(d.updatedAt) })).filter((d) => d.savedAt <= at + 1000);
      return before.sort((a, b) => b.savedAt - a.savedAt)[0] ?? null;
    } catch {
      return null;
    }
  }

  latestSample(): ProcessSample | null {
    return this.lastSample;
  }

  private handleIncident(incident: Incident, change: IncidentChange): void {
    try {
      this.options.vault.recordIncident(incident);
    } catch (err) {
      this.diagnose('vault', `incident not stored: ${(err as Error).message}`);
    }
    try {
      this.syslog?.send(incident, change);
    } catch (err) {
      this.diagnose('syslog', `incident not queued for syslog: ${(err as Error).message}`);
    }
    try {
      this.practice?.record(incident);
    } catch (err) {
      this.diagnose('practice', `incident not queued for the practice share: ${(err as Error).message}`);
    }
    this.options.events.emit({ type: 'incident', change, incident });
    const nearestDraft = change === 'opened' || change === 'updated' ? this.nearestDraftBefore(Date.parse(incident.startedAt)) : null;
    this.decide({ type: 'incident', change, incident: { id: incident.id, kind: incident.kind, startedAt: incident.startedAt }, nearestDraft });
  }

  private handleHealth(state: HealthState, previous: HealthState, reason: string): void {
    const at = this.options.clock.now();
    // The client's own editor too, once per change for the worse (not once per slow log line, which
    // would bypass the capture governor): a slow client may still answer, and what it holds is kept.
    if (this.capture && (state === 'slow' || state === 'hung' || state === 'crashed')) {
      this.capture.snapshotNow().catch((err: unknown) => this.diagnose('capture', `trouble snapshot failed: ${(err as Error).message}`));
    }
    this.options.events.emit({ type: 'health', state, previous, reason, at: new Date(at).toISOString() });
    this.decide({ type: 'health', state, previous, reason, at });
  }

  private recordSample(sample: ProcessSample): void {
    this.lastSample = sample;
  }

  private trackUptime(signal: Signal): void {
    this.rollUptimeDay(signal.at);
    if (signal.kind === 'start' && this.uptime.runningSince === null) this.uptime.runningSince = signal.at;
    if (signal.kind === 'exit' && this.uptime.runningSince !== null) {
      this.uptime.upMs += signal.at - this.uptime.runningSince;
      this.uptime.runningSince = null;
    }
  }

  private rollUptimeDay(now: number): void {
    const today = dayKey(now);
    if (today === this.uptime.day) return;
    const midnight = new Date(now);
    midnight.setHours(0, 0, 0, 0);
    this.uptime.day = today;
    this.uptime.upMs = 0;
    if (this.uptime.runningSince !== null) this.uptime.runningSince = Math.max(this.uptime.runningSince, midnight.getTime());
  }

  private uptimeToday(now: number): number {
    this.rollUptimeDay(now);
    return this.uptime.upMs + (this.uptime.runningSince !== null ? now - this.uptime.runningSince : 0);
  }

  private diagnose(source: ServiceDiagnostic['source'], message: string): void {
    this.options.onDiagnostic?.({ source, message });
  }
}
