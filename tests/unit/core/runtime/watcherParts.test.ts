import { describe, expect, it } from 'vitest';
import { FromWatcherSchema, ToWatcherSchema } from '../../../../app/common/watcherChannel.ts';
import { parentChannel, type ChannelProcess } from '../../../../app/core/runtime/parentChannel.ts';
import { SignalLedger } from '../../../../app/core/runtime/signalLedger.ts';
import { describeBusy, SourceActivity } from '../../../../app/core/runtime/sourceActivity.ts';
import { lineSplitter } from '../../../../app/core/runtime/watcherLauncher.ts';

describe('SignalLedger', () => {
  it('takes a key once, and forgets the oldest beyond its bounds', () => {
    const ledger = new SignalLedger({ maxKeys: 2, maxAgeMs: 1000 });
    expect(ledger.firstTime('a', 0)).toBe(true);
    expect(ledger.firstTime('a', 1)).toBe(false);
    ledger.firstTime('b', 2);
    ledger.firstTime('c', 3);
    expect(ledger.size).toBe(2);
    expect(ledger.firstTime('a', 4)).toBe(true);
    expect(ledger.firstTime('z', 5000)).toBe(true);
    expect(ledger.size).toBe(1);
  });
});

describe('SourceActivity: what each source is doing, and which is stuck', () => {
  it('lists operations under way, longest first, and names a stuck one once', async () => {
    let now = 0;
    const activity = new SourceActivity(() => now);
    const endProcess = activity.begin('process', 'listing the client processes');
    now = 500;
    let release!: () => void;
    const share = activity.track('practice', 'reading the practice share', () => new Promise<void>((r) => (release = r)));
    now = 40_000;
    expect(activity.busy().map(describeBusy)).toEqual(['process: listing the client processes for 40 s', 'practice: reading the practice share for 40 s']);
    expect(activity.newlyStuck(30_000).map((op) => op.part)).toEqual(['process', 'practice']);
    expect(activity.newlyStuck(30_000)).toEqual([]);
    endProcess();
    release();
    await share;
    expect(activity.busy()).toEqual([]);
  });

  it('ends an operation whose work throws before it returns a promise', () => {
    const activity = new SourceActivity();
    expect(() =>
      activity.track('eventlog', 'query', () => {
        throw new Error('no wevtutil');
      }),
    ).toThrow('no wevtutil');
    expect(activity.busy()).toEqual([]);
  });
});

describe('the watcher end of the channel (parentChannel)', () => {
  it('uses Electron’s parentPort in a utility process', () => {
    const posted: unknown[] = [];
    let deliver: (e: { data: unknown }) => void = () => {};
    const proc: ChannelProcess = { parentPort: { on: (_e, l) => (deliver = l), postMessage: (m) => void posted.push(m) }, on: () => undefined };
    const channel = parentChannel(proc)!;
    const got: unknown[] = [];
    channel.onMessage((m) => got.push(m));
    deliver({ data: { type: 'stop' } });
    channel.send({ type: 'stopped' });
    expect(channel.kind).toBe('electron-utility');
    expect(got).toEqual([{ type: 'stop' }]);
    expect(posted).toEqual([{ type: 'stopped' }]);
  });

  it('uses Node’s IPC after child_process.fork, and survives a closed channel', () => {
    const listeners = new Map<string, (m?: unknown) => void>();
    const proc: ChannelProcess = {
      send: () => {
        throw new Error('channel closed');
      },
      on: (event: string, l: (m?: unknown) => void) => listeners.set(event, l),
    } as ChannelProcess;
    const channel = parentChannel(proc)!;
    let gone = false;
    channel.onDisconnect(() => (gone = true));
    expect(() => channel.send({ type: 'stopped' })).not.toThrow();
    listeners.get('disconnect')!();
    expect(channel.kind).toBe('node-ipc');
    expect(gone).toBe(true);
  });

  it('is null when the watcher entry is run by hand', () => {
    expect(parentChannel({ on: () => undefined })).toBeNull();
  });
});

describe('the channel schemas', () => {
  it('accept what each side sends and refuse what neither would', () => {
    expect(ToWatcherSchema.safeParse({ type: 'snapshot-now' }).success).toBe(true);
    expect(ToWatcherSchema.safeParse({ type: 'snapshot-now', extra: 1 }).success).toBe(false);
    expect(ToWatcherSchema.safeParse({ type: 'incident', seq: 1.5, incident: {}, change: 'opened' }).success).toBe(false);
    expect(FromWatcherSchema.safeParse({ type: 'diagnostic', diagnostic: { source: 'log', code: 'log-rotated', message: 'rotated in a.log' } }).success).toBe(true);
    expect(FromWatcherSchema.safeParse({ type: 'diagnostic', diagnostic: { source: 'log', code: 'log-rotated', message: 'x'.repeat(2001) } }).success).toBe(false);
    expect(FromWatcherSchema.safeParse({ type: 'diagnostic', diagnostic: { source: 'log', code: 'made-up', message: 'x' } }).success).toBe(false);
    // The watcher never speaks for the vault.
    expect(FromWatcherSchema.safeParse({ type: 'diagnostic', diagnostic: { source: 'vault', code: 'vault-worker-problem', message: 'x' } }).success).toBe(false);
    expect(FromWatcherSchema.safeParse({ type: 'captured', requestId: 1, draft: { id: 'clip-emis-web-20260105', body: 'copied', reason: 'clipboard' }, origin: 'clipboard' }).success).toBe(true);
    expect(FromWatcherSchema.safeParse({ type: 'captured', requestId: 1, draft: { id: 'cap-1', body: 'x' }, origin: 'note' }).success).toBe(false);
  });
});

describe('lineSplitter (the watcher’s stderr)', () => {
  it('hands over whole lines across chunks', () => {
    const lines: string[] = [];
    const feed = lineSplitter((l) => lines.push(l));
    feed('first li');
    feed('ne\r\nsecond\n\nthi');
    feed('rd\n');
    expect(lines).toEqual(['first line', 'second', 'third']);
  });
});
