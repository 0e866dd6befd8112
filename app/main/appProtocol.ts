import { securityHeaders } from '../common/contentSecurityPolicy.ts';
import { lookupStatic } from '../core/serve/staticFiles.ts';

/**
 * The renderer is served from a custom scheme, app://lifeboat/…, not file://: a file:// page has
 * no response headers (so no CSP header), shares an origin with every other local file, and
 * Electron grants file:// extra privileges. Our scheme is registered privileged as a standard,
 * secure origin of its own; every response carries the CSP and security headers, and only files
 * of the built renderer are reachable.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'lifeboat';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/** protocol.registerSchemesAsPrivileged: a standard, secure origin; nothing that widens it. */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: false,
  corsEnabled: false,
  bypassCSP: false,
  allowServiceWorkers: false,
  stream: false,
  codeCache: false,
} as const;

/** The address of a renderer route ("#/recovery") in the window. */
export const rendererUrl = (route: string): string => `${APP_INDEX_URL}${route.startsWith('#') ? route : ''}`;

export interface AppResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | null;
}

/**
 * The answer for one app:// request: a file of the built renderer with our headers, or a refusal.
 * Pure apart from reading the file, so it is tested without Electron.
 */
export async function appProtocolResponse(request: { url: string; method: string }, rendererDir: string, options: { devServerOrigin?: string | null } = {}): Promise<AppResponse> {
  const headers = securityHeaders({ noStore: true, devServerOrigin: options.devServerOrigin ?? null });
  const refuse = (status: number): AppResponse => ({ status, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }, body: null });
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return refuse(400);
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return refuse(404);
  if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405);
  const file = await lookupStatic(rendererDir, url.pathname);
  if (!file.found) return refuse(file.status);
  return { status: 200, headers: { ...headers, 'Content-Type': file.contentType }, body: request.method === 'HEAD' ? null : file.body };
}
