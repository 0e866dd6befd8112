import { existsSync } from 'node:fs';
import type { LogFolderView } from '../../common/api.ts';
import type { LoadedConfig } from '../config/configFile.ts';

/** A variable that was not set (left as written by expandPathVars), a drive letter or a UNC path. */
const UNEXPANDED = /%[A-Za-z_][A-Za-z0-9_()]*%/;
const WINDOWS_PATH = /^[A-Za-z]:[\\/]|^[\\/]{2}[^\\/]/;

/**
 * The log folders Lifeboat really watches (the active profiles'), each with whether it exists
 * here, for Settings. A folder whose %VARIABLE% is not set on this computer is shown as written,
 * with Windows backslashes, and counted as not found: it cannot be watched.
 */
export function watchedLogFolders(config: Pick<LoadedConfig, 'active' | 'logFolders'>, exists: (path: string) => boolean = existsSync): LogFolderView[] {
  const seen = new Set<string>();
  const out: LogFolderView[] = [];
  for (const profile of config.active) {
    for (const path of config.logFolders[profile.name] ?? []) {
      if (seen.has(path)) continue;
      seen.add(path);
      const unexpanded = UNEXPANDED.test(path);
      out.push({
        clientName: profile.displayName,
        path: unexpanded || WINDOWS_PATH.test(path) ? path.replace(/\//g, '\\') : path,
        found: !unexpanded && exists(path),
      });
    }
  }
  return out;
}
