import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiErrorCode, ApiResult } from '../../common/api.ts';
import { dispatchApiCall, type ApiHandlers, type LifeboatEvents } from '../api/apiBackend.ts';
import { HEARTBEAT_MS, openEventStream } from './eventStream.ts';
import { MAX_BODY_BYTES, readJsonBody } from './jsonBody.ts';
import { allowedHosts, checkHostAndOrigin, isAuthorized } from './requestGuard.ts';
import { applySecurityHeaders } from './securityHeaders.ts';
import { lookupStatic } from './staticFiles.ts';

export interface ApiServerOptions {
  handlers: ApiHandlers;
  events: LifeboatEvents;
  /** The built renderer (out/renderer). */
  staticDir: string;
  /** 127.0.0.1 unless the caller asks for another interface on purpose. */
  host?: string;
  port?: number;
  /** Per-launch random token unless given (tests). */
  token?: string;
  heartbeatMs?: number;
  maxBodyBytes?: number;
  /** Open sockets at most (pages, event streams, API calls); more are closed at once. */
  maxConnections?: number;
  /** A client must send its whole request head within this time (slow-loris defence). */
  headersTimeoutMs?: number;
}

export interface ApiServer {
  /** The address to open, carrying the token in its fragment: http://127.0.0.1:PORT/#token=… */
  url: string;
  origin: string;
  port: number;
  host: string;
  token: string;
  limits: { maxConnections: number; headersTimeoutMs: number };
  /** Event streams open now: how many pages are listening (tests wait for theirs). */
  openEventStreams(): number;
  close(): Promise<void>;
}

const API_CALL = /^\/api\/([A-Za-z]{1,40})$/;
const DEFAULT_MAX_CONNECTIONS = 32;
const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text + '\n');
}

function sendResult(res: ServerResponse, status: number, result: ApiResult<unknown>): void {
  const body = JSON.stringify(result);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

const failure = (code: ApiErrorCode, message: string): ApiResult<never> => ({ ok: false, error: { code, message } });

/**
 * The renderer and LifeboatApi over HTTP for `lifeboat serve` and `lifeboat demo`, on loopback only.
 * Every request must come to one of our Host names, from our own Origin (if any); every API
 * call and the event stream carry the per-launch token as `Authorization: Bearer` (no cookies).
 */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(32).toString('base64url');
  const maxBody = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const streams = new Set<() => void>();
  let port = 0;
  let hosts = new Set<string>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // Concatenated, not resolved: "//elsewhere" must stay a path, never become a host.
    const url = new URL(`http://placeholder${(req.url ?? '/').startsWith('/') ? req.url : '/'}`);
    const isApi = url.pathname === '/api' || url.pathname.startsWith('/api/');
    applySecurityHeaders(res, { noStore: isApi || url.pathname === '/' || url.pathname === '/index.html' });

    const guard = checkHostAndOrigin(req, hosts);
    if (!guard.ok) return sendText(res, guard.status, `Lifeboat: ${guard.why}`);

    // The screens themselves (index.html, scripts, styles) are the same public files as in the
    // installer and hold no patient data: served to anyone who passed the Host check. Everything
    // that reads or writes the vault is under /api and needs the bearer token.
    if (isApi && !isAuthorized(req, token)) {
      return sendResult(res, 401, failure('UNAUTHORIZED', 'Lifeboat refused the request: open the address that `lifeboat serve` printed (it carries a new key each time it starts).'));
    }

    if (url.pathname === '/api/events') {
      if (req.method !== 'GET') return sendText(res, 405, 'Lifeboat: GET only');
      const close = openEventStream(res, options.events, options.heartbeatMs ?? HEARTBEAT_MS);
      streams.add(close);
      res.on('close', () => streams.delete(close));
      return;
    }

    if (isApi) {
      const call = API_CALL.exec(url.pathname);
      if (!call) return sendResult(res, 404, failure('UNKNOWN_CALL', 'no such call'));
      if (req.method !== 'POST') {
        res.setHeader('Allow', 'POST');
        return sendResult(res, 405, failure('METHOD', 'API calls are POST'));
      }
      // A form on another site cannot send application/json: one more wall behind Origin and SameSite.
      if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
        return sendResult(res, 415, failure('BAD_ARGUMENT', 'API calls carry application/json'));
      }
      const body = await readJsonBody(req, maxBody);
      if (!body.ok) return sendResult(res, body.status, failure(body.status === 413 ? 'TOO_LARGE' : 'BAD_ARGUMENT', body.message));
      // The ApiResult carries success or the typed error; HTTP 200 means "the call was made".
      return sendResult(res, 200, await dispatchApiCall(options.handlers, call[1]!, body.value));
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendText(res, 405, 'Lifeboat: GET only');
    }
    const file = await lookupStatic(options.staticDir, url.pathname);
    if (!file.found) {
      if (url.pathname === '/') return sendText(res, 503, 'Lifeboat: the screens are not built yet (run `npx vite build`).');
      return sendText(res, file.status, file.status === 404 ? 'Lifeboat: not found' : 'Lifeboat: bad path');
    }
    res.writeHead(200, { 'Content-Type': file.contentType, 'Content-Length': file.body.length });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  };

  const maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  const headersTimeoutMs = options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
  const server = createServer({ headersTimeout: headersTimeoutMs, requestTimeout: 60_000, connectionsCheckingInterval: Math.min(1000, Math.max(50, Math.floor(headersTimeoutMs / 2))) }, (req, res) => {
    handle(req, res).catch(() => {
      // Never echo the error: it could hold note text. The caller sees a generic failure.
      if (!res.headersSent) sendResult(res, 500, failure('INTERNAL', 'Lifeboat could not answer this request'));
      else res.destroy();
    });
  });
  // One GP, one browser: a handful of tabs and their event streams. More is someone else.
  server.maxConnections = maxConnections;

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen({ host, port: options.port ?? 0, exclusive: true }, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(port, host);
  // A wildcard or a LAN address still gets a loopback URL: the printed link is for this PC.
  const urlHost = host === '::1' ? '[::1]' : host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const origin = `http://${urlHost}:${port}`;

  return {
    url: `${origin}/#token=${token}`,
    origin,
    port,
    host,
    token,
    limits: { maxConnections, headersTimeoutMs },
    openEventStreams: () => streams.size,
    close: () =>
      new Promise<void>((resolvePromise) => {
        for (const close of streams) close();
        streams.clear();
        server.close(() => resolvePromise());
        server.closeAllConnections();
      }),
  };
}
