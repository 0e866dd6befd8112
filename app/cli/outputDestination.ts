import { statSync } from 'node:fs';
import { dirname, resolve, win32 } from 'node:path';
import { CliError } from './cliError.ts';

export interface DestinationContext {
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
}

/**
 * Checks an --out path before anything is read or audited, so a mistake is one line that says
 * what to do, never a raw ENOTDIR/EISDIR after the data was gathered.
 *
 * `private` outputs (a drafts export holds every note in plaintext): on Windows a new file
 * inherits its folder's ACL, and mode 0600 means nothing there, so only folders inside the
 * user's own profile (where the inherited ACL is the user's, SYSTEM's and Administrators')
 * are accepted.
 */
export function checkOutputDestination(out: string, options: { private: boolean } & DestinationContext): string {
  const platform = options.platform ?? process.platform;
  const path = platform === 'win32' ? win32.resolve(out) : resolve(out);
  if (options.private && platform === 'win32') {
    const profile = (options.env ?? process.env).USERPROFILE;
    if (!profile || !isInside(path, profile)) {
      throw new CliError(`on Windows the export goes only inside your own profile folder (${profile ?? '%USERPROFILE%'}), where only you can read it; choose a path there`, 2);
    }
  }
  const existing = statOrNull(path);
  if (existing?.isDirectory()) throw new CliError(`--out names a folder (${path}); give a file name inside it, e.g. ${platform === 'win32' ? win32.join(path, 'drafts.json') : `${path}/drafts.json`}`, 2);
  const folder = platform === 'win32' ? win32.dirname(path) : dirname(path);
  const parent = statOrNull(folder);
  if (!parent) throw new CliError(`the folder for --out (${folder}) does not exist; check the path, or create the folder first`, 1);
  if (!parent.isDirectory()) throw new CliError(`the folder for --out is not a folder (${folder}); choose another path`, 2);
  return path;
}

function statOrNull(path: string): ReturnType<typeof statSync> | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** NTFS compares names without case; a sibling such as C:\Users\gp2 is not inside C:\Users\gp. */
export function isInside(path: string, folder: string): boolean {
  const p = win32.resolve(path).toLowerCase();
  const f = win32.resolve(folder).toLowerCase().replace(/\\+$/, '');
  return p.startsWith(`${f}\\`);
}
