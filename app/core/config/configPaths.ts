import { join, posix, win32 } from 'node:path';

/**
 * Where Lifeboat looks for its two config files when not told:
 * - user file (the GP's own choices): %APPDATA%\Lifeboat\config.json, or $XDG_CONFIG_HOME/lifeboat/config.json
 * - machine policy (IT-managed, wins): %ProgramData%\Lifeboat\policy.json, or /etc/lifeboat/policy.json
 */
export function defaultConfigPaths(env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform): { userPath: string; policyPath: string } {
  if (platform === 'win32') {
    const appData = env.APPDATA ?? win32.join(env.USERPROFILE ?? 'C:\\Users\\Default', 'AppData', 'Roaming');
    const programData = env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData';
    return { userPath: win32.join(appData, 'Lifeboat', 'config.json'), policyPath: win32.join(programData, 'Lifeboat', 'policy.json') };
  }
  const configHome = env.XDG_CONFIG_HOME ?? join(env.HOME ?? '/tmp', '.config');
  return { userPath: posix.join(configHome, 'lifeboat', 'config.json'), policyPath: '/etc/lifeboat/policy.json' };
}
