import { describe, expect, it } from 'vitest';
import { API_NAMES, IPC_EVENT_CHANNEL, ipcChannel, type LifeboatEvent } from '../../../app/common/api.ts';
import { buildLifeboatApi, type PreloadTransport } from '../../../app/preload/preloadApi.ts';

function fakeTransport() {
  const invoked: Array<{ channel: string; arg: unknown }> = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const transport: PreloadTransport = {
    invoke: async (channel, arg) => {
      invoked.push({ channel, arg });
      return { ok: true, value: channel };
    },
    on: (channel, listener) => {
      const set = listeners.get(channel) ?? new Set();
      set.add(listener);
      listeners.set(channel, set);
      return () => set.delete(listener);
    },
  };
  const emit = (channel: string, payload: unknown): void => listeners.get(channel)?.forEach((l) => l(payload));
  return { transport, invoked, listeners, emit };
}

describe('preload API', () => {
  it('exposes exactly one function per API call plus onEvent, and nothing else', () => {
    const api = buildLifeboatApi(fakeTransport().transport);
    expect(Object.keys(api).sort()).toEqual([...API_NAMES, 'onEvent'].sort());
    for (const key of Object.keys(api)) expect(typeof (api as unknown as Record<string, unknown>)[key]).toBe('function');
    expect(Object.isFrozen(api)).toBe(true);
    expect('invoke' in api || 'ipcRenderer' in api || 'send' in api).toBe(false);
  });

  it('each call invokes its own channel with the argument unchanged', async () => {
    const { transport, invoked } = fakeTransport();
    const api = buildLifeboatApi(transport);
    await expect(api.getDraft({ id: 'abc', revision: 2 })).resolves.toEqual({ ok: true, value: 'lifeboat:getDraft' });
    await api.listDrafts({});
    expect(invoked).toEqual([
      { channel: ipcChannel('getDraft'), arg: { id: 'abc', revision: 2 } },
      { channel: ipcChannel('listDrafts'), arg: {} },
    ]);
  });

  it('onEvent delivers event payloads from the event channel and unsubscribes', () => {
    const { transport, emit, listeners } = fakeTransport();
    const api = buildLifeboatApi(transport);
    const seen: LifeboatEvent[] = [];
    const off = api.onEvent((e) => seen.push(e));
    const event: LifeboatEvent = { type: 'health', state: 'hung', previous: 'ok', reason: 'r', at: '2026-01-05T09:00:00.000Z' };
    emit(IPC_EVENT_CHANNEL, event);
    expect(seen).toEqual([event]);
    off();
    emit(IPC_EVENT_CHANNEL, event);
    expect(seen).toHaveLength(1);
    expect(listeners.get(IPC_EVENT_CHANNEL)?.size).toBe(0);
    expect(() => api.onEvent('nope' as never)).toThrow(TypeError);
  });
});
