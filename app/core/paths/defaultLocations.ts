import { homedir } from 'node:os';
import { join } from 'node:path';
import { defaultUserConfigPath } from '../config/configPaths.ts';

export interface LifeboatLocations {
  /** Per-user data: the vault and watcher state (log offsets). */
  dataDir: string;
  vaultDir: string;
  stateDir: string;
  /** The user's settings file. */
  userConfig: string;
}

/**
 * Where Lifeboat keeps things by default: %LOCALAPPDATA%\Lifeboat (never the roaming profile:
 * the vault stays on this PC), ~/Library/Application Support/Lifeboat, $XDG_DATA_HOME/lifeboat.
 * LIFEBOAT_DATA_DIR, LIFEBOAT_VAULT and LIFEBOAT_CONFIG override: all of them the user's own.
 * The machine policy is not here: its place is fixed and nothing in the user's environment moves
 * it (config/machinePolicy.ts).
 */
/** An empty variable counts as unset (the XDG rule): "" would put Lifeboat's folders in the current directory. */
function set(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

export function defaultLocations(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): LifeboatLocations {
  const platformData =
    platform === 'win32'
      ? join(set(env.LOCALAPPDATA) ?? join(homedir(), 'AppData', 'Local'), 'Lifeboat')
      : platform === 'darwin'
        ? join(homedir(), 'Library', 'Application Support', 'Lifeboat')
        : join(set(env.XDG_DATA_HOME) ?? join(homedir(), '.local', 'share'), 'lifeboat');
  const dataDir = set(env.LIFEBOAT_DATA_DIR) ?? platformData;
  return {
    dataDir,
    vaultDir: env.LIFEBOAT_VAULT ?? join(dataDir, 'vault'),
    stateDir: join(dataDir, 'state'),
    userConfig: env.LIFEBOAT_CONFIG ?? defaultUserConfigPath(env, platform),
  };
}
