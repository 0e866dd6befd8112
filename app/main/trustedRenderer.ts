import { posix, win32 } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where our own renderer is loaded from: the built index.html, or (development only) the Vite server. */
export interface TrustedRenderer {
  /** Absolute path of out/renderer/index.html. */
  indexPath: string;
  /** Set only when not packaged: the dev server origin, e.g. http://localhost:5173. */
  devServerOrigin?: string | null;
  platform?: NodeJS.Platform;
}

/**
 * Whether a frame URL is our renderer: exactly the file:// URL of index.html (any hash or query:
 * those are routes), or the dev server's origin. Everything else, including other file:// pages
 * and unparsable URLs, is foreign.
 */
export function isTrustedRendererUrl(url: string, trusted: TrustedRenderer): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'file:') {
    const windows = (trusted.platform ?? process.platform) === 'win32';
    let path: string;
    try {
      path = fileURLToPath(parsed, { windows });
    } catch {
      return false;
    }
    // NTFS compares names without case; elsewhere the bytes must match.
    return windows ? win32.normalize(path).toLowerCase() === win32.normalize(trusted.indexPath).toLowerCase() : posix.normalize(path) === posix.normalize(trusted.indexPath);
  }
  if (trusted.devServerOrigin && (parsed.protocol === 'http:' || parsed.protocol === 'https:')) {
    return parsed.origin === new URL(trusted.devServerOrigin).origin;
  }
  return false;
}
