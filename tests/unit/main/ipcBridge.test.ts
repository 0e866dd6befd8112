import { describe, expect, it, vi } from 'vitest';
import { API_NAMES, IPC_EVENT_CHANNEL, ipcChannel, type LifeboatEvent } from '../../../app/common/api.ts';
import { LifeboatEvents, type ApiHandlers } from '../../../app/core/api/apiBackend.ts';
import type { IpcPort } from '../../../app/main/electronPorts.ts';
import { FORBIDDEN_SENDER, registerIpcBridge } from '../../../app/main/ipcBridge.ts';
import { isTrustedRendererUrl, type TrustedRenderer } from '../../../app/main/trustedRenderer.ts';

const OURS = 'app://lifeboat/index.html#/recovery?draft=abc';

class FakeIpc implements IpcPort {
  readonly handlers = new Map<string, (senderUrl: string, arg: unknown) => Promise<unknown>>();
  handle(channel: string, handler: (senderUrl: string, arg: unknown) => Promise<unknown>): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, handler);
  }
  invoke(channel: string, senderUrl: string, arg: unknown): Promise<unknown> {
    const h = this.handlers.get(channel);
    if (!h) throw new Error(`no handler for ${channel}`);
    return h(senderUrl, arg);
  }
}

function setup(trusted: TrustedRenderer = {}) {
  const ipc = new FakeIpc();
  const sent: Array<{ channel: string; payload: unknown }> = [];
  const events = new LifeboatEvents();
  const listDrafts = vi.fn(() => [{ id: 'd1', title: 'Visit', state: 'open' as const, updatedAt: '2026-01-05T09:00:00.000Z', revisions: 1 }]);
  const handlers = { listDrafts } as unknown as ApiHandlers;
  const log: string[] = [];
  const unsubscribe = registerIpcBridge({ ipc, windows: { send: (channel, payload) => sent.push({ channel, payload }) }, handlers, events, trusted, log: (l) => log.push(l) });
  return { ipc, sent, events, listDrafts, log, unsubscribe };
}

describe('IPC bridge', () => {
  it('registers one handler per API call, on its own channel', () => {
    const { ipc } = setup();
    expect([...ipc.handlers.keys()].sort()).toEqual(API_NAMES.map(ipcChannel).sort());
  });

  it('answers our renderer with the validated call', async () => {
    const { ipc, listDrafts } = setup();
    const result = await ipc.invoke(ipcChannel('listDrafts'), OURS, { limit: 5 });
    expect(result).toMatchObject({ ok: true, value: [{ id: 'd1' }] });
    expect(listDrafts).toHaveBeenCalledWith({ limit: 5 });
  });

  it('rejects a foreign sender without running the handler, and logs only its origin', async () => {
    const { ipc, listDrafts, log } = setup();
    for (const url of [
      'https://evil.example/steal?x=1',
      'file:///tmp/evil/index.html',
      'file:///opt/Lifeboat/resources/app.asar/out/renderer/index.html',
      'app://lifeboat/other.html',
      'app://evil/index.html',
      'http://localhost:5173/',
      '',
      'not a url',
      'data:text/html,<script>1</script>',
    ]) {
      expect(await ipc.invoke(ipcChannel('listDrafts'), url, {})).toEqual(FORBIDDEN_SENDER);
    }
    expect(listDrafts).not.toHaveBeenCalled();
    expect(log[0]).toBe('ipc: refused listDrafts from https://evil.example');
    expect(log.join('\n')).not.toContain('steal');
  });

  it('rejects a bad payload with a zod message and never reaches the handler', async () => {
    const { ipc, listDrafts } = setup();
    const bad = await ipc.invoke(ipcChannel('listDrafts'), OURS, { limit: 'all', extra: true });
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_ARGUMENT' } });
    const proto = await ipc.invoke(ipcChannel('listDrafts'), OURS, JSON.parse('{"__proto__": {"polluted": 1}}'));
    expect(proto).toMatchObject({ ok: false });
    expect(listDrafts).not.toHaveBeenCalled();
  });

  it('forwards live events to the window on the event channel until unsubscribed', () => {
    const { events, sent, unsubscribe } = setup();
    const e: LifeboatEvent = { type: 'health', state: 'slow', previous: 'ok', reason: 'r', at: '2026-01-05T09:00:00.000Z' };
    events.emit(e);
    expect(sent).toEqual([{ channel: IPC_EVENT_CHANNEL, payload: e }]);
    unsubscribe();
    events.emit(e);
    expect(sent).toHaveLength(1);
  });
});

describe('trusted renderer URL', () => {
  it('accepts only app://lifeboat/index.html, with any route', () => {
    const t: TrustedRenderer = {};
    expect(isTrustedRendererUrl('app://lifeboat/index.html', t)).toBe(true);
    expect(isTrustedRendererUrl('app://lifeboat/index.html#/status', t)).toBe(true);
    expect(isTrustedRendererUrl('app://LIFEBOAT/index.html#/note', t)).toBe(true);
    expect(isTrustedRendererUrl('app://lifeboat/sub/../index.html', t)).toBe(true);
    expect(isTrustedRendererUrl('app://lifeboat/index.html?x=1', t)).toBe(false);
    expect(isTrustedRendererUrl('app://lifeboat/INDEX.html', t)).toBe(false);
    expect(isTrustedRendererUrl('app://lifeboat/assets/app.js', t)).toBe(false);
    expect(isTrustedRendererUrl('app://user@lifeboat/index.html', t)).toBe(false);
    expect(isTrustedRendererUrl('app://lifeboat.evil/index.html', t)).toBe(false);
    // Not file:// any more, not even the built index.html: a file:// page shares its origin with every local file.
    expect(isTrustedRendererUrl('file:///opt/Lifeboat/resources/app.asar/out/renderer/index.html', t)).toBe(false);
  });

  it('accepts the dev server only when one is configured, by exact origin', () => {
    const dev: TrustedRenderer = { devServerOrigin: 'http://localhost:5173' };
    expect(isTrustedRendererUrl('http://localhost:5173/#/status', dev)).toBe(true);
    expect(isTrustedRendererUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isTrustedRendererUrl('http://localhost.evil.example:5173/', dev)).toBe(false);
    expect(isTrustedRendererUrl('http://localhost:5173/', {})).toBe(false);
  });
});

describe('IPC bridge: exports through the save dialog', () => {
  const file = { fileName: 'lifeboat-report.csv', mimeType: 'text/csv; charset=utf-8', bytes: 9, data: Buffer.from('id,kind\r\n').toString('base64'), savedTo: null };

  function withDialog(answer: string | null | Error) {
    const ipc = new FakeIpc();
    const saved: Array<{ fileName: string; bytes: Buffer }> = [];
    const handlers = { exportFile: vi.fn(() => file) } as unknown as ApiHandlers;
    const saveFile = vi.fn(async (f: { fileName: string; mimeType: string; bytes: Buffer }) => {
      if (answer instanceof Error) throw answer;
      saved.push({ fileName: f.fileName, bytes: f.bytes });
      return answer;
    });
    registerIpcBridge({ ipc, windows: { send: () => {} }, handlers, events: new LifeboatEvents(), trusted: {}, saveFile });
    return { ipc, saved, saveFile };
  }
  const arg = { kind: 'report', format: 'csv', from: '2026-01-05T00:00:00.000Z', to: '2026-01-06T00:00:00.000Z' };

  it('writes the file where the GP chose and tells the renderer only the path', async () => {
    const { ipc, saved } = withDialog('C:\\Users\\gp\\Downloads\\lifeboat-report.csv');
    const result = await ipc.invoke(ipcChannel('exportFile'), OURS, arg);
    expect(result).toEqual({ ok: true, value: { ...file, data: null, savedTo: 'C:\\Users\\gp\\Downloads\\lifeboat-report.csv' } });
    expect(saved).toEqual([{ fileName: 'lifeboat-report.csv', bytes: Buffer.from('id,kind\r\n') }]);
  });

  it('says nothing was saved when the GP cancels, and names a failed write', async () => {
    expect(await withDialog(null).ipc.invoke(ipcChannel('exportFile'), OURS, arg)).toEqual({ ok: true, value: { ...file, data: null, savedTo: null } });
    expect(await withDialog(new Error('EACCES: permission denied')).ipc.invoke(ipcChannel('exportFile'), OURS, arg)).toMatchObject({ ok: false, error: { code: 'NOT_SAVED', message: 'the file was not saved: EACCES: permission denied' } });
  });

  it('never opens the dialog for a foreign sender', async () => {
    const { ipc, saveFile } = withDialog('/tmp/x');
    expect(await ipc.invoke(ipcChannel('exportFile'), 'https://evil.example/', arg)).toEqual(FORBIDDEN_SENDER);
    expect(saveFile).not.toHaveBeenCalled();
  });
});
