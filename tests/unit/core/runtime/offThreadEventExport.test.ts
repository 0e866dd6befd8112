import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { offThreadEventExport } from '../../../../app/core/runtime/offThreadEventExport.ts';
import { defaultRuntimeEntries } from '../../../../app/core/runtime/runtimeEntries.ts';
import { FileEventLogSource } from '../../../../app/core/watch/eventlog/eventLogReader.ts';

const EXPORT = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'eventlog', 'application-export.xml');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('an Event Log export read on the watcher’s worker thread, within a budget', () => {
  it('gives the records reading it in place gives', async () => {
    const source = offThreadEventExport({ entry: defaultRuntimeEntries().sourceWorker, exportFile: EXPORT });
    expect(await source.query(0)).toEqual(await new FileEventLogSource(EXPORT).query(0));
  });

  it('stops a read that runs past its budget and fails with one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lifeboat-export-'));
    dirs.push(dir);
    const big = join(dir, 'events.xml');
    const event = readFileSync(EXPORT, 'utf8').trim().split('\n')[0]!;
    writeFileSync(big, `${event}\n`.repeat(20_000));
    const source = offThreadEventExport({ entry: defaultRuntimeEntries().sourceWorker, exportFile: big, budgetMs: 50 });
    await expect(source.query(0)).rejects.toThrow(`the event export ${big} took longer than 0.05 s to read; stopped`);
  });

  it('never opens what is not a regular file (a FIFO would block a thread for good)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lifeboat-export-'));
    dirs.push(dir);
    const fifo = join(dir, 'events.xml');
    execFileSync('mkfifo', [fifo]);
    const source = offThreadEventExport({ entry: defaultRuntimeEntries().sourceWorker, exportFile: fifo });
    await expect(source.query(0)).rejects.toThrow(`the event export ${fifo} is not a regular file; not read`);
  });

  it('keeps what the in-place reader keeps of a cut export (every complete event)', async () => {
    const cut = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'eventlog', 'malformed.xml');
    const source = offThreadEventExport({ entry: defaultRuntimeEntries().sourceWorker, exportFile: cut });
    expect(await source.query(0)).toEqual(await new FileEventLogSource(cut).query(0));
  });
});
