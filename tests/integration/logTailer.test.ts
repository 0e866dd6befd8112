// The log tailer on real files in temp folders. Most tests drive it with poll() and a manual
// clock (no chokidar, no sleeps); one proves that chokidar hints alone pick up a new file.
import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../app/common/clock.ts';
import type { Diagnostic } from '../../app/common/diagnostic.ts';
import { LogTailer, type LogTailerOptions, type TailedRecord } from '../../app/core/watch/logs/logTailer.ts';
import { waitFor } from '../support/waitFor.ts';

const QUIET_MS = 500;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lifeboat-tailer-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

interface Harness {
  tailer: LogTailer;
  records: TailedRecord[];
  diagnostics: Diagnostic[];
  clock: ManualClock;
  /** poll(), then let the quiet period pass and poll() again so held records come out. */
  settle(): Promise<void>;
}

async function startTailer(dir: string, overrides: Partial<LogTailerOptions> = {}, glob = ['*.log']): Promise<Harness> {
  const records: TailedRecord[] = [];
  const diagnostics: Diagnostic[] = [];
  const clock = new ManualClock();
  const tailer = new LogTailer({
    paths: [{ dir, glob }],
    statePath: join(dir, 'state', 'offsets.json'),
    onRecord: (record) => void records.push(record),
    onDiagnostic: (diagnostic) => void diagnostics.push(diagnostic),
    clock,
    watch: false,
    pollIntervalMs: 3_600_000,
    quietFlushMs: QUIET_MS,
    ...overrides,
  });
  cleanups.push(() => tailer.stop());
  await tailer.start();
  const settle = async (): Promise<void> => {
    await tailer.poll();
    clock.advance(QUIET_MS);
    await tailer.poll();
  };
  return { tailer, records, diagnostics, clock, settle };
}

const line = (seq: number, level = 'INFO ', message = `seq=${seq}`): string =>
  `2026-01-05 09:41:${String(seq % 60).padStart(2, '0')},${String(seq % 1000).padStart(3, '0')} [7] ${level} Emis.Web - ${message}\r\n`;
const crashRecord = (seq: number): string =>
  line(seq, 'FATAL', `seq=${seq} EMIS Web has encountered a serious problem and needs to close`) +
  'System.InvalidOperationException: outer ---> System.NullReferenceException: Object reference not set\r\n' +
  '   at Emis.Web.Consultation.Save()\r\n   --- End of inner exception stack trace ---\r\n   at Emis.Web.App.Main()\r\n';
const lines = (from: number, to: number): string => Array.from({ length: to - from + 1 }, (_, i) => line(from + i)).join('');
const seqs = (records: TailedRecord[]): number[] => records.map((r) => Number(/seq=(\d+)/.exec(r.text)?.[1] ?? -1));
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

function encodeAs(text: string, encoding: string): Buffer {
  if (encoding === 'utf-8') return Buffer.from(text);
  if (encoding === 'utf-8 BOM') return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
  if (encoding === 'utf-16le') return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
}

describe('LogTailer', () => {
  for (const encoding of ['utf-8', 'utf-8 BOM', 'utf-16le', 'utf-16be']) {
    it(`reads ${encoding} with multi-line stack traces kept with their record and exact byte offsets`, async () => {
      const dir = tempDir();
      const h = await startTailer(dir);
      const text = line(1, 'INFO ', 'seq=1 Patient £ café ✓ 😀') + crashRecord(2) + line(3);
      const bytes = encodeAs(text, encoding);
      writeFileSync(join(dir, 'client.log'), bytes.subarray(0, 7)); // the BOM arrives before the text
      await h.tailer.poll();
      appendFileSync(join(dir, 'client.log'), bytes.subarray(7));
      await h.tailer.poll();
      expect(seqs(h.records)).toEqual([1, 2]); // the last record waits: its stack trace may still come
      await h.settle();
      expect(seqs(h.records)).toEqual([1, 2, 3]);
      expect(h.records[0]!.text).toContain('Patient £ café ✓ 😀');
      expect(h.records[1]!.lines).toBe(5);
      expect(h.records[1]!.text.split('\n').at(-1)).toBe('   at Emis.Web.App.Main()');
      const unit = encoding.startsWith('utf-16') ? 2 : 1;
      const bom = encoding === 'utf-8' ? 0 : encoding === 'utf-8 BOM' ? 3 : 2;
      const byteLength = (s: string): number => (unit === 2 ? s.length * 2 : Buffer.byteLength(s));
      expect(h.records.map((r) => r.startOffset)).toEqual([bom, bom + byteLength(line(1, 'INFO ', 'seq=1 Patient £ café ✓ 😀')), bom + byteLength(text) - byteLength(line(3))]);
    });
  }

  it("starts at the end of files that existed before watching ('end'), at the beginning with 'beginning', and reads files that appear later from 0", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'old.log'), lines(1, 10));
    const live = await startTailer(dir);
    appendFileSync(join(dir, 'old.log'), lines(11, 12));
    writeFileSync(join(dir, 'new.log'), lines(100, 102));
    writeFileSync(join(dir, 'ignored.txt'), lines(200, 201));
    await live.settle();
    expect(seqs(live.records).sort((a, b) => a - b)).toEqual([11, 12, 100, 101, 102]);

    const catchUpDir = tempDir();
    writeFileSync(join(catchUpDir, 'old.log'), lines(1, 10));
    const catchUp = await startTailer(catchUpDir, { startAt: 'beginning' });
    await catchUp.settle();
    expect(seqs(catchUp.records)).toEqual(range(1, 10));
  });

  it("with 'end', does not hand over half of a line the client is still writing", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'client.log'), lines(1, 3) + line(4).slice(0, 20));
    const h = await startTailer(dir);
    appendFileSync(join(dir, 'client.log'), line(4).slice(20) + line(5));
    await h.settle();
    expect(seqs(h.records)).toEqual([4, 5]);
  });

  it('starts again at 0 after truncation', async () => {
    const dir = tempDir();
    const path = join(dir, 'client.log');
    writeFileSync(path, '');
    const h = await startTailer(dir);
    appendFileSync(path, lines(1, 50));
    await h.settle();
    truncateSync(path, 0);
    appendFileSync(path, lines(51, 55));
    await h.settle();
    expect(seqs(h.records)).toEqual(range(1, 55));
    expect(h.diagnostics).toEqual([{ source: 'log', code: 'log-truncated', message: `truncated in ${path}` }]);
  });

  for (const [glob, pollBetweenCopyAndTruncate] of [
    ['client.log', false],
    ['client.log*', false],
    ['client.log*', true],
  ] as const) {
    it(`copytruncate (glob ${glob}, ${pollBetweenCopyAndTruncate ? 'copy seen before the truncation' : 'copy and truncation between two looks'}): every line once`, async () => {
      const dir = tempDir();
      const path = join(dir, 'client.log');
      const copy = join(dir, 'client.log.1');
      writeFileSync(path, '');
      const h = await startTailer(dir, {}, [glob]);
      appendFileSync(path, lines(1, 40));
      await h.tailer.poll();
      appendFileSync(path, lines(41, 60)); // not read yet when logrotate copies...
      copyFileSync(path, copy);
      if (pollBetweenCopyAndTruncate) await h.tailer.poll(); // the copy must not be replayed as a new file
      truncateSync(path, 0); // ...and truncates: 41-60 now live only in the copy
      appendFileSync(path, lines(61, 70));
      await h.settle();
      expect(seqs(h.records)).toEqual(range(1, 70));
      expect(h.diagnostics).toEqual([{ source: 'log', code: 'log-copytruncate', message: `copytruncate in ${path}` }]);
      expect(h.records.find((r) => r.text.includes('seq=50'))!.path).toBe(pollBetweenCopyAndTruncate ? path : copy);
    });
  }

  it('a restart mid-file (state saved on stop) hands over every record exactly once, including a record cut in half by the stop', async () => {
    const dir = tempDir();
    const path = join(dir, 'client.log');
    writeFileSync(path, '');
    const first = await startTailer(dir);
    const crash = crashRecord(21);
    appendFileSync(path, lines(1, 20) + crash.slice(0, crash.indexOf('   at')));
    await first.tailer.poll();
    await first.tailer.stop();
    appendFileSync(path, crash.slice(crash.indexOf('   at')) + lines(22, 30));
    const second = await startTailer(dir);
    await second.settle();
    const all = [...first.records, ...second.records];
    expect(seqs(all)).toEqual(range(1, 30));
    expect(second.records[0]!.lines).toBe(5); // the crash record, read whole by the second run
    expect(first.records.length).toBe(20);
  });

  it('a corrupt state file is reported and kept aside; the tailer starts fresh and writes a good one', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'client.log'), lines(1, 5));
    const statePath = join(dir, 'state', 'offsets.json');
    rmSync(join(dir, 'state'), { recursive: true, force: true });
    await import('node:fs').then((fs) => fs.mkdirSync(join(dir, 'state')));
    writeFileSync(statePath, '{"version":1,"files":[{"key":"2049:12');
    const h = await startTailer(dir);
    appendFileSync(join(dir, 'client.log'), lines(6, 7));
    await h.settle();
    expect(h.diagnostics).toEqual([{ source: 'log', code: 'log-state-corrupt', message: `state-corrupt in ${statePath}` }]);
    expect(existsSync(`${statePath}.corrupt`)).toBe(true);
    expect(seqs(h.records)).toEqual([6, 7]); // fresh start in a folder never seen: 'end'
    expect(JSON.parse(readFileSync(statePath, 'utf8')).files).toHaveLength(1);
  });

  it('hands over the last record only after the quiet period, using the injected clock (no sleeping)', async () => {
    const dir = tempDir();
    const h = await startTailer(dir);
    writeFileSync(join(dir, 'client.log'), crashRecord(1));
    await h.tailer.poll();
    h.clock.advance(QUIET_MS - 1);
    await h.tailer.poll();
    expect(h.records).toHaveLength(0);
    h.clock.advance(1);
    await h.tailer.poll();
    expect(h.records).toHaveLength(1);
    expect(h.records[0]!.lines).toBe(5);
  });

  it('saves offsets at most once per commit interval of the injected clock (no sleeping)', async () => {
    const dir = tempDir();
    const path = join(dir, 'client.log');
    writeFileSync(path, lines(1, 2));
    const h = await startTailer(dir, { commitIntervalMs: 5000, startAt: 'beginning' });
    const savedOffset = (): number => JSON.parse(readFileSync(join(dir, 'state', 'offsets.json'), 'utf8')).files[0].offset;
    // The first save is at once, with record 1 handed over (record 2 waits for its quiet period).
    await h.settle();
    expect(seqs(h.records)).toEqual([1, 2]);
    expect(savedOffset()).toBe(lines(1, 1).length);
    // Half a second of the clock later record 2 is handed over, but the next save is not due yet.
    appendFileSync(path, lines(3, 4));
    await h.settle();
    expect(seqs(h.records)).toEqual([1, 2, 3, 4]);
    expect(savedOffset()).toBe(lines(1, 1).length);
    // Five seconds of the clock since the first save: the next look saves everything handed over.
    h.clock.advance(5000 - 2 * QUIET_MS);
    await h.tailer.poll();
    expect(savedOffset()).toBe(lines(1, 4).length);
  });

  it('hands over an unfinished last line (a client killed mid-write) after the longer partial-line wait', async () => {
    const dir = tempDir();
    const h = await startTailer(dir, { partialLineFlushMs: 5000 });
    writeFileSync(join(dir, 'client.log'), line(1) + '2026-01-05 09:41:02,000 [7] FATAL dying mid-wri');
    await h.settle();
    expect(seqs(h.records)).toEqual([1]);
    h.clock.advance(5000);
    await h.tailer.poll();
    h.clock.advance(QUIET_MS);
    await h.tailer.poll();
    expect(h.records.map((r) => r.text).at(-1)).toBe('2026-01-05 09:41:02,000 [7] FATAL dying mid-wri');
  });

  it('skips a binary junk region and cuts a 3 MiB line, with diagnostics, and reads the lines after both', async () => {
    const dir = tempDir();
    const path = join(dir, 'client.log');
    const h = await startTailer(dir);
    const longLine = line(2).replace('\r\n', '') + 'x'.repeat(3 * 1024 * 1024) + '\r\n';
    writeFileSync(path, Buffer.concat([Buffer.from(line(1)), Buffer.alloc(100_000), Buffer.from(`\n${longLine}${line(3)}`)]));
    await h.settle();
    expect(seqs(h.records)).toEqual([1, 2, 3]);
    expect(h.records[1]!.truncated).toBe(true);
    expect(h.records[1]!.text.length).toBeLessThanOrEqual(1024 * 1024);
    expect(h.diagnostics).toEqual([
      { source: 'log', code: 'log-binary', message: `binary in ${path} (100001 bytes)` },
      { source: 'log', code: 'log-line-cut', message: `line-cut in ${path} (${longLine.length - 1024 * 1024} bytes)` },
    ]);
  });

  it('waits for an async onRecord before saving the offset', async () => {
    const dir = tempDir();
    const path = join(dir, 'client.log');
    writeFileSync(path, '');
    const saved: number[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const h = await startTailer(dir, { onRecord: () => gate.then(() => void saved.push(1)) });
    appendFileSync(path, lines(1, 3));
    const polling = h.tailer.poll();
    await new Promise((resolve) => setImmediate(resolve));
    const stateBefore = JSON.parse(readFileSync(join(dir, 'state', 'offsets.json'), 'utf8')).files[0].offset;
    expect(stateBefore).toBe(0);
    release();
    await polling;
    const stateAfter = JSON.parse(readFileSync(join(dir, 'state', 'offsets.json'), 'utf8')).files[0].offset;
    expect(stateAfter).toBe(line(1).length * 2); // the third record is still open
    expect(saved).toHaveLength(2);
  });

  it('picks up a file that appears after start from chokidar hints alone (periodic check off)', async () => {
    const dir = tempDir();
    const h = await startTailer(dir, { watch: true, clock: undefined });
    writeFileSync(join(dir, 'later.log'), lines(1, 3));
    await waitFor(() => h.records.length >= 2, { what: 'records from the new file', timeoutMs: 20_000 });
    expect(seqs(h.records).slice(0, 2)).toEqual([1, 2]);
  });
});
