import type { LifeboatEvent } from '../common/api.ts';
import type { Clock } from '../common/clock.ts';
import type { HealthState } from '../common/incident.ts';
import type { ApiHandlers } from '../core/api/apiBackend.ts';
import type { MachinePolicyLocation } from '../core/config/machinePolicy.ts';
import type { RuntimeEntries } from '../core/runtime/runtimeEntries.ts';
import type { WatcherLauncher } from '../core/runtime/watcherLauncher.ts';
import type { VaultKeySource } from '../core/vault/vaultKey.ts';

/**
 * What Electron main needs from the live Lifeboat service (app/core/service.ts, the watcher,
 * correlator, notify policy and vault composed). main.ts receives a StartLifeboatService and
 * knows nothing else about it.
 *
 * The service owns the notify policy and emits { type: 'notification' } events (so the browser
 * mode can show the same decisions as toasts); main only shows them and routes clicks.
 */
export interface LifeboatServiceHandle {
  handlers: ApiHandlers;
  events: { subscribe(listener: (event: LifeboatEvent) => void): () => void };
  /** Cheap (no vault query): the tray reads it on every health event. */
  health(): { state: HealthState; since: number; reason: string };
  /** The vault's shutdown hook: a final revision of every open draft with unrevisioned text. */
  vault: { checkpointOpenDrafts(reason: 'shutdown'): number };
  /** Stops watchers and closes the vault. Called once, after the shutdown checkpoint. */
  stop(): void | Promise<void>;
}

export interface LifeboatServiceOptions {
  vaultDir: string;
  keySource: VaultKeySource;
  clock: Clock;
  /** The bundled watcher and worker entries (out/main/*.cjs) and how to start the watcher (utilityProcess). */
  runtime?: { entries: RuntimeEntries; launchWatcher: WatcherLauncher };
  /** The machine policy's fixed place (config/machinePolicy.ts): never from the user's environment. */
  machinePolicy: MachinePolicyLocation;
  /** Where the service's diagnostics go (config problems in full, for IT). */
  log?: (line: string) => void;
}

export type StartLifeboatService = (options: LifeboatServiceOptions) => LifeboatServiceHandle | Promise<LifeboatServiceHandle>;
