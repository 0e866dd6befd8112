import { systemClock } from '../../../app/common/clock.ts';
import { LifeboatEvents } from '../../../app/core/api/apiBackend.ts';
import { loadConfig } from '../../../app/core/config/configFile.ts';
import type { ApiServer } from '../../../app/core/serve/apiServer.ts';
import { startServe } from '../../../app/core/serve/startServe.ts';
import { Vault } from '../../../app/core/vault/vault.ts';
import { headlessKeySource } from '../../../app/core/vault/vaultKey.ts';
import { memorySettings } from '../../../testing/api/memorySettings.ts';
import { buildRenderer } from './build.ts';
import { HandHealth } from './handHealth.ts';

export interface InProcessServe {
  vault: Vault;
  server: ApiServer;
  /** Health the test sets; notes, incidents and counts come from the real vault. */
  health: HandHealth;
  /** The test emits notifications and health changes here, as the watcher service would. */
  events: LifeboatEvents;
  close(): Promise<void>;
}

/**
 * `lifeboat serve`'s wiring (startServe) in this process, over a vault the test seeded: for
 * stories about the screens, where the test plays the watcher. The built-in settings and profiles.
 */
export async function serveInProcess(vaultDir: string): Promise<InProcessServe> {
  const vault = Vault.open({ dir: vaultDir, keySource: headlessKeySource(vaultDir), clock: systemClock });
  const health = new HandHealth();
  const events = new LifeboatEvents();
  const config = loadConfig({ env: {} });
  const server = await startServe({ vault, status: health, settings: memorySettings(), events, config, staticDir: await buildRenderer() });
  return {
    vault,
    server,
    health,
    events,
    close: async () => {
      await server.close();
      vault.close();
    },
  };
}
