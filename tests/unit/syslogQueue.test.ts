import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DiskQueue } from '../../app/core/export/diskQueue.ts';
import { frameOctetCounted } from '../../app/core/export/syslogFormat.ts';

const dirs: string[] = [];
const dir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'lifeboat-queue-'));
  dirs.push(d);
  return d;
};
const mounts: string[] = [];
afterAll(() => {
  for (const m of mounts.splice(0)) execFileSync('umount', ['-l', m]);
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

/** A 1 MiB tmpfs (root only): a real full disk. Null where mounting is not allowed. */
function tinyDisk(): string | null {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return null;
  const mountPoint = dir();
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=0700', 'tmpfs', mountPoint], { stdio: 'ignore' });
  } catch {
    return null;
  }
  mounts.push(mountPoint);
  return mountPoint;
}

const frame = (n: number, pad = 0): Buffer => frameOctetCounted(`<131>1 - h lifeboat - incident - \uFEFFrecord ${n}${'x'.repeat(pad)}`);
const texts = (q: DiskQueue): string[] => q.peek(q.headSeq, Number.MAX_SAFE_INTEGER).map((e) => e.bytes.toString('utf8'));

describe('syslog disk queue', () => {
  it('keeps unacknowledged records across a reopen, in order', () => {
    const d = dir();
    const q = DiskQueue.open({ dir: d, maxBytes: 1 << 20 });
    q.enqueue([frame(1), frame(2), frame(3)]);
    q.enqueue([frame(4)]);
    q.ack(q.headSeq + 1); // records 1 and 2
    q.close();
    const again = DiskQueue.open({ dir: d, maxBytes: 1 << 20 });
    expect(again.size).toBe(2);
    expect(texts(again)).toEqual([frame(3).toString(), frame(4).toString()]);
    again.close();
  });

  it('cuts a torn tail (a crash mid-append) and appends after the last whole frame', () => {
    const d = dir();
    const q = DiskQueue.open({ dir: d, maxBytes: 1 << 20 });
    q.enqueue([frame(1), frame(2)]);
    q.close();
    const data = readdirSync(d).find((n) => n.endsWith('.dat'))!;
    appendFileSync(join(d, data), frame(3).subarray(0, 10));
    const again = DiskQueue.open({ dir: d, maxBytes: 1 << 20 });
    expect(again.size).toBe(2);
    again.enqueue([frame(4)]);
    again.close();
    const third = DiskQueue.open({ dir: d, maxBytes: 1 << 20 });
    expect(texts(third)).toEqual([frame(1), frame(2), frame(4)].map(String));
    third.close();
  });

  it('drops the oldest records beyond maxBytes and counts them, also across a reopen', () => {
    const d = dir();
    const drops: number[] = [];
    const q = DiskQueue.open({ dir: d, maxBytes: 1000, onDropped: (count) => drops.push(count) });
    for (let i = 1; i <= 40; i++) q.enqueue([frame(i, 40)]);
    expect(q.bytes).toBeLessThanOrEqual(1000);
    expect(q.totalDropped).toBe(40 - q.size);
    expect(drops.reduce((a, b) => a + b, 0)).toBe(q.totalDropped);
    expect(texts(q).at(-1)).toBe(frame(40, 40).toString());
    const kept = q.size;
    q.close();
    const again = DiskQueue.open({ dir: d, maxBytes: 1000 });
    expect(again.size).toBe(kept);
    expect(again.totalDropped).toBe(40 - kept);
    // The file on disk stays bounded too (compaction), not just the count in memory.
    expect(again.diskBytes()).toBeLessThanOrEqual(1000 + 500 + 200);
    again.close();
  });

  it('compacts into a new generation once everything is acknowledged, leaving one data file', () => {
    const d = dir();
    const q = DiskQueue.open({ dir: d, maxBytes: 1 << 20 });
    q.enqueue([frame(1), frame(2)]);
    q.ack(q.headSeq + 1);
    expect(q.size).toBe(0);
    expect(q.diskBytes()).toBe(0);
    q.enqueue([frame(3)]);
    q.close();
    expect(readdirSync(d).filter((n) => n.endsWith('.dat'))).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(d, 'queue.pos'), 'utf8'))).toMatchObject({ offset: 0 });
    const again = DiskQueue.open({ dir: d, maxBytes: 1 << 20 });
    expect(texts(again)).toEqual([frame(3).toString()]);
    again.close();
  });

  it('with a lost position file, re-sends from the start of the data (duplicates, never loss)', () => {
    const d = dir();
    const q = DiskQueue.open({ dir: d, maxBytes: 1 << 20 });
    q.enqueue([frame(1), frame(2), frame(3)]);
    q.ack(q.headSeq);
    q.close();
    rmSync(join(d, 'queue.pos'));
    const again = DiskQueue.open({ dir: d, maxBytes: 1 << 20 });
    expect(again.size).toBe(3);
    again.close();
  });

  it('on a full disk: enqueue fails cleanly (no torn frame), what was queued stays readable, and works again once space is freed', (ctx) => {
    const disk = tinyDisk();
    if (disk === null) return ctx.skip(); // not root, or no tmpfs: the torn-tail test above still runs
    const d = join(disk, 'queue');
    mkdirSync(d);
    const { bavail, bsize } = statfsSync(disk);
    const ballast = join(disk, 'ballast.bin');
    writeFileSync(ballast, Buffer.alloc(Math.max(0, bavail * bsize - 24 * 1024)));
    const q = DiskQueue.open({ dir: d, maxBytes: 1 << 20 });
    let accepted = 0;
    let failure: unknown = null;
    for (let i = 0; i < 10_000 && failure === null; i++) {
      try {
        q.enqueue([frame(i, 200)]);
        accepted++;
      } catch (err) {
        failure = err;
      }
    }
    expect((failure as NodeJS.ErrnoException).code).toBe('ENOSPC');
    expect(q.size).toBe(accepted);
    q.close();
    const again = DiskQueue.open({ dir: d, maxBytes: 1 << 20 });
    expect(again.size).toBe(accepted);
    rmSync(ballast);
    again.enqueue([frame(99_999)]);
    again.ack(again.headSeq + accepted - 1);
    expect(texts(again)).toEqual([frame(99_999).toString()]);
    again.close();
  });
});
