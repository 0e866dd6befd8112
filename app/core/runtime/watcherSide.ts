import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../common/clock.ts';
import { diagnostic, type Diagnostic, type DiagnosticCode } from '../../common/diagnostic.ts';
import type { Signal } from '../../common/signal.ts';
import { WATCHER_PARTS, type CaptureStatus, type FromWatcher, type RunningClient, type ToWatcher, type WatcherInit, type WatcherPart } from '../../common/watcherChannel.ts';
import { ClientCapture } from '../capture/clientCapture.ts';
import { platformCaptureSources } from '../capture/platformCaptureSources.ts';
import type { LoadedConfig } from '../config/configFile.ts';
import { ClientProfileSchema, SettingsSchema, type ClientProfile } from '../config/profiles.ts';
import { SyslogForwarder } from '../export/syslogForwarder.ts';
import { PracticeLink } from '../practice/practiceLink.ts';
import { practiceKeyFromSettings } from '../practice/shareAuth.ts';
import { execFileRunner } from '../watch/commandRunner.ts';
import { EventLogPoller } from '../watch/eventlog/eventLogPoller.ts';
import { createWindowsEventLog } from '../watch/eventlog/createWindowsEventLog.ts';
import { LogTailer, type TailedRecord } from '../watch/logs/logTailer.ts';
import { PlatformProcesses } from '../watch/process/platformProcessWatching.ts';
import { nameMatches, type ProcessLister } from '../watch/process/processSnapshot.ts';
import { ProcessWatcher } from '../watch/process/processWatcher.ts';
import { profileAppsOf, type ProfileApps } from '../watch/wer/profileApps.ts';
import { WerWatcher } from '../watch/wer/werWatcher.ts';
import { CapturedTextChannel } from './capturedTextChannel.ts';
import { offThreadEventExport } from './offThreadEventExport.ts';
import { RecordMatcher, type OverBudget } from './recordMatcher.ts';
import { describeBusy, SourceActivity } from './sourceActivity.ts';

/** The config the watcher was sent, checked again with the config's own schemas. */
export function watcherConfig(init: WatcherInit): LoadedConfig {
  const settings = SettingsSchema.parse(init.config.settings);
  const active: ClientProfile[] = init.config.active.map((p) => ClientProfileSchema.parse(p));
  return {
    settings,
    profiles: active,
    active,
    lockedByPolicy: [],
    profileOrigins: {},
    logFolders: init.config.logFolders,
    simSocketDirs: init.config.simSocketDirs,
    files: { user: null, policy: null, registry: [] },
  };
}

/** The same log record read twice (after a restart, up to the last saved offset) has the same key. */
const recordKey = (record: TailedRecord): string => `log:${record.startOffset}:${createHash('sha1').update(record.text).digest('base64url').slice(0, 16)}`;

/** WER reports and events carry their own identity; a re-read one repeats it. */
const evidenceKey = (signal: Signal): string | undefined => (signal.origin ? `${signal.source}:${signal.origin}:${signal.kind}:${signal.at}` : undefined);

const isWatcherPart = (source: string): source is WatcherPart => (WATCHER_PARTS as readonly string[]).includes(source);

const OVER_BUDGET_REPORT_MS = 10 * 60_000;
/**
 * 'ready' goes out when every source has started (a log folder's tailer has taken its place at the
 * end of each file: what is written after 'ready' is read), or after this long with the slow ones
 * named: a log folder on a hung share must not keep the other sources from counting as watching.
 */
const READY_WAIT_MS = 20_000;

export interface WatcherSideOptions {
  init: WatcherInit;
  send: (message: FromWatcher) => void;
  clock: Clock;
}

/**
 * The watcher process's work: every source that reads the clinical client and the world around it
 * (process listing, logs, WER, the Event Log, text capture and the window probe), the practice
 * share and the syslog forwarder. It only reports: signals, captured text, outages and diagnostics
 * go to the note side over the channel, which decides everything. Nothing here can make a save
 * wait: a source that hangs or spins costs this process, and the note side restarts it when it
 * stops answering.
 */
export class WatcherSide {
  private readonly init: WatcherInit;
  private readonly send: (message: FromWatcher) => void;
  private readonly clock: Clock;
  private readonly config: LoadedConfig;
  private readonly profiles: ClientProfile[];
  private readonly activity = new SourceActivity();
  /** The Windows API (or /proc) lists the clients, the OS announces their exits, the session scope filters WER and events. */
  private readonly processes: PlatformProcesses;
  private readonly processWatcher: ProcessWatcher | null;
  private readonly logTailers: LogTailer[] = [];
  private readonly matcher: RecordMatcher | null;
  private readonly werWatcher: WerWatcher | null;
  /** The Application log: pushed by EvtSubscribe on Windows (wevtutil as the fallback), or an export read again and again. */
  private readonly eventLog: { start(): void; stop(): Promise<void> } | null;
  private readonly practice: PracticeLink | null;
  private readonly syslog: SyslogForwarder | null;
  private readonly captured: CapturedTextChannel;
  private capture: ClientCapture | null = null;
  private captureStatus: CaptureStatus = { textCaptureAvailable: false, clipboardAvailable: false, probeAvailable: false, unavailable: 'text capture has not started yet' };
  private captureSwitches: { enabled: boolean; clipboardJournal: boolean };
  private processPolls = 0;
  private heartbeatSeq = 0;
  private timers: Array<ReturnType<typeof setInterval>> = [];
  private practiceCycle: Promise<void> | null = null;
  private readonly overBudgetReported = new Map<string, number>();
  private stopping = false;

  constructor(options: WatcherSideOptions) {
    this.init = options.init;
    this.send = options.send;
    this.clock = options.clock;
    this.config = watcherConfig(options.init);
    this.profiles = this.config.active;
    this.captureSwitches = options.init.capture;
    const { config, clock } = this;
    this.captured = new CapturedTextChannel({ salt: Buffer.from(this.init.captureSalt, 'hex'), send: this.send });

    const clients = this.profiles
      .filter((p) => p.processNames.length > 0)
      .map((p) => ({ profile: p.name, processNames: p.processNames, ...(p.memory.warnBytes !== undefined ? { memoryWarnBytes: p.memory.warnBytes } : {}) }));
    // No process spawned per poll: the Windows API (or /proc) lists, the OS announces exits.
    this.processes = new PlatformProcesses({ platform: this.init.platform as NodeJS.Platform, env: process.env, runner: execFileRunner, now: () => clock.now(), onDiagnostic: (d) => this.report(d) });
    const lister = this.processes;
    const tracked: ProcessLister = {
      list: async (names) => {
        const listed = await this.activity.track('process', 'listing the client processes', () => lister.list(names));
        this.processPolls++;
        return listed;
      },
    };
    this.processWatcher =
      clients.length === 0
        ? null
        : new ProcessWatcher({
            lister: tracked,
            clients,
            clock,
            pollIntervalMs: config.settings.pollIntervalMs,
            onSignal: (signal) => this.signal(signal),
            // The exit code of a client the note side launched (demo, tests) is filled in there.
            exits: this.processes,
            onError: (error) => this.diagnose('process', 'process-poll-failed', error.message),
          });

    const logProfiles = this.profiles.filter((p) => (config.logFolders[p.name] ?? []).length > 0);
    this.matcher =
      logProfiles.length === 0
        ? null
        : new RecordMatcher({
            entry: this.init.sourceWorkerEntry,
            profiles: logProfiles.map((p) => ({ name: p.name, app: (p.processNames[0] ?? p.name).toLowerCase(), patterns: p.patterns })),
            budgetMs: this.init.matchBudgetMs,
            onOverBudget: (event) => this.overBudget(event),
            onDiagnostic: (d) => this.report(d),
          });
    for (const profile of logProfiles) {
      const folders = config.logFolders[profile.name] ?? [];
      this.logTailers.push(
        new LogTailer({
          paths: folders.map((dir, i) => ({ dir, glob: profile.logs[i]?.glob ?? ['*.log'] })),
          statePath: join(this.init.stateDir, `log-offsets-${profile.name}.json`),
          startAt: this.init.logStartAt,
          // A crashing client's last record is followed by nothing: hand it over after 200 ms of
          // quiet (a stack trace is written in one go), not the tailer's general 500 ms.
          quietFlushMs: 200,
          // Offsets are saved every few seconds, not after every line the client writes (an fsync
          // each); after a restart the records since are read again and the note side drops them by key.
          commitIntervalMs: 5000,
          clock,
          onRecord: (record) => this.matchRecord(profile.name, record),
          onDiagnostic: (d) => this.report(d),
        }),
      );
    }

    const profileApps: ProfileApps[] = profileAppsOf(this.profiles);
    this.werWatcher =
      this.init.werRoots.length === 0
        ? null
        : new WerWatcher({
            roots: this.init.werRoots,
            profiles: profileApps,
            sinceMs: this.init.sinceMs,
            onSignal: (s) => this.signal(s, evidenceKey(s)),
            onDiagnostic: (d) => this.report(d),
          });
    this.eventLog = this.createEventLog(profileApps);
    this.practice = this.createPracticeLink();
    this.syslog = this.createSyslogForwarder();
  }

  private createEventLog(profiles: ProfileApps[]): { start(): void; stop(): Promise<void> } | null {
    const { eventLog, platform, sinceMs } = this.init;
    if (eventLog === 'none' || (eventLog === 'platform' && platform !== 'win32')) return null;
    const onSignal = (s: Signal): void => this.signal(s, evidenceKey(s));
    if (eventLog === 'platform') {
      // The Windows Event Log's own messages: how it is read now (subscription, wevtutil, absent), events skipped.
      const onDiagnostic = (message: string): void => this.diagnose('eventlog', 'eventlog-reading', message);
      const track = <T>(what: string, work: () => Promise<T>): Promise<T> => this.activity.track('eventlog', what, work);
      return createWindowsEventLog({ runner: execFileRunner, profiles, sinceMs, clock: this.clock, onSignal, onDiagnostic, track });
    }
    const source = offThreadEventExport({ entry: this.init.sourceWorkerEntry, exportFile: eventLog.exportFile });
    return new EventLogPoller({
      source: { query: (since) => this.activity.track('eventlog', 'querying the Application event log', () => source.query(since)) },
      profiles,
      clock: this.clock,
      sinceMs,
      onSignal,
      onDiagnostic: (d) => this.report(d),
    });
  }

  private createSyslogForwarder(): SyslogForwarder | null {
    const target = this.config.settings.syslog;
    if (!target) return null;
    try {
      return new SyslogForwarder({
        host: target.host,
        port: target.port,
        // TLS always, verified against caFile or the system's CAs; plain TCP only when the policy says insecure: true.
        ...(target.insecure ? {} : { tls: target.caFile ? { ca: readFileSync(target.caFile) } : {} }),
        hostname: this.init.workstation,
        queueDir: join(this.init.stateDir, 'syslog-queue'),
        onDiagnostic: (d) => this.report(d),
      });
    } catch (err) {
      this.diagnose('syslog', 'syslog-not-started', `syslog forwarding not started: ${(err as Error).message}`);
      return null;
    }
  }

  private createPracticeLink(): PracticeLink | null {
    const share = this.config.settings.sharePath;
    if (!share) return null;
    try {
      return new PracticeLink({
        shareDir: share,
        stateDir: this.init.stateDir,
        clock: this.clock,
        workstation: this.init.workstation,
        onOutage: (outage) => this.send({ type: 'outage', outage: outage === null ? null : { id: outage.id, workstations: outage.workstations, since: outage.since, names: outage.names } }),
        onProblem: (message) => this.diagnose('practice', 'practice-share-unreachable', message),
        practiceKey: practiceKeyFromSettings(this.config.settings),
      });
    } catch (err) {
      this.diagnose('practice', 'practice-not-used', `practice share not used: ${(err as Error).message}`);
      return null;
    }
  }

  /** One flush of the outbox and one look at the share, tracked so a hung share is named. */
  private cyclePractice(): void {
    if (!this.practice || this.practiceCycle) return;
    const practice = this.practice;
    this.practiceCycle = this.activity
      .track('practice', `reading and writing the practice share ${this.config.settings.sharePath ?? ''}`, () => practice.cycle())
      .catch((err: unknown) => this.diagnose('practice', 'practice-cycle-failed', `practice share cycle failed: ${(err as Error).message}`))
      .finally(() => {
        this.practiceCycle = null;
      });
  }

  private running(): Array<{ pid: number; processName: string }> {
    return (this.processWatcher?.running() ?? []).map((s) => ({ pid: s.pid, processName: s.name }));
  }

  private runningClients(): RunningClient[] {
    return (this.processWatcher?.running() ?? []).slice(0, 100).map((s) => ({
      pid: s.pid,
      name: s.name,
      profile: this.profiles.find((p) => nameMatches(s.name, p.processNames))?.name ?? 'unknown',
    }));
  }

  private async startCapture(): Promise<void> {
    const sources = await platformCaptureSources({ platform: this.init.platform as NodeJS.Platform, config: this.config, running: () => this.running() });
    this.captureStatus = { textCaptureAvailable: false, clipboardAvailable: false, probeAvailable: false, unavailable: sources.unavailable };
    if (!sources.text && !sources.probe && !sources.clipboard) return;
    const { settings } = this.config;
    const intervals = this.init.captureIntervals;
    try {
      this.capture = new ClientCapture({
        vault: this.captured,
        clock: this.clock,
        profiles: this.profiles,
        sources,
        settings: { ...settings.clientCapture, ...this.effectiveSwitches(this.captureSwitches) },
        running: () => this.running(),
        onSignal: (signal) => this.signal(signal),
        onDiagnostic: (message) => this.diagnose('capture', 'capture-problem', message),
        ...(intervals.captureMs ? { captureIntervalMs: intervals.captureMs } : {}),
        ...(intervals.probeMs ? { probeIntervalMs: intervals.probeMs } : {}),
        ...(intervals.clipboardMs ? { clipboardIntervalMs: intervals.clipboardMs } : {}),
      });
      this.capture.start();
      if (sources.probe) this.processes.leaveHangsToTheProbe();
      this.captureStatus = { textCaptureAvailable: this.capture.textCaptureAvailable, clipboardAvailable: sources.clipboard !== null, probeAvailable: sources.probe !== null, unavailable: sources.unavailable };
    } catch (err) {
      this.capture = null;
      const message = `text capture could not start: ${(err as Error).message}`;
      this.captureStatus = { ...this.captureStatus, unavailable: message };
      this.diagnose('capture', 'capture-not-started', message);
    }
  }

  /** "capture: false" (no drafts kept at all) switches text capture off with everything else. */
  private effectiveSwitches(wanted: { enabled: boolean; clipboardJournal: boolean }): { enabled: boolean; clipboardJournal: boolean } {
    const keep = this.config.settings.capture;
    return { enabled: keep && wanted.enabled, clipboardJournal: keep && wanted.clipboardJournal };
  }

  async start(): Promise<void> {
    const starting: Array<Promise<unknown>> = [];
    const begin = (part: WatcherPart, what: string, work: () => Promise<unknown>): void => {
      starting.push(this.activity.track(part, what, work).catch((err: unknown) => this.diagnose(part, 'source-start-failed', `${what} failed: ${(err as Error).message}`)));
    };
    this.matcher?.start();
    this.syslog?.start();
    if (this.practice) {
      this.cyclePractice();
      this.every(this.init.practiceIntervalMs ?? 60_000, () => this.cyclePractice());
    }
    // The logs and WER first, as before the watcher had a process of its own: once the process
    // watcher reports the client, what it writes to its log is followed. A folder on a hung share
    // holds the rest back READY_WAIT_MS at most, and is named while it is stuck.
    for (const tailer of this.logTailers) begin('log', 'starting to follow the log folders', () => tailer.start());
    if (this.werWatcher) begin('wer', 'scanning the WER report folders', () => this.werWatcher!.start());
    this.every(this.init.heartbeatMs, () => this.heartbeat());
    this.eventLog?.start();
    await this.startCapture();
    let waited: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([Promise.all(starting), new Promise((resolve) => (waited = setTimeout(resolve, READY_WAIT_MS)))]);
    clearTimeout(waited);
    this.processWatcher?.start();
    this.send({ type: 'ready', capture: this.captureStatus, starting: this.activity.busy().map(describeBusy) });
    this.heartbeat();
  }

  private every(ms: number, fn: () => void): void {
    const timer = setInterval(fn, ms);
    this.timers.push(timer);
  }

  private heartbeat(): void {
    if (this.stopping) return;
    this.send({ type: 'heartbeat', seq: this.heartbeatSeq++, processPolls: this.processPolls, running: this.runningClients(), busy: this.activity.busy() });
    for (const stuck of this.activity.newlyStuck(this.init.stuckAfterMs)) {
      this.diagnose(stuck.part, 'source-stuck', `stuck: ${describeBusy(stuck)} and not finished; the other sources carry on`);
    }
  }

  /** A message from the note side (init and stop are the entry's). */
  handle(message: ToWatcher): void {
    switch (message.type) {
      case 'capture-settings':
        this.captureSwitches = message.capture;
        this.capture?.update(this.effectiveSwitches(message.capture));
        return;
      case 'snapshot-now':
        this.capture?.snapshotNow().catch((err: unknown) => this.diagnose('capture', 'capture-snapshot-failed', `trouble snapshot failed: ${(err as Error).message}`));
        return;
      case 'incident':
        this.forward(message.incident, message.change);
        this.send({ type: 'incident-done', seq: message.seq });
        return;
      case 'saved':
        this.captured.settle(message.requestId, message.error);
        return;
      case 'init':
      case 'stop':
        return;
    }
  }

  private forward(incident: Extract<ToWatcher, { type: 'incident' }>['incident'], change: Extract<ToWatcher, { type: 'incident' }>['change']): void {
    try {
      this.syslog?.send(incident, change);
    } catch (err) {
      this.diagnose('syslog', 'syslog-not-queued', `incident not queued for syslog: ${(err as Error).message}`);
    }
    try {
      this.practice?.record(incident);
    } catch (err) {
      this.diagnose('practice', 'practice-not-queued', `incident not queued for the practice share: ${(err as Error).message}`);
    }
  }

  private matchRecord(profile: string, record: TailedRecord): Promise<void> {
    const matcher = this.matcher!;
    const end = this.activity.begin('log', `matching a record of ${record.text.length} characters in ${record.path}`);
    return matcher
      .match(profile, record, this.clock.now())
      .then((signal) => {
        if (signal) this.signal(signal, recordKey(record));
      })
      .finally(end);
  }

  /** Said once per file per ten minutes, with how many since: a line of junk every second is one message. */
  private overBudget(event: OverBudget): void {
    const now = this.clock.now();
    const reportedAt = this.overBudgetReported.get(event.path);
    if (reportedAt !== undefined && now - reportedAt < OVER_BUDGET_REPORT_MS) return;
    this.overBudgetReported.set(event.path, now);
    this.diagnose(
      'log',
      'log-over-budget',
      `a record of ${event.chars} characters in ${event.path} (byte ${event.startOffset}) took more than ${this.init.matchBudgetMs} ms to match: ${
        event.matchedPrefix ? `matched on its first 8 KiB instead` : 'skipped'
      }; long records are cut short like this for the next 10 minutes`,
    );
  }

  private signal(signal: Signal, key?: string): void {
    // Another desktop session's crash (a Remote Desktop host) is never this GP's to hear about.
    const notOurs = this.processes.sessionScope()?.excludes(signal);
    if (notOurs) {
      this.diagnose(signal.source === 'wer' ? 'wer' : 'eventlog', 'other-session', `left out ${notOurs}`);
      return;
    }
    this.send({ type: 'signal', signal, ...(key !== undefined ? { key } : {}) });
  }

  private diagnose(part: WatcherPart, code: DiagnosticCode, message: string): void {
    this.report(diagnostic(part, code, message));
  }

  /** A source's diagnostic, sent as it is: every source of this process is a watcher part. */
  private report(d: Diagnostic): void {
    this.send({ type: 'diagnostic', diagnostic: { ...d, source: isWatcherPart(d.source) ? d.source : 'watcher' } });
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    await this.capture?.stop();
    await this.processWatcher?.stop();
    await this.eventLog?.stop();
    await this.werWatcher?.stop();
    // The tailers save their offsets once the matcher has answered for every record before them.
    for (const tailer of this.logTailers) await tailer.stop();
    await this.matcher?.close();
    await this.practiceCycle;
    await this.practice?.stop();
    await this.syslog?.close(2000);
    this.captured.abandon();
  }
}
