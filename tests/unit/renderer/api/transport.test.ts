import { describe, expect, it } from 'vitest';
import type { LifeboatApi, LifeboatEvent } from '../../../../app/common/api.ts';
import { isApiResult, toApiResult } from '../../../../renderer/src/api/apiResult.ts';
import { createHttpApi, parseEvent, type EventSourceLike, type FetchLike } from '../../../../renderer/src/api/httpTransport.ts';
import { guardApi, pickTransport } from '../../../../renderer/src/api/transport.ts';
import { FetchEventSource, type StreamingFetch } from '../../../../renderer/src/api/fetchEventSource.ts';
import { takeSessionToken, TOKEN_STORAGE_KEY } from '../../../../renderer/src/api/sessionToken.ts';
import { waitFor } from '../../../support/waitFor.ts';

function fakeFetch(reply: { status: number; body: string } | Error) {
  const calls: Array<{ url: string; init: Parameters<FetchLike>[1] }> = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, init });
    if (reply instanceof Error) throw reply;
    return { status: reply.status, text: async () => reply.body };
  };
  return { fetch, calls };
}

class FakeEventSource implements EventSourceLike {
  static opened: FakeEventSource[] = [];
  listeners: Array<(m: { data: string }) => void> = [];
  closed = false;
  readonly url: string;
  constructor(url: string) {
    this.url = url;
    FakeEventSource.opened.push(this);
  }
  addEventListener(_type: 'message', listener: (m: { data: string }) => void): void {
    this.listeners.push(listener);
  }
  close(): void {
    this.closed = true;
  }
  deliver(data: string): void {
    for (const l of this.listeners) l({ data });
  }
}

const openEvents = (url: string): FakeEventSource => new FakeEventSource(url);

describe('the serve bridge turns every HTTP answer into an ApiResult', () => {
  it('posts JSON to /api/<name> with the token as a bearer header, no cookies, and returns the server’s ApiResult', async () => {
    const { fetch, calls } = fakeFetch({ status: 200, body: JSON.stringify({ ok: true, value: { id: 'd1', revision: 1, revisionWritten: true, savedAt: '2026-01-05T09:41:07.000Z' } }) });
    const api = createHttpApi({ fetch, openEvents, token: 'T0k' });
    const result = await api.saveDraft({ id: 'd1', body: 'text' });
    expect(result).toEqual({ ok: true, value: { id: 'd1', revision: 1, revisionWritten: true, savedAt: '2026-01-05T09:41:07.000Z' } });
    expect(calls[0]!.url).toBe('/api/saveDraft');
    expect(calls[0]!.init).toMatchObject({ method: 'POST', credentials: 'omit', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer T0k' } });
    expect(JSON.parse(calls[0]!.init.body)).toEqual({ id: 'd1', body: 'text' });
  });

  it('passes the vault’s typed error through (the note screen shows its message in red)', async () => {
    const { fetch } = fakeFetch({ status: 200, body: JSON.stringify({ ok: false, error: { code: 'DISK_FULL', message: 'not saved: the disk is full; free some space' } }) });
    const result = await createHttpApi({ fetch, openEvents }).saveDraft({ body: 'x' });
    expect(result).toEqual({ ok: false, error: { code: 'DISK_FULL', message: 'not saved: the disk is full; free some space' } });
  });

  it('says "not answering" when the server is gone, instead of throwing', async () => {
    const { fetch } = fakeFetch(new TypeError('Failed to fetch'));
    const result = await createHttpApi({ fetch, openEvents }).getStatus({});
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('UNREACHABLE');
    expect(!result.ok && result.error.message).toMatch(/not answering/);
  });

  it('explains a refused token (Lifeboat restarted) in words a GP can act on', async () => {
    const { fetch } = fakeFetch({ status: 401, body: JSON.stringify({ ok: false, error: { code: 'UNAUTHORIZED', message: 'server words' } }) });
    const result = await createHttpApi({ fetch, openEvents }).getStatus({});
    expect(result).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(!result.ok && result.error.message).toMatch(/restarted/);
  });

  it('turns a non-ApiResult body into an HTTP_<status> error', () => {
    expect(toApiResult(502, '<html>Bad gateway</html>')).toMatchObject({ ok: false, error: { code: 'HTTP_502' } });
    expect(toApiResult(200, '{"ok":true}')).toMatchObject({ ok: false, error: { code: 'HTTP_200' } });
    expect(toApiResult(403, 'Lifeboat: refused')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(toApiResult(413, JSON.stringify({ ok: false, error: { code: 'TOO_LARGE', message: 'too big' } }))).toEqual({ ok: false, error: { code: 'TOO_LARGE', message: 'too big' } });
  });

  it('recognises ApiResults strictly', () => {
    expect(isApiResult({ ok: true, value: null })).toBe(true);
    expect(isApiResult({ ok: false, error: { code: 'X', message: 'y' } })).toBe(true);
    expect(isApiResult({ ok: false, error: { code: 1, message: 'y' } })).toBe(false);
    expect(isApiResult({ ok: true })).toBe(false);
    expect(isApiResult(null)).toBe(false);
    expect(isApiResult('ok')).toBe(false);
  });

  it('shares one EventSource among listeners, ignores malformed events, and closes after the last', () => {
    FakeEventSource.opened = [];
    const { fetch } = fakeFetch({ status: 200, body: '{}' });
    const api = createHttpApi({ fetch, openEvents });
    const a: LifeboatEvent[] = [];
    const b: LifeboatEvent[] = [];
    const offA = api.onEvent((e) => a.push(e));
    const offB = api.onEvent((e) => b.push(e));
    expect(FakeEventSource.opened).toHaveLength(1);
    const source = FakeEventSource.opened[0]!;
    expect(source.url).toBe('/api/events');
    const event: LifeboatEvent = { type: 'health', state: 'hung', previous: 'ok', reason: 'not responding', at: '2026-01-05T09:41:07.000Z' };
    source.deliver(JSON.stringify(event));
    source.deliver('not json');
    source.deliver(JSON.stringify({ type: 'exfiltrate' }));
    expect(a).toEqual([event]);
    expect(b).toEqual([event]);
    offA();
    expect(source.closed).toBe(false);
    offB();
    expect(source.closed).toBe(true);
    expect(parseEvent('{"type":"notification"}')).not.toBeNull();
  });
});

describe('the transport the screens use', () => {
  const preloadLike = (impl: (name: string) => Promise<unknown>): LifeboatApi => {
    const api: Record<string, unknown> = { onEvent: () => () => undefined };
    for (const name of ['getStatus', 'saveDraft', 'listDrafts', 'searchDrafts', 'getDraft', 'getDraftInfo', 'listRevisions', 'restoreRevision', 'setDraftState', 'listIncidents', 'recoveryCandidates', 'pauseNotifications', 'getSettings', 'updateSettings']) {
      api[name] = () => impl(name);
    }
    return api as LifeboatApi;
  };

  it('uses window.lifeboat (the Electron preload) when it is there, never fetch', async () => {
    const { fetch, calls } = fakeFetch({ status: 200, body: '{}' });
    const api = pickTransport({ lifeboat: preloadLike(async () => ({ ok: true, value: 'from preload' })), fetch, openEvents });
    expect(await api.listDrafts({})).toEqual({ ok: true, value: 'from preload' });
    expect(calls).toHaveLength(0);
  });

  it('falls back to the HTTP bridge without a preload', async () => {
    const { fetch, calls } = fakeFetch({ status: 200, body: JSON.stringify({ ok: true, value: [] }) });
    const api = pickTransport({ fetch, openEvents });
    expect(await api.listDrafts({})).toEqual({ ok: true, value: [] });
    expect(calls[0]!.url).toBe('/api/listDrafts');
  });

  it('never lets a call reject: a failed IPC call or a strange answer becomes an error result', async () => {
    const rejecting = guardApi(preloadLike(async () => Promise.reject(new Error('An object could not be cloned.'))));
    expect(await rejecting.getStatus({})).toEqual({ ok: false, error: { code: 'TRANSPORT', message: 'An object could not be cloned.' } });
    const strange = guardApi(preloadLike(async () => ({ status: 'fine' })));
    expect(await strange.getStatus({})).toMatchObject({ ok: false, error: { code: 'BAD_ANSWER' } });
  });
});

describe('the serve token in the page', () => {
  const storage = (): Map<string, string> & { getItem(k: string): string | null; setItem(k: string, v: string): void } => {
    const map = new Map<string, string>() as Map<string, string> & { getItem(k: string): string | null; setItem(k: string, v: string): void };
    map.getItem = (k) => map.get(k) ?? null;
    map.setItem = (k, v) => void map.set(k, v);
    return map;
  };
  const TOKEN = 'A'.repeat(43);

  it('takes the token from the fragment into sessionStorage and out of the address bar', () => {
    const kept = storage();
    let dropped = 0;
    expect(takeSessionToken({ hash: `#token=${TOKEN}`, storage: kept, dropFragment: () => dropped++ })).toBe(TOKEN);
    expect(kept.get(TOKEN_STORAGE_KEY)).toBe(TOKEN);
    expect(dropped).toBe(1);
    // A reload or a route change: the tab still has it, and the address is left alone.
    expect(takeSessionToken({ hash: '#/recovery', storage: kept, dropFragment: () => dropped++ })).toBe(TOKEN);
    expect(dropped).toBe(1);
  });

  it('has no token without one (a new tab: the API answers 401 and the page says what to open)', () => {
    expect(takeSessionToken({ hash: '#token=<script>', storage: storage(), dropFragment: () => {} })).toBeNull();
    expect(takeSessionToken({ hash: '', storage: storage(), dropFragment: () => {} })).toBeNull();
  });
});

describe('the event stream over fetch (EventSource cannot send the bearer header)', () => {
  it('sends the header, no cookies, splits events across chunk boundaries, and stops on close', async () => {
    const seen: Array<{ url: string; headers: Record<string, string>; credentials: string }> = [];
    let push!: (text: string) => void;
    const fetch: StreamingFetch = async (url, init) => {
      seen.push({ url, headers: init.headers, credentials: init.credentials });
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          push = (text) => controller.enqueue(new TextEncoder().encode(text));
          init.signal.addEventListener('abort', () => controller.error(new Error('aborted')));
        },
      });
      return { ok: true, body };
    };
    const source = new FetchEventSource('/api/events', { Authorization: 'Bearer T0k' }, fetch);
    const got: string[] = [];
    source.addEventListener('message', (m) => got.push(m.data));
    await waitFor(() => seen.length === 1);
    expect(seen[0]).toEqual({ url: '/api/events', headers: { Accept: 'text/event-stream', Authorization: 'Bearer T0k' }, credentials: 'omit' });
    push('retry: 2000\n: connected\n\ndata: {"type":"hea');
    push('lth"}\n\n: heartbeat\n\ndata: {"type":"incident"}\n\n');
    await waitFor(() => got.length === 2);
    expect(got).toEqual(['{"type":"health"}', '{"type":"incident"}']);
    source.close();
  });
});
