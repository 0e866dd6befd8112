import { join, posix, win32 } from 'node:path';

/**
 * Where the GP's own settings file is when not told: %APPDATA%\Lifeboat\config.json, or
 * $XDG_CONFIG_HOME/lifeboat/config.json. (The machine policy's place is fixed: machinePolicy.ts.)
 */
export function defaultUserConfigPath(env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform): string {
  if (platform === 'win32') {
    const appData = env.APPDATA ?? win32.join(env.USERPROFILE ?? 'C:\\Users\\Default', 'AppData', 'Roaming');
    return win32.join(appData, 'Lifeboat', 'config.json');
  }
  const configHome = (env.XDG_CONFIG_HOME?.trim() ? env.XDG_CONFIG_HOME : undefined) ?? join(env.HOME ?? '/tmp', '.config');
  return posix.join(configHome, 'lifeboat', 'config.json');
}
