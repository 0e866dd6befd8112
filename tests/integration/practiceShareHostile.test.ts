// A hostile or broken workstation (or anything else that can write to the practice share) must
// not harm the other PCs: every read is bounded, pipes never block, old months are never opened,
// and with a practice key a folder without it cannot vote for a practice-wide outage.
import { execFileSync } from 'node:child_process';
import { closeSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../app/common/clock.ts';
import { mergePractice } from '../../app/core/practice/mergePractice.ts';
import { ShareIo } from '../../app/core/practice/shareFileReader.ts';
import { renderShareFile, toShareRecord } from '../../app/core/practice/shareFormat.ts';
import { ShareWriter } from '../../app/core/practice/shareWriter.ts';
import { incidentAt } from '../support/incidentAt.ts';
import { cleanupTempDirs, tempDir as sharedTempDir } from '../fixtures/vault/vaultTestKit.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 5, 9, 0);
const KEY = Buffer.alloc(32, 7);
const OTHER_KEY = Buffer.alloc(32, 9);
afterAll(cleanupTempDirs);
const tempDir = (): string => sharedTempDir('lifeboat-practice-hostile-');

async function publish(share: string, name: string, at: number, key: Buffer | null): Promise<void> {
  const w = ShareWriter.open({ shareDir: share, workstation: name, outboxDir: join(tempDir(), name), clock: new ManualClock(at + MIN), practiceKey: key });
  w.record(incidentAt(`${name}-1`, 'crash', at));
  expect((await w.flush()).ok).toBe(true);
}

/** A month file written by hand, as a fake workstation would (no key, or the wrong one). */
function forge(share: string, name: string, at: number, key: Buffer | null): void {
  mkdirSync(join(share, name), { recursive: true });
  const text = renderShareFile({ workstation: name, month: '2026-01', writerId: 'fake', writtenAt: new Date(at + MIN).toISOString() }, [toShareRecord(incidentAt(`${name}-x`, 'crash', at))], key);
  writeFileSync(join(share, name, '2026-01.ndjson'), text);
}

describe('reading the practice share, bounded', () => {
  it('skips a 500 MB file without reading it (stat first), and keeps the other PCs', async () => {
    const share = tempDir();
    await publish(share, 'GOOD', T0, null);
    mkdirSync(join(share, 'HUGE'));
    const fd = openSync(join(share, 'HUGE', '2026-01.ndjson'), 'w');
    ftruncateSync(fd, 500 * 1024 * 1024);
    closeSync(fd);
    const before = process.memoryUsage().rss;
    const started = performance.now();
    const merged = await mergePractice(share, { now: T0 + 10 * MIN });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
    expect(merged.skipped.find((s) => s.path.includes('HUGE'))?.reason).toMatch(/524288000 bytes, over the \d+-byte limit .*not read/);
    expect(merged.workstations.find((w) => w.name === 'GOOD')?.incidents).toBe(1);
  });

  it('never blocks on FIFOs posing as month files: five of them, and the real files are still read', async () => {
    const share = tempDir();
    for (const name of ['A', 'B', 'C']) await publish(share, name, T0, null);
    for (let i = 0; i < 5; i++) {
      mkdirSync(join(share, `PIPE${i}`));
      execFileSync('mkfifo', [join(share, `PIPE${i}`, '2026-01.ndjson')]);
    }
    const merged = await mergePractice(share, { now: T0 + 10 * MIN });
    expect(merged.skipped.filter((s) => /not a regular file/.test(s.reason))).toHaveLength(5);
    expect(merged.outages).toHaveLength(1);
    expect(merged.outages[0]!.workstations).toEqual(['A', 'B', 'C']);
  });

  it('opens only the months inside the lookback', async () => {
    const share = tempDir();
    await publish(share, 'NOW', T0, null);
    // An old month that would block (a FIFO) or be huge: never opened when it is outside the lookback.
    execFileSync('mkfifo', [join(share, 'NOW', '2025-06.ndjson')]);
    const merged = await mergePractice(share, { now: T0 + 10 * MIN, since: T0 - 60 * MIN });
    expect(merged.skipped).toEqual([]);
    expect(merged.workstations[0]!.incidents).toBe(1);
  });

  it('caps the records of one file', async () => {
    const share = tempDir();
    mkdirSync(join(share, 'CHATTY'));
    const records = Array.from({ length: 60 }, (_, i) => toShareRecord(incidentAt(`r${i}`, 'slow', T0 + i * 1000)));
    writeFileSync(join(share, 'CHATTY', '2026-01.ndjson'), renderShareFile({ workstation: 'CHATTY', month: '2026-01', writerId: 'w', writtenAt: new Date(T0).toISOString() }, records));
    const merged = await mergePractice(share, { now: T0 + 10 * MIN, limits: { maxRecords: 50 } });
    expect(merged.skipped[0]!.reason).toMatch(/more than 50 records: not read/);
    // Its only file was not read: it is not counted as a workstation either.
    expect(merged.workstations).toEqual([]);
  });
});

describe('share records authenticated with the practice key', () => {
  it('counts signed files; folders without the key (unsigned, or signed with another) cannot make an outage', async () => {
    const share = tempDir();
    for (const name of ['FAKE1', 'FAKE2']) forge(share, name, T0, null);
    forge(share, 'FAKE3', T0, OTHER_KEY);
    const fakesOnly = await mergePractice(share, { now: T0 + 10 * MIN, practiceKey: KEY, minWorkstations: 3 });
    expect(fakesOnly.outages).toEqual([]);
    expect(fakesOnly.skipped.map((s) => s.reason)).toEqual([
      expect.stringMatching(/not signed with the practice key/),
      expect.stringMatching(/not signed with the practice key/),
      expect.stringMatching(/does not match the practice key/),
    ]);
    // Without a configured key the same folders would have counted: the key is what stops them.
    expect((await mergePractice(share, { now: T0 + 10 * MIN, minWorkstations: 3 })).outages).toHaveLength(1);

    for (const name of ['REAL1', 'REAL2', 'REAL3']) await publish(share, name, T0, KEY);
    const merged = await mergePractice(share, { now: T0 + 10 * MIN, practiceKey: KEY, minWorkstations: 3 });
    expect(merged.outages).toHaveLength(1);
    expect(merged.outages[0]!.workstations).toEqual(['REAL1', 'REAL2', 'REAL3']);
  });

  it('rejects a signed file whose records were changed afterwards', async () => {
    const share = tempDir();
    await publish(share, 'REAL', T0, KEY);
    const path = join(share, 'REAL', '2026-01.ndjson');
    writeFileSync(path, readFileSync(path, 'utf8').replace('"crash"', '"hang"'));
    const merged = await mergePractice(share, { now: T0 + 10 * MIN, practiceKey: KEY });
    expect(merged.skipped[0]!.reason).toMatch(/does not match the practice key/);
    expect(merged.workstations).toEqual([]);
  });
});

describe('a hung share', () => {
  it('gives up on a call after its timeout, and holds no more than two calls at once, even across merges', async () => {
    const io = new ShareIo({ maxInFlight: 2, timeoutMs: 100 });
    const never = (): Promise<never> => new Promise(() => {});
    await expect(io.run('reading A', never)).rejects.toThrow(/took longer than 100 ms/);
    await expect(io.run('reading B', never)).rejects.toThrow(/took longer than 100 ms/);
    // Both calls are still stuck in the (simulated) file server: nothing more is started.
    let started = false;
    await expect(
      io.run('reading C', async () => {
        started = true;
      }),
    ).rejects.toThrow(/not answering \(2 call\(s\) still waiting/);
    expect(started).toBe(false);
    await expect(mergePractice(tempDir(), { io })).rejects.toThrow(/not answering/);
  });
});
