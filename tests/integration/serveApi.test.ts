import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResult, LifeboatEvent } from '../../app/common/api.ts';
import { MAX_TYPED_NOTE_CHARS, type DraftDetail, type SaveResult } from '../../app/common/draft.ts';
import { createApiHandlers, LifeboatEvents } from '../../app/core/api/apiBackend.ts';
import { startApiServer, type ApiServer } from '../../app/core/serve/apiServer.ts';
import { MAX_BODY_BYTES } from '../../app/core/serve/jsonBody.ts';
import { SERVE_CSP } from '../../app/core/serve/securityHeaders.ts';
import { memorySettings } from '../../testing/api/memorySettings.ts';
import { NotWatchingStatus } from '../../testing/api/notWatchingStatus.ts';
import type { Vault } from '../../app/core/vault/vault.ts';
import { waitFor } from '../support/waitFor.ts';
import { cleanupTempDirs, openTestVault, tempDir } from '../fixtures/vault/vaultTestKit.ts';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

let vault: Vault;
let events: LifeboatEvents;
let server: ApiServer;
let host: string;

/** node:http rather than fetch: the tests must set Host and Origin exactly, as an attacker's page would. */
function send(options: { method?: string; path?: string; headers?: Record<string, string>; body?: string; port?: number }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: options.port ?? server.port, method: options.method ?? 'GET', path: options.path ?? '/', headers: { host, ...options.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const auth = (): Record<string, string> => ({ authorization: `Bearer ${server.token}` });

async function call<T>(name: string, arg: unknown, headers: Record<string, string> = auth()): Promise<ApiResult<T>> {
  const reply = await send({ method: 'POST', path: `/api/${name}`, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(arg) });
  return JSON.parse(reply.body) as ApiResult<T>;
}

beforeAll(async () => {
  const staticDir = tempDir('lifeboat-serve-static-');
  mkdirSync(join(staticDir, 'assets'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Lifeboat</title>');
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  vault = openTestVault(tempDir());
  events = new LifeboatEvents();
  const settings = memorySettings();
  const status = new NotWatchingStatus({ now: Date.now, settings });
  const handlers = createApiHandlers({ vault, status, settings, now: Date.now });
  server = await startApiServer({ handlers, events, staticDir, heartbeatMs: 50, maxBodyBytes: 64 * 1024 });
  host = `127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server?.close();
  vault?.close();
  cleanupTempDirs();
});

describe('lifeboat serve: the token', () => {
  it('refuses API calls and the event stream without the token, with 401', async () => {
    const api = await send({ method: 'POST', path: '/api/getStatus', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(api.status).toBe(401);
    expect(JSON.parse(api.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect((await send({ path: '/api/events' })).status).toBe(401);
  });

  it('serves the screens themselves (public files, no patient data) without it', async () => {
    const page = await send({ path: '/' });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('<title>Lifeboat</title>');
    expect((await send({ path: '/assets/app.js' })).headers['content-type']).toMatch(/^text\/javascript/);
  });

  it('accepts the token only as a bearer header: not a cookie, not the query, not a wrong one', async () => {
    const getStatus = (headers: Record<string, string>, path = '/api/getStatus') => send({ method: 'POST', path, headers: { 'content-type': 'application/json', ...headers }, body: '{}' });
    const wrong = `${server.token.slice(0, -2)}xx`;
    expect((await getStatus({ authorization: `Bearer ${wrong}` })).status).toBe(401);
    expect((await getStatus({ cookie: `lifeboat_token_${server.port}=${server.token}` })).status).toBe(401);
    expect((await getStatus({ cookie: server.token })).status).toBe(401);
    expect((await getStatus({}, `/api/getStatus?token=${server.token}`)).status).toBe(401);
    expect((await getStatus(auth())).status).toBe(200);
  });

  it('prints an address that carries the token in its fragment (never sent to a server) and sets no cookie, ever', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=${server.token}`);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    for (const path of ['/', `/?token=${server.token}`, '/assets/app.js', '/api/nothing']) {
      expect((await send({ path, headers: auth() })).headers['set-cookie'], path).toBeUndefined();
    }
  });
});

describe('lifeboat serve: DNS rebinding and other sites', () => {
  it('refuses a foreign Origin with 403, even with the right token', async () => {
    for (const origin of ['http://evil.example', 'null', `http://127.0.0.1:${server.port + 1}`, `https://127.0.0.1:${server.port}`, `http://localhost:${server.port}`]) {
      const reply = await send({ method: 'POST', path: '/api/getStatus', headers: { ...auth(), origin, 'content-type': 'application/json' }, body: '{}' });
      expect(reply.status, origin).toBe(403);
    }
    const own = await send({ method: 'POST', path: '/api/getStatus', headers: { ...auth(), origin: `http://127.0.0.1:${server.port}`, 'content-type': 'application/json' }, body: '{}' });
    expect(own.status).toBe(200);
  });

  it('refuses a foreign Host with 403, even with the right token', async () => {
    for (const bad of ['evil.example', `evil.example:${server.port}`, `127.0.0.1:${server.port + 1}`, '127.0.0.1', `10.0.0.1:${server.port}`]) {
      expect((await send({ path: '/', headers: { ...auth(), host: bad } })).status, bad).toBe(403);
    }
    for (const good of [`localhost:${server.port}`, `[::1]:${server.port}`, `LOCALHOST:${server.port}`]) {
      expect((await send({ path: '/', headers: { ...auth(), host: good } })).status, good).toBe(200);
    }
  });

  it('refuses an API call that is not application/json (a cross-site form cannot send it)', async () => {
    const reply = await send({ method: 'POST', path: '/api/getStatus', headers: { ...auth(), 'content-type': 'text/plain' }, body: '{}' });
    expect(reply.status).toBe(415);
  });

  it('sets the security headers on every answer, refusals included', async () => {
    for (const reply of [await send({ path: '/' }), await send({ path: '/', headers: auth() }), await send({ path: '/', headers: { host: 'evil.example' } })]) {
      expect(reply.headers['content-security-policy']).toBe(SERVE_CSP);
      expect(reply.headers['x-content-type-options']).toBe('nosniff');
      expect(reply.headers['referrer-policy']).toBe('no-referrer');
    }
    expect(SERVE_CSP).toContain("default-src 'none'");
    expect(SERVE_CSP).toContain("frame-ancestors 'none'");
    const api = await send({ method: 'POST', path: '/api/getStatus', headers: { ...auth(), 'content-type': 'application/json' }, body: '{}' });
    expect(api.headers['cache-control']).toBe('no-store');
  });

  it('serves nothing outside the built renderer', async () => {
    for (const path of ['/assets/..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/etc/passwd', '/assets/%00.js', '/missing.js']) {
      const reply = await send({ path, headers: auth() });
      expect([400, 404], path).toContain(reply.status);
    }
  });

  it('listens on 127.0.0.1 only', async () => {
    expect(server.host).toBe('127.0.0.1');
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && !a.internal && !a.address.startsWith('fe80:'))
      .map((a) => a!.address);
    const refused = (address: string): Promise<boolean> =>
      new Promise<boolean>((resolve) => {
        const socket = connect({ host: address, port: server.port });
        socket.once('connect', () => {
          socket.destroy();
          resolve(false);
        });
        socket.once('error', () => resolve(true));
      });
    expect(await refused('127.0.0.1')).toBe(false);
    for (const address of [...others, '::1']) expect(await refused(address), address).toBe(true);
  });
});

describe('lifeboat serve: the API', () => {
  it('answers a bad payload with ApiResult BAD_ARGUMENT, never a stack', async () => {
    const bad = await call('saveDraft', { body: 42 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_ARGUMENT' } });
    const extra = await call('getStatus', { surprise: true });
    expect(extra).toMatchObject({ ok: false, error: { code: 'BAD_ARGUMENT' } });
    const notJson = await send({ method: 'POST', path: '/api/saveDraft', headers: { ...auth(), 'content-type': 'application/json' }, body: '{"body": "unterminated' });
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body)).toMatchObject({ ok: false, error: { code: 'BAD_ARGUMENT' } });
    expect(notJson.body).not.toContain('unterminated');
    expect(await call('dropTables', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CALL' } });
    expect((await send({ path: '/api/getStatus', headers: auth() })).status).toBe(405);
  });

  it('refuses a body over the limit with 413', async () => {
    const reply = await send({ method: 'POST', path: '/api/saveDraft', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify({ body: 'x'.repeat(70 * 1024) }) });
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } });
  });

  it('round-trips a note through the real vault, exactly', async () => {
    const body = 'Hx: 3/7 cough, no haemoptysis.\nO/E: chest clear — SpO₂ 97%.\n\tPlan: safety-net 🙂';
    const saved = await call<SaveResult>('saveDraft', { body, title: 'Cough', reason: 'blur' });
    expect(saved.ok).toBe(true);
    if (!saved.ok) return;
    const shown = await call<DraftDetail>('getDraft', { id: saved.value.id });
    expect(shown).toMatchObject({ ok: true, value: { body, title: 'Cough' } });
    const found = await call<Array<{ id: string }>>('searchDrafts', { query: 'haemoptysis' });
    expect(found.ok && found.value.map((d) => d.id)).toEqual([saved.value.id]);
    const status = await call<{ health: string }>('getStatus', {});
    expect(status).toMatchObject({ ok: true, value: { health: 'not-running' } });
  });

  it('streams emitted events over Server-Sent Events, with heartbeats', async () => {
    const received: string[] = [];
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path: '/api/events', headers: { host, ...auth() } });
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      req.on('response', resolve);
      req.on('error', reject);
      req.end();
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/event-stream/);
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => received.push(chunk));
    await waitFor(() => received.join('').includes(': connected'), { what: 'the stream to open' });
    expect(server.openEventStreams()).toBe(1);
    const event: LifeboatEvent = { type: 'health', state: 'crashed', previous: 'ok', reason: 'EMIS Web exited (code 0xe0434352)', at: new Date().toISOString() };
    events.emit(event);
    await waitFor(() => received.join('').includes('data: '), { what: 'the event' });
    const line = received.join('').split('\n').find((l) => l.startsWith('data: '))!;
    expect(JSON.parse(line.slice(6))).toEqual(event);
    await waitFor(() => received.join('').includes(': heartbeat'), { what: 'a heartbeat' });
    response.destroy();
    await waitFor(() => server.openEventStreams() === 0, { what: 'the stream to be let go' });
  });
});

describe('lifeboat serve: bounded by design', () => {
  it('caps the request body near 2 MB and a typed note far below it, whatever the caller sends', async () => {
    expect(MAX_BODY_BYTES).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(MAX_BODY_BYTES).toBeGreaterThanOrEqual(MAX_TYPED_NOTE_CHARS * 3);
    // The shared test server's body limit is 64 KiB: this one has the default.
    const big = await startApiServer({ handlers: createApiHandlers({ vault, status: new NotWatchingStatus({ now: Date.now, settings: memorySettings() }), settings: memorySettings(), now: Date.now }), events, staticDir: tempDir() });
    try {
      const reply = await send({ port: big.port, method: 'POST', path: '/api/saveDraft', headers: { host: `127.0.0.1:${big.port}`, authorization: `Bearer ${big.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ body: 'x'.repeat(MAX_TYPED_NOTE_CHARS + 1) }) });
      expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'BAD_ARGUMENT' } });
    } finally {
      await big.close();
    }
  });

  it('answers a bad argument with the first few problems only, in a short message', async () => {
    const many = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`field${i}`, i]));
    const result = await call('updateSettings', { ...many, retentionDays: 'x'.repeat(5000) });
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_ARGUMENT' } });
    expect(!result.ok && result.error.message.length).toBeLessThanOrEqual(400);
    expect(!result.ok && result.error.message).not.toContain('x'.repeat(100));
  });

  it('refuses JSON nested deeper than any call needs before parsing it', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const reply = await send({ method: 'POST', path: '/api/saveDraft', headers: { ...auth(), 'content-type': 'application/json' }, body: `{"body":"x","title":${deep}}` });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'BAD_ARGUMENT', message: expect.stringMatching(/nested too deeply/) } });
    // Brackets inside strings are text, not nesting.
    expect(await call<SaveResult>('saveDraft', { body: '['.repeat(100), reason: 'blur' })).toMatchObject({ ok: true });
  });

  it('limits connections and drops a client that never finishes its headers', async () => {
    const small = await startApiServer({ handlers: createApiHandlers({ vault, status: new NotWatchingStatus({ now: Date.now, settings: memorySettings() }), settings: memorySettings(), now: Date.now }), events, staticDir: tempDir(), maxConnections: 3, headersTimeoutMs: 300 });
    try {
      expect(small.limits).toEqual({ maxConnections: 3, headersTimeoutMs: 300 });
      // A slow-loris client: headers started, never finished. The server closes it.
      const slow = connect(small.port, '127.0.0.1');
      slow.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      let slowEnded = false;
      slow.on('close', () => (slowEnded = true));
      slow.on('error', () => {});
      slow.resume(); // read the 408 the server sends, so its close is seen
      await waitFor(() => slowEnded, { what: 'the server to drop the half-sent request', timeoutMs: 15_000 });
      // Over the connection limit: the extra sockets are closed at once.
      const sockets = Array.from({ length: 6 }, () => connect(small.port, '127.0.0.1'));
      const closed = new Set<number>();
      sockets.forEach((s, i) => {
        s.resume();
        s.on('close', () => closed.add(i));
        s.on('error', () => {});
      });
      await waitFor(() => closed.size >= 3, { what: 'the extra connections to be refused' });
      for (const s of sockets) s.destroy();
    } finally {
      await small.close();
    }
  });
});
