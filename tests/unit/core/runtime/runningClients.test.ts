import { describe, expect, it } from 'vitest';
import type { Signal } from '../../../../app/common/signal.ts';
import { RunningClients } from '../../../../app/core/runtime/runningClients.ts';

const start = (pid: number, profile = 'emis-web'): Signal => ({ source: 'process', kind: 'start', at: 1, app: 'EmisWeb.exe', profile, pid, detail: 'started' });

describe('RunningClients (the note side’s list of running clients)', () => {
  it('drops a start already known: a restarted watcher reports every running client as started', () => {
    const clients = new RunningClients();
    expect(clients.track(start(10))).toBe(true);
    expect(clients.track(start(10))).toBe(false);
    expect(clients.any).toBe(true);
    expect(clients.track({ ...start(10), kind: 'exit' })).toBe(true);
    expect(clients.any).toBe(false);
  });

  it('reports as exited, with the code when known, a client a new watcher no longer lists', () => {
    const clients = new RunningClients();
    clients.track(start(10));
    clients.track(start(11));
    const exits = clients.endedUnseen([{ pid: 11, name: 'EmisWeb.exe', profile: 'emis-web' }], 5, (pid) => (pid === 10 ? 3221225477 : undefined));
    expect(exits).toEqual([expect.objectContaining({ kind: 'exit', pid: 10, at: 5, exitCode: 3221225477, detail: expect.stringMatching(/while Lifeboat's watcher was restarting/) })]);
  });

  it('forgets clients of a profile no longer watched, so their absence is not taken for an exit', () => {
    const clients = new RunningClients();
    clients.track(start(10, 'emis-web'));
    clients.keepOnly(new Set(['vision']));
    expect(clients.any).toBe(false);
    expect(clients.endedUnseen([], 5)).toEqual([]);
  });
});
