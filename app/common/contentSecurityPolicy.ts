/**
 * Lifeboat's one Content-Security-Policy, for every place its screens are shown: the Electron
 * window (a response header of the app:// scheme), `lifeboat serve` (a response header), and the
 * source renderer/index.html (a meta tag, so the policy travels with the page itself).
 * Nothing but our own files: no inline or eval'd script, no remote anything, no plugins, no
 * frames, no forms posting anywhere, no <base> rewriting.
 */
export interface CspOptions {
  /** Development only: the Vite server, whose HMR needs inline script/style and a websocket. */
  devServerOrigin?: string | null;
  /** A <meta> CSP cannot carry frame-ancestors (browsers ignore it there and warn). */
  forMetaTag?: boolean;
}

export function contentSecurityPolicy(options: CspOptions = {}): string {
  const dev = options.devServerOrigin ? new URL(options.devServerOrigin) : null;
  const ws = dev ? ` ${dev.protocol === 'https:' ? 'wss:' : 'ws:'}//${dev.host}` : '';
  const directives = [
    "default-src 'none'",
    `script-src 'self'${dev ? " 'unsafe-inline'" : ''}`,
    `style-src 'self'${dev ? " 'unsafe-inline'" : ''}`,
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${ws}`,
    "manifest-src 'self'",
    "object-src 'none'",
    "frame-src 'none'",
    "worker-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ];
  if (!options.forMetaTag) directives.push("frame-ancestors 'none'");
  return directives.join('; ');
}

/**
 * The headers every response carrying our screens or their data gets, wherever it is served.
 * `noStore` for anything that may carry note text: never leave a copy in a cache.
 */
export function securityHeaders(options: { noStore: boolean; devServerOrigin?: string | null }): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy({ devServerOrigin: options.devServerOrigin ?? null }),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': options.noStore ? 'no-store' : 'no-cache',
  };
}
