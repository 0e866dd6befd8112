import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Signal } from '../../app/common/signal.ts';
import { createPidfdExitWatch } from '../../app/core/watch/process/linux/pidfdExitWatch.ts';
import { LinuxProcLister } from '../../app/core/watch/process/linuxProcLister.ts';
import { ProcessWatcher } from '../../app/core/watch/process/processWatcher.ts';
import { waitFor } from '../support/waitFor.ts';

describe('process exit through a pidfd (Linux)', () => {
  it('a killed process is reported by the kernel, with no poll after it, and its launcher supplies the code', async () => {
    const exits = createPidfdExitWatch();
    expect(exits, 'pidfd_open is available on this kernel').not.toBeNull();
    const child = spawn('sleep', ['300'], { stdio: 'ignore' });
    let code: number | null | undefined;
    child.on('exit', (c, s) => (code = c ?? (s === 'SIGKILL' ? 137 : null)));
    const signals: Signal[] = [];
    const watcher = new ProcessWatcher({
      lister: new LinuxProcLister({ fullScanEvery: 1 }),
      clients: [{ profile: 'test', processNames: ['sleep'] }],
      clock: { now: () => Date.now() },
      exits: exits!,
      exitCodeFor: (pid) => (pid === child.pid ? code : null),
      onSignal: (s) => signals.push(s),
    });
    await waitFor(async () => {
      await watcher.pollOnce();
      return signals.some((s) => s.kind === 'start' && s.pid === child.pid);
    });
    const killedAt = Date.now();
    child.kill('SIGKILL');
    await waitFor(() => signals.some((s) => s.kind === 'exit' && s.pid === child.pid), { what: 'the exit signal' });
    const exit = signals.find((s) => s.kind === 'exit' && s.pid === child.pid)!;
    expect(exit.exitCode).toBe(137);
    expect(exit.at - killedAt).toBeLessThan(1000); // no poll ran: the event brought it
    await watcher.stop();
  });

  it('is not offered where there is no pidfd (not Linux)', () => {
    expect(createPidfdExitWatch('win32')).toBeNull();
    expect(createPidfdExitWatch('darwin')).toBeNull();
  });
});
