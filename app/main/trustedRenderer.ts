import { APP_HOST, APP_SCHEME } from './appProtocol.ts';

/** Where our own renderer may be loaded from besides app://lifeboat/index.html: the Vite server, in development only. */
export interface TrustedRenderer {
  /** Set only when not packaged: the dev server origin, e.g. http://localhost:5173. */
  devServerOrigin?: string | null;
}

/**
 * Whether a frame URL is our renderer: exactly app://lifeboat/index.html (any hash: those are
 * routes; no query), or the dev server's origin. Everything else, including file:// pages,
 * other app:// paths and unparsable URLs, is foreign.
 */
export function isTrustedRendererUrl(url: string, trusted: TrustedRenderer): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === `${APP_SCHEME}:`) {
    // Chromium lower-cases a standard scheme's host; Node keeps it as written: compare lower-cased.
    return parsed.host.toLowerCase() === APP_HOST && parsed.pathname === '/index.html' && parsed.search === '' && parsed.username === '' && parsed.password === '';
  }
  if (trusted.devServerOrigin && (parsed.protocol === 'http:' || parsed.protocol === 'https:')) {
    return parsed.origin === new URL(trusted.devServerOrigin).origin;
  }
  return false;
}
