import { describe, expect, it } from 'vitest';
import type { Signal } from '../../../../../app/common/signal.ts';
import { describeExitCode, isExceptionExitCode, type ProcessExitWatch } from '../../../../../app/core/watch/process/processExits.ts';
import type { ProcessSnapshot } from '../../../../../app/core/watch/process/processSnapshot.ts';
import { ProcessWatcher } from '../../../../../app/core/watch/process/processWatcher.ts';
import { waitFor } from '../../../../support/waitFor.ts';

/** Stands in for the OS's exit notification (a process handle wait, a pidfd): the test says when. */
class ScriptedExits implements ProcessExitWatch {
  readonly name = 'scripted';
  readonly watching = new Map<number, (code: number | null) => void>();
  closed = false;
  watch(pid: number, onExit: (code: number | null) => void): boolean {
    this.watching.set(pid, onExit);
    return true;
  }
  async unwatch(pid: number): Promise<void> {
    this.watching.delete(pid);
  }
  async close(): Promise<void> {
    this.closed = true;
  }
  exit(pid: number, code: number | null): void {
    const onExit = this.watching.get(pid)!;
    this.watching.delete(pid);
    onExit(code);
  }
}

const client = (pid: number): ProcessSnapshot => ({ pid, name: 'emisweb.exe', state: 'running', rssBytes: 1, cpuMs: 0, startedAt: 1000 + pid });

function setup(exitCodeFor?: (pid: number) => number | null | undefined) {
  let listing: ProcessSnapshot[] = [client(42)];
  const signals: Signal[] = [];
  const exits = new ScriptedExits();
  let now = 5_000;
  const watcher = new ProcessWatcher({
    lister: { list: async () => listing },
    clients: [{ profile: 'emis-web', processNames: ['EmisWeb.exe'] }],
    clock: { now: () => now },
    exits,
    onSignal: (s) => signals.push(s),
    ...(exitCodeFor ? { exitCodeFor } : {}),
  });
  return { watcher, exits, signals, setListing: (l: ProcessSnapshot[]) => (listing = l), tick: (ms: number) => (now += ms) };
}

describe('exit as an event', () => {
  it('an exception exit code is a crash, at the moment the OS says so, with the code spelled out', async () => {
    const { watcher, exits, signals, tick } = setup();
    await watcher.pollOnce();
    expect(exits.watching.has(42)).toBe(true);
    tick(15);
    exits.exit(42, 0xc0000005);
    expect(signals.slice(1).map((s) => [s.kind, s.exitCode, s.at])).toEqual([
      ['crash', 0xc0000005, 5015],
      ['exit', 0xc0000005, 5015],
    ]);
    expect(signals[1]!.detail).toBe('emisweb.exe (pid 42) crashed, exit code 0xC0000005 (access violation)');
    expect(watcher.running()).toEqual([]);
  });

  it('a clean exit is one exit signal with code 0, and the next poll does not report it again', async () => {
    const { watcher, exits, signals, setListing } = setup();
    await watcher.pollOnce();
    setListing([]);
    exits.exit(42, 0);
    await watcher.pollOnce();
    expect(signals.map((s) => [s.kind, s.exitCode])).toEqual([
      ['start', undefined],
      ['exit', 0],
    ]);
  });

  it('a poll that finds the process gone before the event leaves the exit to the event', async () => {
    const { watcher, exits, signals, setListing } = setup();
    await watcher.pollOnce();
    setListing([]);
    await watcher.pollOnce();
    expect(signals.map((s) => s.kind)).toEqual(['start']);
    exits.exit(42, 0xe0434352);
    expect(signals.map((s) => [s.kind, s.signature ?? null])).toEqual([
      ['start', null],
      ['crash', '0xE0434352 (unhandled .NET exception)'],
      ['exit', null],
    ]);
  });

  it('without a code from the OS (Linux, not our child) the launcher’s code is awaited briefly', async () => {
    const launcher: { code: number | undefined } = { code: undefined };
    const { watcher, exits, signals } = setup(() => launcher.code);
    await watcher.pollOnce();
    exits.exit(42, null);
    expect(signals).toHaveLength(1);
    launcher.code = 137;
    await waitFor(() => signals.length === 2, { what: 'the exit once the launcher knows its code' });
    expect(signals.at(-1)).toMatchObject({ kind: 'exit', exitCode: 137 });
  });

  it('without a code from the OS and nobody who launched it, the exit leaves at once, code unknown', async () => {
    const { watcher, exits, signals } = setup();
    await watcher.pollOnce();
    exits.exit(42, null);
    expect(signals.at(-1)).toMatchObject({ kind: 'exit', exitCode: null, at: 5000 });
  });

  it('stop() closes the exit watch', async () => {
    const { watcher, exits } = setup();
    await watcher.stop();
    expect(exits.closed).toBe(true);
  });

  it.each([
    [0, false, 'exit code 0'],
    [1, false, 'exit code 1'],
    [0xc0000005, true, 'exit code 0xC0000005 (access violation)'],
    [-1073741819, true, 'exit code 0xC0000005 (access violation)'],
    [0xc0000409, true, 'exit code 0xC0000409 (stack buffer overrun (fail fast))'],
    [0xc0001234, true, 'exit code 0xC0001234'],
    [null, false, 'exit code unknown'],
  ] as Array<[number | null, boolean, string]>)('exit code %s: crash %s, "%s"', (code, crash, text) => {
    expect(isExceptionExitCode(code)).toBe(crash);
    expect(describeExitCode(code)).toBe(text);
  });
});
