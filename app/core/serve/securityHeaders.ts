import type { ServerResponse } from 'node:http';

/**
 * Nothing but our own files: no inline or eval'd script, no remote anything, no frames around us,
 * no forms posting anywhere, no <base> rewriting. The renderer is built to live with this.
 */
export const SERVE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** Set on every response, refusals included: a 401 page is still a page a browser renders. */
export function applySecurityHeaders(res: ServerResponse, options: { noStore: boolean }): void {
  res.setHeader('Content-Security-Policy', SERVE_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  // The screens and every API answer may carry note text: never leave a copy in a cache.
  res.setHeader('Cache-Control', options.noStore ? 'no-store' : 'no-cache');
}
