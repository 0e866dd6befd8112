import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, ftruncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from '../atomicWrite/atomicWrite.ts';
import { parseOctetCountedFrames } from './syslogFormat.ts';

/**
 * A bounded, durable FIFO of framed records for the syslog forwarder.
 *
 * On disk: `queue-<gen>.dat`, an append-only file of octet-counted frames, and `queue.pos`
 * ({gen, offset, dropped}), written atomically, saying where the unacknowledged records start.
 * Appends are fsync'd before enqueue returns, so a record accepted is a record kept across
 * kill -9 and power loss. An acknowledgement only moves `offset`.
 *
 * Compaction writes the unacknowledged records to `queue-<gen+1>.dat`, fsyncs it, then points
 * queue.pos at it, then deletes the old file: a crash at any step leaves queue.pos naming a
 * complete file. A torn append at the tail (crash mid-write) is cut off when the queue opens.
 *
 * Bounded: when the unacknowledged records would exceed maxBytes, the oldest are dropped and
 * counted (a SIEM missing last week's slow episodes is better than a full disk on a GP's PC);
 * the caller is told through onDropped so it can log a diagnostic.
 */

export interface DiskQueueOptions {
  dir: string;
  maxBytes: number;
  onDropped?: (count: number, totalDropped: number) => void;
}

interface Entry {
  seq: number;
  /** Start offset in the current generation's file. */
  offset: number;
  bytes: Buffer;
}

interface Pos {
  gen: number;
  offset: number;
  dropped: number;
}

const DATA = /^queue-(\d+)\.dat$/;

export class DiskQueue {
  readonly dir: string;
  readonly maxBytes: number;
  private readonly onDropped: (count: number, totalDropped: number) => void;
  private entries: Entry[] = [];
  private head = 0;
  private pendingBytes = 0;
  private nextSeq = 1;
  private gen: number;
  private fd: number;
  private fileSize: number;
  private dropped: number;

  static open(options: DiskQueueOptions): DiskQueue {
    return new DiskQueue(options);
  }

  private constructor(options: DiskQueueOptions) {
    if (!(options.maxBytes > 0)) throw new RangeError('the syslog queue needs a positive maxBytes');
    this.dir = options.dir;
    this.maxBytes = options.maxBytes;
    this.onDropped = options.onDropped ?? (() => {});
    mkdirSync(this.dir, { recursive: true });
    const pos = this.readPos();
    this.gen = pos.gen;
    this.dropped = pos.dropped;
    const path = this.dataPath(this.gen);
    const data = existsSync(path) ? readFileSync(path) : Buffer.alloc(0);
    const start = Math.min(pos.offset, data.length);
    const { frames, consumed } = parseOctetCountedFrames(data.subarray(start));
    let offset = start;
    for (const bytes of frames) {
      this.entries.push({ seq: this.nextSeq++, offset, bytes: Buffer.from(bytes) });
      this.pendingBytes += bytes.length;
      offset += bytes.length;
    }
    this.fd = openSync(path, 'a+', 0o600);
    // Cut a torn tail so the next append starts on a frame boundary.
    if (start + consumed < data.length) {
      ftruncateSync(this.fd, start + consumed);
      fsyncSync(this.fd);
    }
    this.fileSize = start + consumed;
    for (const name of readdirSync(this.dir)) {
      const m = DATA.exec(name);
      if (m && Number(m[1]) !== this.gen) rmSync(join(this.dir, name), { force: true });
    }
  }

  /** Appends frames durably (one fsync for the batch); drops the oldest when over the bound. */
  enqueue(frames: readonly Buffer[]): void {
    if (frames.length === 0) return;
    const batch = Buffer.concat(frames as Buffer[]);
    try {
      let written = 0;
      while (written < batch.length) written += writeSync(this.fd, batch, written, batch.length - written, this.fileSize + written);
      fsyncSync(this.fd);
    } catch (err) {
      // Disk full mid-write: cut the partial frame so later appends stay on frame boundaries.
      try {
        ftruncateSync(this.fd, this.fileSize);
      } catch {
        // The cut fails too: the torn tail is cut when the queue next opens.
      }
      throw err;
    }
    let offset = this.fileSize;
    for (const bytes of frames) {
      this.entries.push({ seq: this.nextSeq++, offset, bytes });
      this.pendingBytes += bytes.length;
      offset += bytes.length;
    }
    this.fileSize = offset;
    this.enforceBound();
  }

  get size(): number {
    return this.entries.length - this.head;
  }

  get bytes(): number {
    return this.pendingBytes;
  }

  get totalDropped(): number {
    return this.dropped;
  }

  /** Sequence number of the oldest unacknowledged record (the next one when empty). */
  get headSeq(): number {
    return this.entries[this.head]?.seq ?? this.nextSeq;
  }

  /** Records from `fromSeq` on, up to about maxBytes (at least one). */
  peek(fromSeq: number, maxBytes: number): Entry[] {
    const out: Entry[] = [];
    let i = this.head + Math.max(0, fromSeq - this.headSeq);
    let size = 0;
    for (; i < this.entries.length; i++) {
      const e = this.entries[i]!;
      if (out.length > 0 && size + e.bytes.length > maxBytes) break;
      out.push(e);
      size += e.bytes.length;
    }
    return out;
  }

  /** Drops every record up to and including `seq` from the queue, durably. */
  ack(seq: number): void {
    let moved = false;
    while (this.head < this.entries.length && this.entries[this.head]!.seq <= seq) {
      this.pendingBytes -= this.entries[this.head]!.bytes.length;
      this.head++;
      moved = true;
    }
    if (!moved) return;
    this.afterHeadMoved();
  }

  close(): void {
    closeSync(this.fd);
  }

  private enforceBound(): void {
    let count = 0;
    while (this.pendingBytes > this.maxBytes && this.head < this.entries.length) {
      this.pendingBytes -= this.entries[this.head]!.bytes.length;
      this.head++;
      count++;
    }
    if (count === 0) return;
    this.dropped += count;
    this.afterHeadMoved();
    this.onDropped(count, this.dropped);
  }

  private afterHeadMoved(): void {
    const headOffset = this.entries[this.head]?.offset ?? this.fileSize;
    try {
      if (this.head === this.entries.length || headOffset > this.maxBytes / 2) {
        this.compact();
      } else {
        this.writePos({ gen: this.gen, offset: headOffset, dropped: this.dropped });
      }
    } catch {
      // Disk full or failing: the position on disk stays behind the one in memory, so after a
      // restart some acknowledged records are sent again (duplicates, never loss). The next
      // acknowledgement tries again.
    }
    // Forget acknowledged entries in memory now and then (array shifting per ack would be O(n²)).
    if (this.head > 4096 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  /** Moves the unacknowledged records into a fresh generation file. */
  private compact(): void {
    const nextGen = this.gen + 1;
    const path = this.dataPath(nextGen);
    const rest = this.entries.slice(this.head);
    const offsets: number[] = [];
    let offset = 0;
    const fd = openSync(path, 'w', 0o600);
    try {
      for (const e of rest) {
        let written = 0;
        while (written < e.bytes.length) written += writeSync(fd, e.bytes, written, e.bytes.length - written, offset + written);
        offsets.push(offset);
        offset += e.bytes.length;
      }
      fsyncSync(fd);
      closeSync(fd);
      this.writePos({ gen: nextGen, offset: 0, dropped: this.dropped });
    } catch (err) {
      // Nothing changed yet: queue.pos still names the old generation, which is intact.
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
      rmSync(path, { force: true });
      throw err;
    }
    rest.forEach((e, i) => (e.offset = offsets[i]!));
    closeSync(this.fd);
    rmSync(this.dataPath(this.gen), { force: true });
    this.gen = nextGen;
    this.fd = openSync(path, 'a+', 0o600);
    this.fileSize = offset;
    this.entries = rest;
    this.head = 0;
  }

  private dataPath(gen: number): string {
    return join(this.dir, `queue-${gen}.dat`);
  }

  private readPos(): Pos {
    const path = join(this.dir, 'queue.pos');
    try {
      const p = JSON.parse(readFileSync(path, 'utf8')) as Partial<Pos>;
      if (Number.isInteger(p.gen) && Number.isInteger(p.offset) && p.offset! >= 0) return { gen: p.gen!, offset: p.offset!, dropped: Number(p.dropped) || 0 };
    } catch {
      // No position yet (new queue), or damaged: fall through.
    }
    // Without a valid position, take the newest data file from its start: duplicates, not loss.
    const gens = existsSync(this.dir) ? readdirSync(this.dir).map((n) => DATA.exec(n)).filter((m) => m !== null).map((m) => Number(m[1])) : [];
    const gen = gens.length === 0 ? 0 : Math.max(...gens);
    return { gen, offset: 0, dropped: 0 };
  }

  private writePos(pos: Pos): void {
    writeFileAtomicSync(join(this.dir, 'queue.pos'), JSON.stringify(pos), { mode: 0o600 });
  }

  /** Bytes on disk (for tests of the bound). */
  diskBytes(): number {
    return statSync(this.dataPath(this.gen)).size;
  }
}
