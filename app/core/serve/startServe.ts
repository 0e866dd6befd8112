import type { ApiHandlers, LifeboatEvents, SettingsSource, StatusSource } from '../api/apiBackend.ts';
import { createApiHandlers } from '../api/apiBackend.ts';
import { siteContext } from '../api/siteContext.ts';
import type { LoadedConfig } from '../config/configFile.ts';
import type { Vault } from '../vault/vault.ts';
import { startApiServer, type ApiServer } from './apiServer.ts';
import { ensureRendererBuilt } from './rendererBundle.ts';

/** The running service's own handlers (long reads in its vault worker), or the parts to build them from. */
export type ServeBackend =
  | { handlers: ApiHandlers }
  | {
      vault: Vault;
      status: StatusSource;
      settings: SettingsSource;
      /** The practice's settings (share, practice name and ODS code for reports); default none. */
      config?: Pick<LoadedConfig, 'settings'>;
      workstation?: string;
    };

export type StartServeOptions = ServeBackend & {
  events: LifeboatEvents;
  port?: number;
  host?: string;
  /** The built renderer; default out/renderer, built first when stale. */
  staticDir?: string;
  token?: string;
  now?: () => number;
  /** Told when the renderer has to be built first (slow, once). */
  onRendererBuild?: () => void;
};

/**
 * Everything between a vault plus a status source and a URL the GP can open: the one wiring that
 * `lifeboat serve`, `lifeboat demo` and the end-to-end tests share. The caller owns the vault.
 */
export async function startServe(options: StartServeOptions): Promise<ApiServer> {
  const handlers =
    'handlers' in options
      ? options.handlers
      : createApiHandlers({
          vault: options.vault,
          status: options.status,
          settings: options.settings,
          now: options.now ?? Date.now,
          site: siteContext({ vaultPath: options.vault.path, config: options.config, workstation: options.workstation }),
        });
  const staticDir = options.staticDir ?? (await ensureRendererBuilt(options.onRendererBuild ? { onBuild: options.onRendererBuild } : {}));
  return startApiServer({
    handlers,
    events: options.events,
    staticDir,
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.token !== undefined ? { token: options.token } : {}),
  });
}
