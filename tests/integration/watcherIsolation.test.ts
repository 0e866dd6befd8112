import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultRuntimeEntries } from '../../app/core/runtime/runtimeEntries.ts';
import { incidentsOf, startSimHarness, type SimHarness } from '../support/simHarness.ts';
import { waitFor } from '../support/waitFor.ts';

let harness: SimHarness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

const crashes = (h: SimHarness) => h.runtime.vault.listIncidents().filter((i) => i.kind === 'crash');
const watcherPid = (h: SimHarness): number => h.runtime.service.watcher.pid!;

function logLine(message: string): string {
  const d = new Date();
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())},${p(d.getMilliseconds(), 3)} [1] ${message}\r\n`;
}

describe('the watcher runs in a process of its own, supervised by the note side', () => {
  it('killed -9, it is started again and watching; a crash while it was down is not lost, one before it is not doubled', async () => {
    harness = await startSimHarness();
    const first = await harness.startClient();
    await waitFor(() => harness!.runtime.health().state === 'ok', { what: 'client start' });
    first.send('crash');
    await waitFor(() => crashes(harness!).some((i) => ['log', 'wer', 'process'].every((s) => i.sources.includes(s as never))), { what: 'first crash, three sources' });
    const second = await harness.startClient();
    await waitFor(() => harness!.runtime.health().state === 'ok', { what: 'client restarted' });
    const note = harness.runtime.vault.save({ body: 'Saved while the watcher was killed', title: 'restart test' });

    const oldPid = watcherPid(harness);
    process.kill(oldPid, 'SIGKILL');
    // The client crashes while no watcher is looking: log record, Report.wer and the process exit.
    second.send('crash');
    await second.exited;
    await waitFor(() => harness!.runtime.service.watcher.pid !== undefined && harness!.runtime.service.watcher.pid !== oldPid && harness!.runtime.service.watcher.ready, { what: 'a new watcher, watching', timeoutMs: 15_000 });
    await waitFor(() => crashes(harness!).length === 2 && ['log', 'wer', 'process'].every((s) => crashes(harness!)[1]!.sources.includes(s as never)), { what: 'the crash during the restart, from every source', timeoutMs: 15_000 });

    // Not doubled: the first crash is still one incident, however much was read again.
    await new Promise((r) => setTimeout(r, 1500));
    expect(crashes(harness)).toHaveLength(2);
    expect(incidentsOf(harness, 'crash')).toHaveLength(2);
    expect(harness.runtime.service.watcher.current()).toMatchObject({ state: 'running', restarts: 1 });
    expect(harness.diagnostics.join('\n')).toMatch(/watcher: the watcher process ended \(signal SIGKILL\); starting it again/);
    // One restart is repaired silently: the GP is not told.
    expect(harness.events.some((e) => e.type === 'notification' && e.kind === 'watcher')).toBe(false);
    expect(harness.runtime.vault.show(note.id).body).toBe('Saved while the watcher was killed');
  }, 90_000);

  it('a watcher that stops answering (SIGSTOP) is killed after the heartbeat timeout and started again; saves never wait', async () => {
    harness = await startSimHarness({ watcher: { heartbeatMs: 200, heartbeatTimeoutMs: 1500 } });
    const client = await harness.startClient();
    await waitFor(() => harness!.runtime.health().state === 'ok', { what: 'client start' });
    const frozen = watcherPid(harness);
    process.kill(frozen, 'SIGSTOP');
    try {
      // The GP types all through the freeze, until the supervisor has replaced the frozen watcher.
      // A save that waited for the watcher would wait until it is killed (the heartbeat timeout,
      // 1.5 s), and the loop would end after that one save: many saves inside the freeze, each
      // shorter than the timeout, prove none did.
      const saveMs: number[] = [];
      let id: string | undefined;
      const giveUpAt = performance.now() + 15_000;
      while (harness.runtime.service.watcher.pid === frozen && performance.now() < giveUpAt) {
        const t0 = performance.now();
        id = harness.runtime.vault.save({ ...(id ? { id } : {}), body: `note while the watcher is frozen ${saveMs.length}` }).id;
        saveMs.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(saveMs.length).toBeGreaterThanOrEqual(5);
      expect(Math.max(...saveMs)).toBeLessThan(1500);
      expect(harness.runtime.vault.show(id!).body).toBe(`note while the watcher is frozen ${saveMs.length - 1}`);
      await waitFor(() => harness!.runtime.service.watcher.pid !== frozen && harness!.runtime.service.watcher.ready, { what: 'the frozen watcher replaced', timeoutMs: 15_000 });
    } finally {
      try {
        process.kill(frozen, 'SIGCONT');
      } catch {
        // killed already, as it should be
      }
    }
    expect(harness.diagnostics.join('\n')).toMatch(/the watcher stopped answering for \d+ s \((busy at its last heartbeat: \w+: .+|nothing was busy at its last heartbeat)\); starting it again/);
    // Watching again: the new watcher sees the crash.
    client.send('crash');
    await waitFor(() => crashes(harness!).length === 1, { what: 'crash seen by the new watcher', timeoutMs: 15_000 });
  }, 60_000);

  it('tells the GP once, and only when the watcher keeps failing; notes are kept all along', async () => {
    harness = await startSimHarness({
      entries: { ...defaultRuntimeEntries(), watcher: join(import.meta.dirname, '..', 'fixtures', 'runtime', 'dyingWatcher.mjs') },
      watcher: { restart: { delaysMs: [0, 100, 200], failingAfter: 3 } },
      skipWatchingCheck: true,
    });
    await waitFor(() => harness!.runtime.service.watcher.current().restarts >= 5, { what: 'several restarts', timeoutMs: 20_000 });
    const told = harness.events.filter((e) => e.type === 'notification' && e.kind === 'watcher');
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ title: 'Lifeboat cannot watch Simulated clinical client at the moment', body: expect.stringMatching(/notes are still being saved/) as unknown as string });
    expect(harness.runtime.service.watcher.current().state).toBe('failing');
    const status = await harness.runtime.handlers.getStatus({});
    expect(status.watcherProblem).toMatch(/watcher keeps stopping \(the watcher process ended \(exit code 1\): dying watcher: failing on purpose\)/);
    const saved = await harness.runtime.handlers.saveDraft({ body: 'still kept' });
    expect(harness.runtime.vault.show(saved.id).body).toBe('still kept');
  }, 60_000);

  it('names a source that is busy too long (a 30 MB Event Log export being parsed) while the others carry on', async () => {
    const base = mkdtempSync(join(tmpdir(), 'lifeboat-export-'));
    const exportFile = join(base, 'events.xml');
    const event = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'eventlog', 'application-export.xml'), 'utf8').trim().split('\n')[0]!;
    writeFileSync(exportFile, `${event}\n`.repeat(Math.ceil((30 * 1024 * 1024) / event.length)));
    try {
      harness = await startSimHarness({ eventLog: { exportFile }, watcher: { stuckAfterMs: 1000, heartbeatMs: 200 } });
      await harness.startClient();
      await waitFor(() => harness!.runtime.health().state === 'ok', { what: 'client start' });
      await waitFor(() => harness!.diagnostics.some((d) => /^eventlog: stuck: eventlog: querying the Application event log for \d+/.test(d)), { what: 'the busy source named', timeoutMs: 15_000 });
      expect(harness.runtime.service.watcher.busy()[0]).toMatchObject({ part: 'eventlog', what: 'querying the Application event log' });
      // The export is parsed on the watcher's worker thread: the log source goes on meanwhile.
      appendFileSync(join(harness.dirs.logs, 'client.log'), logLine('FATAL EmisWeb.Shell - EMIS Web has encountered a serious problem and needs to close.'));
      await waitFor(() => crashes(harness!).some((i) => i.sources.includes('log')), { what: 'a crash from the log, next to the busy source' });
      expect(harness.runtime.service.watcher.current().restarts).toBe(0);
    } finally {
      await harness?.close();
      harness = null;
      rmSync(base, { recursive: true, force: true });
    }
  }, 90_000);
});
