// Rotation by rename + create while a real child process writes: no record lost, none twice,
// stack traces kept with their line — also across a restart of the tailer in the middle.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../app/common/diagnostic.ts';
import { LogTailer, type TailedRecord } from '../../app/core/watch/logs/logTailer.ts';
import { waitFor } from '../support/waitFor.ts';

const WRITER = join(import.meta.dirname, '..', 'fixtures', 'logs', 'rotatingLogWriter.ts');
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lifeboat-rotation-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function startWriter(dir: string, total: number, rotateEvery: number): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [WRITER, dir, String(total), String(rotateEvery)], { stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  cleanups.push(() => void child.kill());
  return { child, exited };
}

function tailer(dir: string, glob: string, statePath: string, records: TailedRecord[], diagnostics: Diagnostic[]): LogTailer {
  const instance = new LogTailer({
    paths: [{ dir, glob: [glob] }],
    statePath,
    onRecord: (record) => void records.push(record),
    onDiagnostic: (diagnostic) => void diagnostics.push(diagnostic),
    pollIntervalMs: 50,
    quietFlushMs: 100,
    renamedAwayGraceMs: 1000,
  });
  cleanups.push(() => instance.stop());
  return instance;
}

function seqOf(record: TailedRecord): number {
  return Number(/seq=(\d+)/.exec(record.text)?.[1] ?? -1);
}

/** Every seq 1..total exactly once, and each exception record whole. */
function expectExactlyOnce(records: TailedRecord[], total: number): void {
  const counts = new Map<number, number>();
  for (const record of records) counts.set(seqOf(record), (counts.get(seqOf(record)) ?? 0) + 1);
  const missing = Array.from({ length: total }, (_, i) => i + 1).filter((seq) => !counts.has(seq));
  const twice = [...counts].filter(([, count]) => count > 1).map(([seq]) => seq);
  expect({ missing, twice, foreign: counts.has(-1) }).toEqual({ missing: [], twice: [], foreign: false });
  for (const record of records.filter((r) => r.text.includes('failed'))) {
    expect(record.lines).toBe(5);
    expect(record.text.endsWith('   at Writer.Main()')).toBe(true);
  }
}

const uniqueSeqs = (records: TailedRecord[]): number => new Set(records.map(seqOf)).size;

describe('LogTailer with a writer rotating by rename + create', () => {
  for (const glob of ['app.log', 'app.log*']) {
    it(`reads every record exactly once while the writer rotates (glob ${glob})`, async () => {
      const dir = tempDir();
      const records: TailedRecord[] = [];
      const diagnostics: Diagnostic[] = [];
      const logTailer = tailer(dir, glob, join(dir, 'state', 'offsets.json'), records, diagnostics);
      await logTailer.start();
      const total = 4000;
      const writer = startWriter(dir, total, 350);
      expect(await writer.exited).toBe(0);
      await waitFor(() => uniqueSeqs(records) >= total, { what: `${total} records`, timeoutMs: 20_000 });
      await logTailer.poll();
      expectExactlyOnce(records, total);
      expect(diagnostics.filter((d) => d.code === 'log-rotated').length).toBeGreaterThan(0);
      expect(diagnostics.filter((d) => d.code === 'log-lost' || d.code === 'log-read-error')).toEqual([]);
    });
  }

  it('a tailer stopped and restarted mid-file (with rotations in between) sees every record exactly once across both runs', async () => {
    const dir = tempDir();
    const statePath = join(dir, 'state', 'offsets.json');
    const records: TailedRecord[] = [];
    const diagnostics: Diagnostic[] = [];
    const first = tailer(dir, 'app.log', statePath, records, diagnostics);
    await first.start();
    const total = 6000;
    const writer = startWriter(dir, total, 700);
    await waitFor(() => records.length >= 800, { what: 'the first tailer to read some records', timeoutMs: 20_000 });
    await first.stop();
    const seenByFirst = records.length;
    // Let the writer write and rotate at least once while no tailer runs.
    const filesAtStop = readdirSync(dir).length;
    await waitFor(() => readdirSync(dir).length > filesAtStop || writer.child.exitCode !== null, { what: 'a rotation while stopped', timeoutMs: 20_000 });
    const second = tailer(dir, 'app.log', statePath, records, diagnostics);
    await second.start();
    expect(await writer.exited).toBe(0);
    await waitFor(() => uniqueSeqs(records) >= total, { what: `${total} records`, timeoutMs: 20_000 });
    await second.poll();
    expect(seenByFirst).toBeLessThan(total);
    expectExactlyOnce(records, total);
  });
});
