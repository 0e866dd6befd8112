import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LifeboatEvent } from '../../app/common/api.ts';
import type { Signal } from '../../app/common/signal.ts';
import { loadConfig, type LoadedConfig } from '../../app/core/config/configFile.ts';
import type { PatternSpec } from '../../app/core/config/profiles.ts';
import type { RuntimeEntries } from '../../app/core/runtime/runtimeEntries.ts';
import type { WatcherTimings } from '../../app/core/service.ts';
import { startLifeboat, type LifeboatRuntime } from '../../app/core/startLifeboat.ts';
import { FixedKeySource, newVaultKey } from '../../app/core/vault/vaultKey.ts';
import { SimClientProcess } from '../../app/cli/sim/simClientProcess.ts';

export interface SimHarness {
  base: string;
  dirs: { vault: string; state: string; logs: string; wer: string };
  runtime: LifeboatRuntime;
  events: LifeboatEvent[];
  signals: Signal[];
  /** What the service reported about its own sources (never patient data). */
  diagnostics: string[];
  clients: SimClientProcess[];
  startClient(options?: { rotateBytes?: number; rotateMode?: 'rename' | 'copytruncate'; intervalMs?: number; uiSlowMs?: number }): Promise<SimClientProcess>;
  close(): Promise<void>;
}

let harnesses = 0;

/** The simulated clinical client watched by a real Lifeboat service, all in a temp folder. */
export interface SimHarnessOptions {
  pollIntervalMs?: number;
  sharePath?: string;
  workstation?: string;
  syslog?: { host: string; port: number; insecure?: true };
  /** The simulated profile's UI latency threshold and how long it must last (default 1000 ms for 10 s). */
  slow?: { uiLatencyMs?: number; sustainedMs?: number };
  clientCapture?: { enabled?: boolean; clipboardJournal?: boolean };
  captureIntervals?: { captureMs?: number; probeMs?: number; clipboardMs?: number };
  notificationThrottleMs?: number;
  /** The watcher process's timings (heartbeat, budget, restart back-off). */
  watcher?: WatcherTimings;
  /** Extra crash patterns for the simulated profile (as a practice's policy might add). */
  extraCrashPatterns?: PatternSpec[];
  /** Event Log source for the watcher (default none). */
  eventLog?: 'none' | { exportFile: string };
  /** Where the watcher and worker entries are (default: the sources). */
  entries?: RuntimeEntries;
  /** The correlator's tick and the practice share's cycle (default 100 ms and 300 ms: quick tests; benchmarks use production's). */
  tickMs?: number;
  practiceIntervalMs?: number;
  /** Start the watcher but do not wait for it to be watching (tests of a watcher that cannot start). */
  skipWatchingCheck?: boolean;
}

export async function startSimHarness(options: SimHarnessOptions = {}): Promise<SimHarness> {
  const base = mkdtempSync(join(tmpdir(), 'lifeboat-sim-'));
  const dirs = { vault: join(base, 'vault'), state: join(base, 'state'), logs: join(base, 'logs'), wer: join(base, 'WER') };
  const werRoots = [join(dirs.wer, 'ReportArchive'), join(dirs.wer, 'ReportQueue')];
  for (const dir of [...Object.values(dirs), ...werRoots]) mkdirSync(dir, { recursive: true });
  const env = { ...process.env, LIFEBOAT_SIM_LOG_DIR: dirs.logs };
  const loaded = loadConfig({ env });
  // A process name of its own: the watcher finds clients by name, and other tests (and demos)
  // run simulated clients on this machine at the same time.
  const title = `lb-sim-${process.pid}-${++harnesses}`;
  const base0 = loaded.profiles.find((p) => p.name === 'simulated')!;
  const simulated = {
    ...base0,
    processNames: [title],
    slow: { ...base0.slow, ...options.slow },
    patterns: { ...base0.patterns, crash: [...base0.patterns.crash, ...(options.extraCrashPatterns ?? [])] },
  };
  const config: LoadedConfig = {
    ...loaded,
    active: [simulated],
    settings: {
      ...loaded.settings,
      activeProfiles: ['simulated'],
      pollIntervalMs: options.pollIntervalMs ?? 250,
      clientCapture: { ...loaded.settings.clientCapture, ...options.clientCapture },
      notifications: { ...loaded.settings.notifications, ...(options.notificationThrottleMs !== undefined ? { throttleMs: options.notificationThrottleMs } : {}) },
      ...(options.sharePath ? { sharePath: options.sharePath } : {}),
      ...(options.syslog ? { syslog: options.syslog } : {}),
    },
  };
  const clients: SimClientProcess[] = [];
  const events: LifeboatEvent[] = [];
  const signals: Signal[] = [];
  const diagnostics: string[] = [];
  const runtime = await startLifeboat({
    vaultDir: dirs.vault,
    keySource: new FixedKeySource(newVaultKey()),
    stateDir: dirs.state,
    env,
    config,
    service: {
      werRoots,
      eventLog: options.eventLog ?? 'none',
      ...(options.watcher ? { watcher: options.watcher } : {}),
      ...(options.entries ? { entries: options.entries } : {}),
      logStartAt: 'beginning',
      tickMs: options.tickMs ?? 100,
      practiceIntervalMs: options.practiceIntervalMs ?? 300,
      ...(options.workstation ? { workstation: options.workstation } : {}),
      ...(options.captureIntervals ? { captureIntervals: options.captureIntervals } : {}),
      exitCodeFor: (pid) => {
        const client = clients.find((c) => c.pid === pid);
        return client ? client.exitCode : null;
      },
      onSignal: (s) => signals.push(s),
      onDiagnostic: (d) => diagnostics.push(`${d.source}: ${d.message}`),
    },
  });
  runtime.events.subscribe((e) => events.push(e));
  if (!options.skipWatchingCheck && !(await runtime.watching(30_000))) throw new Error(`the watcher did not start: ${diagnostics.join('; ')}`);
  return {
    base,
    dirs,
    runtime,
    events,
    signals,
    diagnostics,
    clients,
    async startClient(clientOptions = {}) {
      const client = SimClientProcess.start({ logDir: dirs.logs, werDir: dirs.wer, intervalMs: 50, title, ...clientOptions });
      clients.push(client);
      await client.ready;
      return client;
    },
    async close() {
      for (const client of clients) {
        client.resume();
        client.kill();
      }
      await Promise.all(clients.map((c) => c.exited));
      await runtime.stop();
      rmSync(base, { recursive: true, force: true });
    },
  };
}

export function incidentsOf(harness: SimHarness, kind: string): Array<Extract<LifeboatEvent, { type: 'incident' }>['incident']> {
  const latest = new Map<string, Extract<LifeboatEvent, { type: 'incident' }>['incident']>();
  for (const e of harness.events) if (e.type === 'incident') latest.set(e.incident.id, e.incident);
  return [...latest.values()].filter((i) => i.kind === kind);
}

export function healthStates(harness: SimHarness): string[] {
  return harness.events.filter((e) => e.type === 'health').map((e) => (e as Extract<LifeboatEvent, { type: 'health' }>).state);
}
