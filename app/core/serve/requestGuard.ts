import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The Host header values this server answers to; anything else is DNS rebinding or a mistake. */
export function allowedHosts(port: number, boundHost: string): Set<string> {
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  // An explicitly bound address (never a wildcard, which no browser puts in Host) is ours too.
  if (boundHost !== '0.0.0.0' && boundHost !== '::') hosts.add(`${boundHost.includes(':') ? `[${boundHost}]` : boundHost}:${port}`.toLowerCase());
  return hosts;
}

export type GuardVerdict = { ok: true; origin: string } | { ok: false; status: 403; why: string };

/**
 * DNS-rebinding and cross-site defence: the Host must be one of ours, and an Origin, when the
 * browser sends one, must be exactly the origin this page was loaded from.
 */
export function checkHostAndOrigin(req: IncomingMessage, hosts: ReadonlySet<string>): GuardVerdict {
  const host = (req.headers.host ?? '').toLowerCase();
  if (!hosts.has(host)) return { ok: false, status: 403, why: 'this address is not Lifeboat’s (Host refused)' };
  const origin = `http://${host}`;
  const sent = req.headers.origin;
  if (sent !== undefined && sent !== origin) return { ok: false, status: 403, why: 'requests from other sites are refused (Origin refused)' };
  return { ok: true, origin };
}

/** Constant-time token comparison: hashing first makes lengths equal, so length leaks nothing either. */
export function tokenMatches(candidate: string | null | undefined, token: string): boolean {
  if (typeof candidate !== 'string' || candidate.length === 0) return false;
  const a = createHash('sha256').update(candidate).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

export function bearerToken(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match ? match[1]! : null;
}

/**
 * The token travels only in the Authorization header, never in a cookie: cookies are not
 * isolated by port, so a browser would hand a cookie set by 127.0.0.1:A to any other local
 * listener at 127.0.0.1:B. The page receives the token in the URL fragment (never sent to any
 * server) and keeps it in its tab's sessionStorage (isolated by origin, port included).
 */
export function isAuthorized(req: IncomingMessage, token: string): boolean {
  return tokenMatches(bearerToken(req), token);
}
