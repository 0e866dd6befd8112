import { afterEach, describe, expect, it } from 'vitest';
import { diagnosticLine } from '../../../../app/common/diagnostic.ts';
import type { Incident } from '../../../../app/common/incident.ts';
import type { Signal } from '../../../../app/common/signal.ts';
import type { WatcherInit } from '../../../../app/common/watcherChannel.ts';
import { WatcherSupervisor, type WatcherEvents, type WatcherState } from '../../../../app/core/runtime/watcherSupervisor.ts';
import { waitFor } from '../../../support/waitFor.ts';
import { fakeLauncher } from '../../../../testing/runtime/fakeWatcherProcess.ts';

const INIT: WatcherInit = {
  config: { settings: {}, active: [], logFolders: {}, simSocketDirs: {} },
  stateDir: '/state',
  platform: 'linux',
  workstation: 'ROOM-2',
  werRoots: [],
  eventLog: 'none',
  logStartAt: 'end',
  sinceMs: 0,
  captureIntervals: {},
  captureSalt: '00',
  capture: { enabled: true, clipboardJournal: false },
  heartbeatMs: 100,
  matchBudgetMs: 100,
  stuckAfterMs: 30_000,
  sourceWorkerEntry: '/x/sourceWorker.ts',
};

const signal = (detail: string): Signal => ({ source: 'log', kind: 'crash', at: 1, app: 'emisweb.exe', profile: 'emis-web', detail });
const incident: Incident = { id: 'inc-1', kind: 'crash', app: 'emisweb.exe', profile: 'emis-web', startedAt: '2026-01-05T09:41:07.000Z', endedAt: null, sources: ['log'], evidence: [], signature: null };

let supervisor: WatcherSupervisor | null = null;
afterEach(async () => {
  await supervisor?.stop(50);
  supervisor = null;
});

function setup(options: Partial<ConstructorParameters<typeof WatcherSupervisor>[0]> = {}, events: Partial<WatcherEvents> = {}) {
  const fake = fakeLauncher();
  const seen = { signals: [] as Signal[], diagnostics: [] as string[], states: [] as WatcherState[], running: [] as Array<[number[], boolean]>, captured: [] as string[] };
  supervisor = new WatcherSupervisor({
    launch: fake.launch,
    init: () => INIT,
    forwardIncidents: () => true,
    heartbeatTimeoutMs: 200,
    restart: { delaysMs: [0] },
    events: {
      signal: (s) => seen.signals.push(s),
      captured: (draft) => void seen.captured.push(draft.id!),
      outage: () => {},
      diagnostic: (d) => seen.diagnostics.push(diagnosticLine(d)),
      ready: () => {},
      running: (clients, first) => seen.running.push([clients.map((c) => c.pid), first]),
      state: (s) => seen.states.push(s),
      ...events,
    },
    ...options,
  });
  supervisor.start();
  return { fake, seen, supervisor };
}

describe('WatcherSupervisor (the note side of the channel)', () => {
  it('sends init first, and is ready when the watcher says so', async () => {
    const { fake, supervisor } = setup();
    expect(fake.processes[0]!.sent[0]).toMatchObject({ type: 'init', init: { workstation: 'ROOM-2' } });
    const ready = supervisor.whenReady(1000);
    fake.processes[0]!.ready();
    expect(await ready).toBe(true);
    expect(supervisor.current()).toEqual({ state: 'running', reason: null, restarts: 0 });
  });

  it('kills a watcher that stops answering, names what it was busy with, and starts another', async () => {
    const { fake, seen } = setup();
    const first = fake.processes[0]!;
    first.ready();
    first.emit({ type: 'heartbeat', seq: 1, processPolls: 1, running: [], busy: [{ part: 'practice', what: 'reading and writing the practice share \\\\server\\share', forMs: 12_000 }] });
    await waitFor(() => first.killed, { what: 'the hung watcher killed' });
    await waitFor(() => fake.processes.length === 2, { what: 'a new watcher' });
    expect(seen.diagnostics[0]).toMatch(/^watcher: the watcher stopped answering for \d+ s \(busy at its last heartbeat: practice: reading and writing the practice share \\\\server\\share for 12 s\); starting it again$/);
    expect(seen.states.at(-1)).toMatchObject({ state: 'restarting', restarts: 1 });
    expect(fake.processes[1]!.sent[0]!.type).toBe('init');
  });

  it('says why a watcher died, with its last stderr line', async () => {
    const { fake, seen } = setup();
    fake.processes[0]!.stderr('TypeError: boom');
    fake.processes[0]!.exit(1);
    await waitFor(() => fake.processes.length === 2);
    expect(seen.diagnostics[0]).toBe('watcher: the watcher process ended (exit code 1): TypeError: boom; starting it again');
  });

  it('takes in keyed evidence once, however often a restarted watcher reports it', () => {
    const { fake, seen } = setup();
    const p = fake.processes[0]!;
    p.emit({ type: 'signal', signal: signal('a'), key: 'log:100:abc' });
    p.emit({ type: 'signal', signal: signal('a again'), key: 'log:100:abc' });
    p.emit({ type: 'signal', signal: signal('no key') });
    p.emit({ type: 'signal', signal: signal('no key') });
    expect(seen.signals.map((s) => s.detail)).toEqual(['a', 'no key', 'no key']);
  });

  it('ignores a message that fails its schema, with one line saying so', () => {
    const { fake, seen } = setup();
    fake.processes[0]!.emit({ type: 'signal', signal: { source: 'log', kind: 'explode' } });
    fake.processes[0]!.emit({ type: 'captured', requestId: 1, draft: { id: '0c1d0f1e-uuid-of-a-gp-note', body: 'x' }, origin: 'capture' });
    expect(seen.signals).toEqual([]);
    expect(seen.captured).toEqual([]);
    expect(seen.diagnostics).toHaveLength(2);
    expect(seen.diagnostics[0]).toMatch(/^watcher: a message from the watcher was ignored: signal\.kind: /);
    // A captured draft may only write its own kind of draft, never a note typed in Lifeboat.
    expect(seen.diagnostics[1]).toMatch(/draft\.id: a captured draft id starts with cap- or clip-/);
  });

  it('answers every captured text: null once kept, the reason when not', () => {
    let fail = false;
    const { fake } = setup({}, {
      captured: () => {
        if (fail) throw new Error('the disk is full: the note is not saved');
      },
    });
    const p = fake.processes[0]!;
    p.emit({ type: 'captured', requestId: 7, draft: { id: 'cap-1', body: 'text' }, origin: 'capture' });
    fail = true;
    p.emit({ type: 'captured', requestId: 8, draft: { id: 'cap-1', body: 'text 2' }, origin: 'capture' });
    expect(p.sent.filter((m) => m.type === 'saved')).toEqual([
      { type: 'saved', requestId: 7, error: null },
      { type: 'saved', requestId: 8, error: 'the disk is full: the note is not saved' },
    ]);
  });

  it('keeps incidents for syslog and the share until the watcher has them, and gives them to the next one', async () => {
    const { fake } = setup();
    const first = fake.processes[0]!;
    first.ready();
    supervisor!.forwardIncident(incident, 'opened');
    supervisor!.forwardIncident({ ...incident, endedAt: '2026-01-05T09:45:00.000Z' }, 'closed');
    const sent = first.sent.filter((m) => m.type === 'incident');
    expect(sent.map((m) => m.type === 'incident' && m.change)).toEqual(['opened', 'closed']);
    first.emit({ type: 'incident-done', seq: (sent[0] as { seq: number }).seq });
    first.exit(null, 'SIGKILL');
    await waitFor(() => fake.processes.length === 2);
    const second = fake.processes[1]!;
    expect(second.sent.filter((m) => m.type === 'incident')).toEqual([]);
    second.ready();
    expect(second.sent.filter((m) => m.type === 'incident').map((m) => m.type === 'incident' && m.change)).toEqual(['closed']);
  });

  it('tells which clients a restarted watcher finds running, marking its first listing', async () => {
    const { fake, seen } = setup();
    const heartbeat = (pids: number[], polls: number) => ({ type: 'heartbeat', seq: 1, processPolls: polls, running: pids.map((pid) => ({ pid, name: 'emisweb.exe', profile: 'emis-web' })), busy: [] });
    fake.processes[0]!.ready();
    fake.processes[0]!.emit(heartbeat([11], 1));
    fake.processes[0]!.exit(null, 'SIGKILL');
    await waitFor(() => fake.processes.length === 2);
    const second = fake.processes[1]!;
    second.ready();
    second.emit(heartbeat([], 0));
    second.emit(heartbeat([12], 1));
    second.emit(heartbeat([12], 2));
    expect(seen.running).toEqual([
      [[11], false],
      [[12], true],
      [[12], false],
    ]);
  });

  it('backs off, and reports "failing" when the watcher keeps dying', async () => {
    const { fake, seen } = setup({ restart: { delaysMs: [0, 20, 40], failingAfter: 3 } });
    for (let i = 0; i < 3; i++) {
      await waitFor(() => fake.processes.length === i + 1);
      fake.processes[i]!.exit(1);
    }
    await waitFor(() => seen.states.some((s) => s.state === 'failing'));
    expect(seen.states.map((s) => s.state)).toEqual(['restarting', 'restarting', 'failing']);
  });

  it('stops the watcher politely, and kills it when it does not go', async () => {
    const { fake, supervisor } = setup();
    const p = fake.processes[0]!;
    await supervisor.stop(100);
    expect(p.sent.at(-1)).toEqual({ type: 'stop' });
    expect(p.killed).toBe(true);
    expect(supervisor.current().state).toBe('stopped');
  });

  it('restarts with a fresh init when the config changes: the old watcher stops cleanly, no back-off, not a failure', async () => {
    let profile = 'emis-web';
    const { fake, seen, supervisor } = setup({ init: () => ({ ...INIT, workstation: profile }) });
    const first = fake.processes[0]!;
    first.ready();
    await supervisor.whenReady(1000);
    profile = 'vision';
    const restarted = supervisor.restart('now watching Vision instead of EMIS Web', 100);
    expect(first.sent.at(-1)).toEqual({ type: 'stop' });
    first.exit(0);
    await restarted;
    const second = fake.processes[1]!;
    expect(second.sent[0]).toMatchObject({ type: 'init', init: { workstation: 'vision' } });
    // What the old watcher still says is not this generation's.
    first.emit({ type: 'signal', signal: { source: 'process', kind: 'start', at: 1, app: 'x', profile: 'emis-web', pid: 5, detail: 'late' } });
    expect(seen.signals).toEqual([]);
    second.ready();
    expect(await supervisor.whenReady(1000)).toBe(true);
    expect(supervisor.current()).toMatchObject({ state: 'running', restarts: 0 });
    expect(seen.states.map((state) => state.state)).toEqual(['running', 'restarting', 'running']);
    expect(seen.diagnostics).toContain('watcher: starting the watcher again: now watching Vision instead of EMIS Web');
  });
});
