import { homedir } from 'node:os';
import { join } from 'node:path';
import { defaultConfigPaths } from '../config/configPaths.ts';

export interface LifeboatLocations {
  /** Per-user data: the vault and watcher state (log offsets). */
  dataDir: string;
  vaultDir: string;
  stateDir: string;
  /** The user's settings file. */
  userConfig: string;
  /** The practice's machine policy file (IT-managed, wins over the user's). */
  policyConfig: string;
}

/**
 * Where Lifeboat keeps things by default: %LOCALAPPDATA%\Lifeboat (never the roaming profile:
 * the vault stays on this PC), ~/Library/Application Support/Lifeboat, $XDG_DATA_HOME/lifeboat.
 * LIFEBOAT_DATA_DIR, LIFEBOAT_VAULT, LIFEBOAT_CONFIG and LIFEBOAT_POLICY override.
 */
export function defaultLocations(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): LifeboatLocations {
  const platformData =
    platform === 'win32'
      ? join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'Lifeboat')
      : platform === 'darwin'
        ? join(homedir(), 'Library', 'Application Support', 'Lifeboat')
        : join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'lifeboat');
  const dataDir = env.LIFEBOAT_DATA_DIR ?? platformData;
  const config = defaultConfigPaths(env, platform);
  return {
    dataDir,
    vaultDir: env.LIFEBOAT_VAULT ?? join(dataDir, 'vault'),
    stateDir: join(dataDir, 'state'),
    userConfig: env.LIFEBOAT_CONFIG ?? config.userPath,
    policyConfig: env.LIFEBOAT_POLICY ?? config.policyPath,
  };
}
