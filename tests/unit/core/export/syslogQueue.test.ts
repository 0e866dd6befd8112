// The syslog forwarder's queue: one SQLite table in a plain file of its own (the watcher has no
// vault key). Real files, a real child process killed with SIGKILL, a real full disk (tmpfs, root).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { frameOctetCounted } from '../../../../app/core/export/syslogFormat.ts';
import { SyslogQueue } from '../../../../app/core/export/syslogQueue.ts';

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
const texts = (q: SyslogQueue): string[] => q.peek(q.headSeq, Number.MAX_SAFE_INTEGER).map((e) => e.bytes.toString('utf8'));
const numbers = (q: SyslogQueue): number[] => texts(q).map((t) => Number(/record (\d+)/.exec(t)![1]));

describe('syslog queue', () => {
  it('keeps unacknowledged records across a reopen, in order', () => {
    const d = dir();
    const q = SyslogQueue.open({ dir: d, maxBytes: 1 << 20 });
    q.enqueue([frame(1), frame(2), frame(3)]);
    q.enqueue([frame(4)]);
    q.ack(q.headSeq + 1); // records 1 and 2
    q.close();
    const again = SyslogQueue.open({ dir: d, maxBytes: 1 << 20 });
    expect(again.size).toBe(2);
    expect(texts(again)).toEqual([frame(3).toString(), frame(4).toString()]);
    // Sequence numbers go on after a reopen, never reused: what is sent next comes after what was sent.
    again.enqueue([frame(5)]);
    expect(again.peek(again.headSeq, Number.MAX_SAFE_INTEGER).map((e) => e.seq)).toEqual([3, 4, 5]);
    again.close();
  });

  it('peeks from a sequence number up to about a byte budget, at least one record', () => {
    const q = SyslogQueue.open({ dir: dir(), maxBytes: 1 << 20 });
    q.enqueue([frame(1, 100), frame(2, 100), frame(3, 100)]);
    const size = frame(1, 100).length;
    expect(q.peek(q.headSeq, size * 2).map((e) => e.seq)).toEqual([1, 2]);
    expect(q.peek(2, 1).map((e) => e.seq)).toEqual([2]);
    expect(q.peek(4, size)).toEqual([]);
    q.close();
  });

  it('drops the oldest records beyond maxBytes and counts them, also across a reopen, and the disk stays bounded', () => {
    const d = dir();
    const drops: number[] = [];
    const maxBytes = 64 * 1024;
    const q = SyslogQueue.open({ dir: d, maxBytes, onDropped: (count) => drops.push(count) });
    for (let i = 1; i <= 2000; i += 10) q.enqueue(Array.from({ length: 10 }, (_, k) => frame(i + k, 200)));
    expect(q.bytes).toBeLessThanOrEqual(maxBytes);
    expect(q.bytes).toBeGreaterThan(maxBytes - frame(1, 200).length);
    expect(q.totalDropped).toBe(2000 - q.size);
    expect(drops.reduce((a, b) => a + b, 0)).toBe(q.totalDropped);
    expect(numbers(q).at(-1)).toBe(2000);
    expect(numbers(q)[0]).toBe(2000 - q.size + 1); // the newest kept, in order, none missing
    const kept = q.size;
    q.close();
    const again = SyslogQueue.open({ dir: d, maxBytes });
    expect(again.size).toBe(kept);
    expect(again.totalDropped).toBe(2000 - kept);
    // The file on disk holds the bound plus SQLite's pages and a short WAL, not every record ever queued (~450 KB).
    expect(again.diskBytes()).toBeLessThanOrEqual(maxBytes * 3);
    again.close();
  });

  it('gives the space back once everything is acknowledged', () => {
    const d = dir();
    const q = SyslogQueue.open({ dir: d, maxBytes: 16 << 20 });
    for (let i = 0; i < 100; i++) q.enqueue(Array.from({ length: 20 }, (_, k) => frame(i * 20 + k, 500)));
    const full = q.diskBytes();
    q.ack(q.headSeq + q.size - 1);
    expect(q.size).toBe(0);
    expect(q.bytes).toBe(0);
    q.close();
    const again = SyslogQueue.open({ dir: d, maxBytes: 16 << 20 });
    expect(again.size).toBe(0);
    again.close();
    expect(statfsSafeSize(join(d, 'syslog-queue.sqlite'))).toBeLessThan(full / 10);
  });

  it('moves the unacknowledged records of the old file queue (queue-N.dat + queue.pos) into the table', () => {
    const d = dir();
    const old = Buffer.concat([frame(1), frame(2), frame(3)]);
    writeFileSync(join(d, 'queue-4.dat'), old);
    writeFileSync(join(d, 'queue.pos'), JSON.stringify({ gen: 4, offset: frame(1).length, dropped: 0 }));
    const q = SyslogQueue.open({ dir: d, maxBytes: 1 << 20 });
    expect(numbers(q)).toEqual([2, 3]);
    expect(readdirSync(d).filter((n) => n.startsWith('queue'))).toEqual([]);
    q.close();
  });

  it('a damaged queue file is set aside and the queue starts empty rather than never forwarding again', () => {
    const d = dir();
    writeFileSync(join(d, 'syslog-queue.sqlite'), Buffer.alloc(8192, 0x5a));
    const q = SyslogQueue.open({ dir: d, maxBytes: 1 << 20 });
    expect(q.size).toBe(0);
    q.enqueue([frame(1)]);
    expect(numbers(q)).toEqual([1]);
    expect(readdirSync(d).some((n) => n.startsWith('syslog-queue.sqlite.corrupt-'))).toBe(true);
    q.close();
  });

  it('loses no accepted record when its process is killed with SIGKILL mid-stream, and keeps their order', async () => {
    const d = dir();
    // A child queues numbered records in batches, acknowledges some, and says which enqueue returned.
    const script = `
      import { SyslogQueue } from ${JSON.stringify(join(import.meta.dirname, '../../../../app/core/export/syslogQueue.ts'))};
      import { frameOctetCounted } from ${JSON.stringify(join(import.meta.dirname, '../../../../app/core/export/syslogFormat.ts'))};
      const q = SyslogQueue.open({ dir: ${JSON.stringify(d)}, maxBytes: 64 << 20 });
      let n = 0;
      for (;;) {
        const batch = [];
        for (let k = 0; k < 5; k++) batch.push(frameOctetCounted('<131>1 - h lifeboat - incident - \\uFEFFrecord ' + (++n)));
        q.enqueue(batch);
        if (n % 50 === 0) q.ack(q.headSeq + 9); // ten of the oldest sent and kept by the server
        process.stdout.write('queued ' + n + ' acked-through ' + (q.headSeq - 1) + '\\n');
      }
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (/queued (\d{4,})/.test(out)) resolve(); // at least 1000 queued, and acknowledgements among them
      });
      child.on('exit', () => reject(new Error(`the child ended before it was killed: ${err}`)));
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const reports = [...out.matchAll(/queued (\d+) acked-through (\d+)\n/g)].map((m) => ({ queued: Number(m[1]), ackedThrough: Number(m[2]) }));
    const last = reports.at(-1)!;

    const q = SyslogQueue.open({ dir: d, maxBytes: 64 << 20 });
    const kept = numbers(q);
    q.close();
    // Every record it was told was queued, and not acknowledged, is there, in order, none twice;
    // at most the batch being committed when it died is there too (committed, not yet reported).
    expect(kept[0]).toBeLessThanOrEqual(last.ackedThrough + 1);
    expect(kept.at(-1)).toBeGreaterThanOrEqual(last.queued);
    expect(kept.at(-1)).toBeLessThanOrEqual(last.queued + 5 + 5);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => kept[0]! + i));
  }, 60_000);

  it('on a full disk: enqueue fails cleanly (nothing of the batch kept), what was queued stays readable, and works again once space is freed', (ctx) => {
    const disk = tinyDisk();
    if (disk === null) return ctx.skip(); // not root, or no tmpfs: the SIGKILL test above still runs
    const d = join(disk, 'queue');
    mkdirSync(d);
    const q = SyslogQueue.open({ dir: d, maxBytes: 1 << 20 });
    const { bavail, bsize } = statfsSync(disk);
    const ballast = join(disk, 'ballast.bin');
    writeFileSync(ballast, Buffer.alloc(Math.max(0, bavail * bsize - 24 * 1024)));
    let accepted = 0;
    let failure: unknown = null;
    for (let i = 0; i < 10_000 && failure === null; i++) {
      try {
        q.enqueue([frame(i, 200), frame(i, 201)]);
        accepted += 2;
      } catch (err) {
        failure = err;
      }
    }
    expect(String((failure as { code?: unknown }).code)).toMatch(/^SQLITE_(FULL|IOERR)/);
    expect(q.size).toBe(accepted);
    q.close();
    const again = SyslogQueue.open({ dir: d, maxBytes: 1 << 20 });
    expect(again.size).toBe(accepted);
    rmSync(ballast);
    again.enqueue([frame(99_999)]);
    again.ack(again.headSeq + accepted - 1);
    expect(texts(again)).toEqual([frame(99_999).toString()]);
    again.close();
  });
});

function statfsSafeSize(path: string): number {
  return existsSync(path) ? Number(execFileSync('stat', ['-c', '%s', path]).toString().trim()) : 0;
}
