import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../app/common/clock.ts';
import type { Signal } from '../../app/common/signal.ts';
import { LinuxProcLister } from '../../app/core/watch/process/linuxProcLister.ts';
import { ProcessWatcher } from '../../app/core/watch/process/processWatcher.ts';
import { waitFor } from '../support/waitFor.ts';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

function startTitled(title: string): ChildProcess {
  const child = spawn(process.execPath, ['-e', `process.title = ${JSON.stringify(title)}; setInterval(() => {}, 1000)`], { stdio: 'ignore' });
  children.push(child);
  return child;
}

describe('ProcessWatcher on real processes (/proc)', () => {
  it('sees start, hang (SIGSTOP), responsive (SIGCONT) and exit with the known exit code', async () => {
    const title = `lb-test-${process.pid}-a`;
    const signals: Signal[] = [];
    const exitCodes = new Map<number, number | null>();
    const watcher = new ProcessWatcher({
      lister: new LinuxProcLister(),
      clients: [{ profile: 'simulated', processNames: [title] }],
      clock: systemClock,
      pollIntervalMs: 50,
      onSignal: (s) => signals.push(s),
      exitCodeFor: (pid) => exitCodes.get(pid),
    });
    watcher.start();
    try {
      const child = startTitled(title);
      child.on('exit', (code, signal) => exitCodes.set(child.pid!, code ?? (signal ? 128 + 9 : null)));
      await waitFor(() => signals.some((s) => s.kind === 'start'));
      expect(signals[0]).toMatchObject({ source: 'process', kind: 'start', app: title, profile: 'simulated', pid: child.pid });

      child.kill('SIGSTOP');
      await waitFor(() => signals.some((s) => s.kind === 'hang'));
      child.kill('SIGCONT');
      await waitFor(() => signals.some((s) => s.kind === 'responsive'));

      child.kill('SIGKILL');
      await waitFor(() => signals.some((s) => s.kind === 'exit'));
      expect(signals.map((s) => s.kind)).toEqual(['start', 'hang', 'responsive', 'exit']);
    } finally {
      await watcher.stop();
    }
  });

  it('warns when memory passes the profile ceiling, once per episode', async () => {
    const title = `lb-test-${process.pid}-b`;
    const signals: Signal[] = [];
    const watcher = new ProcessWatcher({
      lister: new LinuxProcLister(),
      clients: [{ profile: 'simulated', processNames: [title], memoryWarnBytes: 1024 * 1024 }],
      clock: systemClock,
      pollIntervalMs: 50,
      onSignal: (s) => signals.push(s),
    });
    watcher.start();
    try {
      startTitled(title);
      await waitFor(() => signals.some((s) => s.kind === 'slow'));
      await new Promise((r) => setTimeout(r, 300));
      expect(signals.filter((s) => s.kind === 'slow')).toHaveLength(1);
      expect(signals.find((s) => s.kind === 'slow')!.detail).toMatch(/memory .* GB, near its limit/);
    } finally {
      await watcher.stop();
    }
  });
});
