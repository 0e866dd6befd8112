import { systemClock, type Clock } from '../common/clock.ts';
import { diagnostic } from '../common/diagnostic.ts';
import type { HealthState } from '../common/incident.ts';
import { createApiHandlers, LifeboatEvents, type ApiHandlers, type SettingsStore } from './api/apiBackend.ts';
import { siteContext } from './api/siteContext.ts';
import { loadConfig, type LoadedConfig } from './config/configFile.ts';
import { applyPolicyLive } from './config/livePolicy.ts';
import type { PlatformPolicy } from './config/platformPolicy.ts';
import { defaultRuntimeEntries } from './runtime/runtimeEntries.ts';
import { LifeboatService, type LifeboatServiceOptions } from './service.ts';
import { ConfigSettingsStore } from './settingsStore.ts';
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
  userConfigPath?: string;
  policyConfigPath?: string;
  /** A config already loaded (the demo and tests build their own). */
  config?: LoadedConfig;
  /** Registry policy (Windows): a layer of the config, and applied live when it changes. */
  policy?: PlatformPolicy;
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
  config: LoadedConfig;
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

/**
 * The composition root shared by `lifeboat watch`, `serve`, `demo` and the Electron main process.
 * This process is the note side: the vault writer (saves are synchronous and durable on return),
 * the notify policy and the API the UI talks to. Beside it: the watcher process (every source,
 * supervised by the service) and the vault maintenance worker (long reads, checkpoints when
 * typing pauses, the retention purge), so nothing slow ever runs where a save is answered.
 */
export async function startLifeboat(options: StartLifeboatOptions): Promise<LifeboatRuntime> {
  const clock = options.clock ?? systemClock;
  const env = options.env ?? process.env;
  const config =
    options.config ??
    loadConfig({ env, ...(options.platform ? { platform: options.platform } : {}), ...(options.userConfigPath ? { userPath: options.userConfigPath } : {}), ...(options.policyConfigPath ? { policyPath: options.policyConfigPath } : {}), policySources: options.policy?.sources ?? [] });
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
  const settings = new ConfigSettingsStore(config, options.userConfigPath ?? null, (view) => {
    retentionDays = view.retentionDays;
    service.setNotificationsEnabled(view.notificationsEnabled);
    service.setCapture({ enabled: view.clientCapture.enabled, clipboardJournal: view.clientCapture.clipboardJournal });
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
  const stopPolicy = options.policy
    ? applyPolicyLive({
        policy: options.policy,
        load: { env, ...(options.platform ? { platform: options.platform } : {}), ...(options.userConfigPath ? { userPath: options.userConfigPath } : {}), ...(options.policyConfigPath ? { policyPath: options.policyConfigPath } : {}) },
        initial: config,
        apply: (live) => {
          retentionDays = live.retentionDays;
          service.setNotificationsEnabled(live.notificationsEnabled);
          service.setCapture({ enabled: live.captureEnabled, clipboardJournal: live.clipboardJournal });
        },
        onDiagnostic: (d) => onDiagnostic?.(d),
      })
    : null;

  let stopped = false;
  return {
    vault,
    events,
    service,
    handlers,
    settings,
    config,
    vaultWorker,
    maintenance,
    health: () => service.correlator.healthStatus(),
    watching: (timeoutMs) => service.watching(timeoutMs),
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(retentionTimer);
      await stopPolicy?.();
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
