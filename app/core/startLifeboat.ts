import { systemClock, type Clock } from '../common/clock.ts';
import type { HealthState } from '../common/incident.ts';
import { createApiHandlers, LifeboatEvents, type ApiHandlers, type SettingsStore } from './api/apiBackend.ts';
import { siteContext } from './api/siteContext.ts';
import { loadConfig, type LoadedConfig } from './config/configFile.ts';
import { applyPolicyLive } from './config/livePolicy.ts';
import type { PlatformPolicy } from './config/platformPolicy.ts';
import { LifeboatService, type LifeboatServiceOptions } from './service.ts';
import { ConfigSettingsStore } from './settingsStore.ts';
import { Vault } from './vault/vault.ts';
import type { VaultKeySource } from './vault/vaultKey.ts';

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
  /** Service options to override (process lister, WER roots, log start, callbacks). */
  service?: Partial<Omit<LifeboatServiceOptions, 'vault' | 'config' | 'clock' | 'events' | 'stateDir'>>;
}

export interface LifeboatRuntime {
  vault: Vault;
  events: LifeboatEvents;
  service: LifeboatService;
  handlers: ApiHandlers;
  settings: SettingsStore;
  config: LoadedConfig;
  health(): { state: HealthState; since: number; reason: string };
  /** Writes a final revision of open drafts, stops the watchers, closes the vault. */
  stop(): Promise<void>;
}

const RETENTION_CHECK_MS = 60 * 60_000;
const DAY_MS = 86_400_000;

/**
 * The composition root shared by `lifeboat watch`, `serve`, `demo` and the Electron main process:
 * config, vault, watcher service, notify policy and the API handlers the UI talks to.
 */
export async function startLifeboat(options: StartLifeboatOptions): Promise<LifeboatRuntime> {
  const clock = options.clock ?? systemClock;
  const env = options.env ?? process.env;
  const config =
    options.config ??
    loadConfig({ env, ...(options.platform ? { platform: options.platform } : {}), ...(options.userConfigPath ? { userPath: options.userConfigPath } : {}), ...(options.policyConfigPath ? { policyPath: options.policyConfigPath } : {}), policySources: options.policy?.sources ?? [] });
  const vault = Vault.open({ dir: options.vaultDir, keySource: options.keySource, clock });
  const events = new LifeboatEvents();
  const service = new LifeboatService({ vault, config, clock, events, stateDir: options.stateDir, env, ...(options.platform ? { platform: options.platform } : {}), ...options.service });
  let retentionDays = config.settings.retentionDays;
  const settings = new ConfigSettingsStore(config, options.userConfigPath ?? null, (view) => {
    retentionDays = view.retentionDays;
    service.setNotificationsEnabled(view.notificationsEnabled);
    service.setCapture({ enabled: view.clientCapture.enabled, clipboardJournal: view.clientCapture.clipboardJournal });
  });
  settings.setCaptureAvailability(() => service.captureStatus());
  const site = siteContext({ vaultPath: vault.path, config, workstation: options.service?.workstation });
  const handlers = createApiHandlers({ vault, status: service, settings, now: () => clock.now(), site });

  const purge = (): void => {
    vault.purgeOlderThan(retentionDays * DAY_MS);
  };
  purge();
  const retentionTimer = setInterval(purge, RETENTION_CHECK_MS);
  retentionTimer.unref();
  await service.start();
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
        onDiagnostic: (message) => options.service?.onDiagnostic?.({ source: 'service', message }),
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
    health: () => service.correlator.healthStatus(),
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(retentionTimer);
      await stopPolicy?.();
      try {
        vault.checkpointOpenDrafts('shutdown');
      } finally {
        await service.stop();
        vault.close();
      }
    },
  };
}
