import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { UtilityChild, UtilityProcessPort } from '../../../app/main/electronPorts.ts';
import { utilityWatcherLauncher } from '../../../app/main/utilityWatcherLauncher.ts';

/** Electron's utilityProcess as far as the launcher uses it; the real one is in electronAdapters.ts. */
class FakeUtilityChild implements UtilityChild {
  pid: number | undefined = 4242;
  readonly stderr = new PassThrough();
  readonly posted: unknown[] = [];
  kills = 0;
  private readonly listeners = new Map<string, Array<(arg: never) => void>>();
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
  kill(): boolean {
    this.kills++;
    return true;
  }
  on(event: string, listener: (arg: never) => void): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  fire(event: 'message' | 'exit', arg: unknown): void {
    for (const l of this.listeners.get(event) ?? []) (l as (a: unknown) => void)(arg);
  }
}

function setup() {
  const forks: Array<{ modulePath: string; args: string[]; options: unknown; child: FakeUtilityChild }> = [];
  const port: UtilityProcessPort = {
    fork: (modulePath, args, options) => {
      const child = new FakeUtilityChild();
      forks.push({ modulePath, args, options, child });
      return child;
    },
  };
  return { forks, launch: utilityWatcherLauncher(port, '/app.asar/out/main/watcher.cjs') };
}

describe('the tray app’s watcher launcher (utilityProcess.fork behind a port)', () => {
  it('forks the bundled watcher entry with piped stdio and a service name', () => {
    const { forks, launch } = setup();
    const watcher = launch();
    expect(forks).toHaveLength(1);
    expect(forks[0]).toMatchObject({ modulePath: '/app.asar/out/main/watcher.cjs', args: [], options: { serviceName: 'Lifeboat watcher', stdio: 'pipe' } });
    expect(watcher.pid).toBe(4242);
  });

  it('carries messages both ways, and sends nothing to a process that has exited', () => {
    const { forks, launch } = setup();
    const watcher = launch();
    const child = forks[0]!.child;
    const received: unknown[] = [];
    watcher.onMessage((m) => received.push(m));
    watcher.send({ type: 'snapshot-now' });
    child.fire('message', { type: 'stopped' });
    const exits: unknown[] = [];
    watcher.onExit((e) => exits.push(e));
    child.fire('exit', 3);
    watcher.send({ type: 'stop' });
    watcher.onExit((e) => exits.push(e));
    expect(child.posted).toEqual([{ type: 'snapshot-now' }]);
    expect(received).toEqual([{ type: 'stopped' }]);
    expect(exits).toEqual([
      { code: 3, signal: null },
      { code: 3, signal: null },
    ]);
  });

  it('kills through Electron, and reads stderr line by line', async () => {
    const { forks, launch } = setup();
    const watcher = launch();
    const child = forks[0]!.child;
    const lines: string[] = [];
    watcher.onStderr((l) => lines.push(l));
    child.stderr.write('Error: first');
    child.stderr.write(' part\nsecond\n');
    await new Promise((r) => setImmediate(r));
    watcher.kill();
    expect(lines).toEqual(['Error: first part', 'second']);
    expect(child.kills).toBe(1);
  });
});
