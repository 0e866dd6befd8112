import { join } from 'node:path';
import { systemClock, type Clock } from '../common/clock.ts';
import { diagnostic } from '../common/diagnostic.ts';
import type { HealthState } from '../common/incident.ts';
import { createApiHandlers, LifeboatEvents, type ApiHandlers } from './api/apiBackend.ts';
import { siteContext } from './api/siteContext.ts';
import { narrowToProfile, type LoadedConfig } from './config/configFile.ts';
import { configProblemDiagnostic, describeConfigChange } from './config/configChange.ts';
import { ConfigWatcher } from './config/configWatcher.ts';
import { resolveConfig, type ConfigSources, type ResolvedConfig } from './config/failSafeConfig.ts';
import { LastGoodPolicyFile } from './config/lastGoodPolicy.ts';
import type { PlatformPolicy } from './config/platformPolicy.ts';
import { defaultRuntimeEntries } from './runtime/runtimeEntries.ts';
import { LifeboatService, type LifeboatServiceOptions } from './service.ts';
import { SettingsStore } from './settings/settingsStore.ts';
import { MaintenanceScheduler } from './vault/maintenanceScheduler.ts';
import { Vault } from './vault/vault.ts';
import type { VaultKeySource } from './vault/vaultKey.ts';
import { VaultWorker } from './vault/vaultWorker.ts';

export interface StartLifeboatOptions {
  vaultDir: string;
  keySource: VaultKeySource;
  stateDir: string;
  clock?: Clock;
  env?: Readonly<Record<string, string | undefined>>;
  platform?: NodeJS.Platform;
  /** The GP's own settings file (read, watched, and written by Settings); absent: none. */
  userConfigPath?: string;
  /**
   * The machine policy file. The products pass the platform's fixed place (machinePolicyLocation:
   * never from the user's environment); only the test entry passes another. Absent: none.
   */
  policyConfigPath?: string;
  /** A config already made, in force as it is, no files read or watched (the demo and tests build their own). */
  config?: LoadedConfig;
  /** Watch only this client profile (`--profile`) until the GP picks another in Settings. */
  profile?: string;
  /** Registry policy (Windows): a layer of the config, and applied live when it changes. */
  policy?: PlatformPolicy;
  /** How often the config files are compared with what was last read (default 2 s). */
  configPollMs?: number;
  /** Service options to override (WER roots, log start, watcher launcher and timings, callbacks). */
  service?: Partial<Omit<LifeboatServiceOptions, 'vault' | 'config' | 'clock' | 'events' | 'stateDir'>>;
  /** When typing has paused long enough for a WAL checkpoint (default 2 s). */
  checkpointPauseMs?: number;
}

export interface LifeboatRuntime {
  vault: Vault;
  events: LifeboatEvents;
  service: LifeboatService;
  handlers: ApiHandlers;
  settings: SettingsStore;
  /** The config in force at start (`settings.current()` follows later changes). */
  config: LoadedConfig;
  /** How the config was decided at start, with any problem (the fail-safe rule, failSafeConfig.ts). */
  resolved: ResolvedConfig;
  /** The thread with its own vault connections that answers long reads and does maintenance. */
  vaultWorker: VaultWorker;
  maintenance: MaintenanceScheduler;
  health(): { state: HealthState; since: number; reason: string };
  /**
   * Resolves true once the watcher process is watching (false after `timeoutMs`). startLifeboat
   * does not wait for it: subscribe to events first, then wait here if the caller must.
   */
  watching(timeoutMs?: number): Promise<boolean>;
  /** Writes a final revision of open drafts, stops the watcher, the worker, closes the vault. */
  stop(): Promise<void>;
}

const RETENTION_CHECK_MS = 60 * 60_000;
const DAY_MS = 86_400_000;

/** `--profile` named a profile the config does not have. */
export class UnknownProfileError extends Error {
  constructor(name: string, known: readonly string[]) {
    super(`no client profile named "${name}"; known: ${known.join(', ')}`);
    this.name = 'UnknownProfileError';
  }
}

/** Where the copy of the last policy that loaded is kept, in the app's state folder. */
export const LAST_GOOD_POLICY_FILE = 'last-good-policy.json';

/**
 * The composition root shared by `lifeboat watch`, `serve`, `demo` and the Electron main process.
 * This process is the note side: the vault writer (saves are synchronous and durable on return),
 * the notify policy and the API the UI talks to. Beside it: the watcher process (every source,
 * supervised by the service) and the vault maintenance worker (long reads, checkpoints when
 * typing pauses, the retention purge), so nothing slow ever runs where a save is answered.
 *
 * Configuration fails safe, by one rule for every front end (resolveConfig, failSafeConfig.ts):
 * the vault and the note window always start; a bad user file is ignored and the policy kept; a
 * bad or unreadable policy means the last good one (kept in the state folder after every good
 * load) or, with none, the most restrictive settings; the problem shows on Status and Settings.
 * The files are watched (ConfigWatcher): a fixed file takes effect live, and a change of client
 * profile restarts the watcher with it.
 */
export async function startLifeboat(options: StartLifeboatOptions): Promise<LifeboatRuntime> {
  const clock = options.clock ?? systemClock;
  const env = options.env ?? process.env;
  const sources: ConfigSources = {
    env,
    ...(options.platform ? { platform: options.platform } : {}),
    ...(options.userConfigPath ? { userPath: options.userConfigPath } : {}),
    ...(options.policyConfigPath ? { policyPath: options.policyConfigPath } : {}),
    policySources: options.policy?.sources ?? [],
    lastGood: new LastGoodPolicyFile(join(options.stateDir, LAST_GOOD_POLICY_FILE)),
    now: () => clock.now(),
  };
  // `--profile` holds until the GP chooses a client in Settings (then the choice in their file does).
  let profile = options.profile;
  const narrowed = (resolved: ResolvedConfig): ResolvedConfig => (profile === undefined ? resolved : { ...resolved, config: narrowToProfile(resolved.config, profile) ?? resolved.config });
  const resolved = narrowed(options.config ? { config: options.config, rule: 'as-configured', problems: [], problem: null } : resolveConfig(sources));
  const config = resolved.config;
  if (profile !== undefined && !config.profiles.some((p) => p.name === profile)) throw new UnknownProfileError(profile, config.profiles.map((p) => p.name));
  const diagnose = options.service?.onDiagnostic;
  for (const problem of resolved.problems) diagnose?.(configProblemDiagnostic(problem));
  const entries = options.service?.entries ?? defaultRuntimeEntries();

  // The key the vault opens with goes to the maintenance worker too (in memory, never to disk).
  let key: Buffer | null = null;
  const keySource: VaultKeySource = { description: options.keySource.description, load: (mayCreate) => (key = options.keySource.load(mayCreate)) };
  let maintenance: MaintenanceScheduler | null = null;
  const vault = Vault.open({ dir: options.vaultDir, keySource, clock, walAutoCheckpoint: false, onWrite: () => maintenance?.noteWrite() });
  const events = new LifeboatEvents();
  const onDiagnostic = options.service?.onDiagnostic;
  const vaultWorker = new VaultWorker({ entry: entries.vaultWorker, dir: options.vaultDir, key: key!, onProblem: (message) => onDiagnostic?.(diagnostic('vault', 'vault-worker-problem', message)) });
  vaultWorker.start();
  maintenance = new MaintenanceScheduler({
    worker: vaultWorker,
    now: () => clock.now(),
    ...(options.checkpointPauseMs !== undefined ? { pauseMs: options.checkpointPauseMs } : {}),
    onProblem: (message) => onDiagnostic?.(diagnostic('vault', 'vault-maintenance-failed', message)),
  });
  const service = new LifeboatService({ vault, config, clock, events, stateDir: options.stateDir, env, entries, ...(options.platform ? { platform: options.platform } : {}), ...options.service });
  let retentionDays = config.settings.retentionDays;
  const apply = (next: LoadedConfig): void => {
    retentionDays = next.settings.retentionDays;
    service.reconfigure(next);
  };
  const settings = new SettingsStore({
    resolved,
    userPath: options.config ? null : (options.userConfigPath ?? null),
    onChange: (next, previous) => {
      if (next.settings.activeProfiles.join() !== previous.settings.activeProfiles.join()) profile = undefined;
      apply(next);
    },
  });
  settings.setCaptureAvailability(() => service.captureStatus());
  const site = siteContext({ vaultPath: vault.path, config, workstation: options.service?.workstation });
  const handlers = createApiHandlers({ vault, reads: vaultWorker, status: service, settings, now: () => clock.now(), site });

  // The purge runs in the worker at the next pause in typing, in short steps.
  const purge = (): void => maintenance.requestPurge(retentionDays * DAY_MS);
  purge();
  const retentionTimer = setInterval(purge, RETENTION_CHECK_MS);
  retentionTimer.unref();
  service.start();
  const configWatcher = options.config
    ? null
    : new ConfigWatcher({
        sources,
        initial: resolved,
        platformPolicy: options.policy ?? null,
        ...(options.configPollMs !== undefined ? { intervalMs: options.configPollMs } : {}),
        onChange: (next, previous) => {
          const current = narrowed(next);
          settings.setResolved(current);
          apply(current.config);
          for (const said of describeConfigChange(narrowed(previous), current)) diagnose?.(said);
        },
        onDiagnostic: (message) => diagnose?.(diagnostic('config', 'policy-unavailable', message)),
      });
  configWatcher?.start();

  let stopped = false;
  return {
    vault,
    events,
    service,
    handlers,
    settings,
    config,
    resolved,
    vaultWorker,
    maintenance,
    health: () => service.correlator.healthStatus(),
    watching: (timeoutMs) => service.watching(timeoutMs),
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(retentionTimer);
      await configWatcher?.stop();
      try {
        vault.checkpointOpenDrafts('shutdown');
      } finally {
        await service.stop();
        await maintenance.stop();
        await vaultWorker.close();
        vault.close();
      }
    },
  };
}
