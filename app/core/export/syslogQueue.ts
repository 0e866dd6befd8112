import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { parseOctetCountedFrames } from './syslogFormat.ts';

/**
 * A bounded, durable FIFO of framed syslog records: one SQLite table in a plain (unencrypted)
 * database file of its own, `syslog-queue.sqlite` in the watcher's state folder. The watcher runs
 * without the vault key and never opens the vault; what it queues is the syslog message itself,
 * built from incidents whose free text is redacted twice (when the correlator records evidence
 * and again in syslogFormat.ts), so no note or patient text reaches this file.
 *
 * Durable: an enqueue is one transaction, committed with WAL and synchronous = FULL before it
 * returns, so a record accepted is kept across kill -9 and power loss; an acknowledgement deletes
 * rows in one transaction. Ordered: rows are numbered by an AUTOINCREMENT key, never reused.
 *
 * Bounded: when the unacknowledged records would exceed maxBytes, the oldest are dropped in the
 * same transaction and counted (a SIEM missing last week's slow episodes is better than a full
 * disk on a GP's PC); the caller is told through onDropped so it can log a diagnostic. The file
 * gives freed pages back (auto_vacuum) and the WAL is truncated after checkpoints, so the disk
 * holds about maxBytes plus a few pages.
 */

export interface SyslogQueueOptions {
  dir: string;
  maxBytes: number;
  onDropped?: (count: number, totalDropped: number) => void;
}

export interface QueuedRecord {
  seq: number;
  bytes: Buffer;
}

const FILE = 'syslog-queue.sqlite';
/** The WAL is cut back to this after a checkpoint. */
const WAL_LIMIT_BYTES = 1024 * 1024;

export class SyslogQueue {
  readonly path: string;
  readonly maxBytes: number;
  private readonly db: Database.Database;
  private readonly onDropped: (count: number, totalDropped: number) => void;
  private pendingCount = 0;
  private pendingBytes = 0;
  private dropped = 0;
  private head: number;
  private nextSeq: number;
  private readonly statements: {
    insert: Database.Statement<[Buffer, number]>;
    rangeTotals: Database.Statement<[number, number], { n: number; b: number }>;
    deleteThrough: Database.Statement<[number]>;
    peek: Database.Statement<[number], { seq: number; frame: Buffer; bytes: number }>;
    oldest: Database.Statement<[number], { seq: number; bytes: number }>;
    setDropped: Database.Statement<[number]>;
  };

  static open(options: SyslogQueueOptions): SyslogQueue {
    return new SyslogQueue(options);
  }

  private constructor(options: SyslogQueueOptions) {
    if (!(options.maxBytes > 0)) throw new RangeError('the syslog queue needs a positive maxBytes');
    this.maxBytes = options.maxBytes;
    this.onDropped = options.onDropped ?? (() => {});
    mkdirSync(options.dir, { recursive: true, mode: 0o700 });
    this.path = join(options.dir, FILE);
    this.db = openQueueDatabase(this.path);
    const db = this.db;
    this.statements = {
      insert: db.prepare('INSERT INTO queue (frame, bytes) VALUES (?, ?)'),
      rangeTotals: db.prepare('SELECT count(*) AS n, coalesce(sum(bytes), 0) AS b FROM queue WHERE seq >= ? AND seq <= ?'),
      deleteThrough: db.prepare('DELETE FROM queue WHERE seq <= ?'),
      peek: db.prepare('SELECT seq, frame, bytes FROM queue WHERE seq >= ? ORDER BY seq'),
      oldest: db.prepare('SELECT seq, bytes FROM queue WHERE seq >= ? ORDER BY seq'),
      setDropped: db.prepare("INSERT INTO meta (key, value) VALUES ('dropped', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
    };
    importFileQueue(options.dir, (frames) => this.db.transaction(() => this.insertAll(frames))());
    const totals = db.prepare('SELECT count(*) AS n, coalesce(sum(bytes), 0) AS b, min(seq) AS first FROM queue').get() as { n: number; b: number; first: number | null };
    const last = (db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'queue'").get() as { seq: number } | undefined)?.seq ?? 0;
    this.pendingCount = totals.n;
    this.pendingBytes = totals.b;
    this.nextSeq = last + 1;
    this.head = totals.first ?? this.nextSeq;
    this.dropped = (db.prepare("SELECT value FROM meta WHERE key = 'dropped'").get() as { value: number } | undefined)?.value ?? 0;
  }

  /** Appends frames durably (one commit for the batch); drops the oldest when over the bound. Throws when the disk refuses (nothing of the batch is kept). */
  enqueue(frames: readonly Buffer[]): void {
    if (frames.length === 0) return;
    const before = this.snapshot();
    let dropped: number;
    try {
      dropped = this.db.transaction(() => {
        this.insertAll(frames);
        return this.dropOverBound();
      })();
    } catch (err) {
      // Rolled back (a full disk): the counts in memory go back with it.
      this.restore(before);
      throw err;
    }
    if (dropped > 0) this.onDropped(dropped, this.dropped);
  }

  get size(): number {
    return this.pendingCount;
  }

  get bytes(): number {
    return this.pendingBytes;
  }

  get totalDropped(): number {
    return this.dropped;
  }

  /** Sequence number of the oldest unacknowledged record (the next one when empty). */
  get headSeq(): number {
    return this.pendingCount === 0 ? this.nextSeq : this.head;
  }

  /** Records from `fromSeq` on, up to about maxBytes (at least one). */
  peek(fromSeq: number, maxBytes: number): QueuedRecord[] {
    const out: QueuedRecord[] = [];
    let size = 0;
    for (const row of this.statements.peek.iterate(Math.max(fromSeq, this.head))) {
      if (out.length > 0 && size + row.bytes > maxBytes) break;
      out.push({ seq: row.seq, bytes: row.frame });
      size += row.bytes;
    }
    return out;
  }

  /** Drops every record up to and including `seq` from the queue, durably. */
  ack(seq: number): void {
    if (this.pendingCount === 0 || seq < this.head) return;
    const through = Math.min(seq, this.nextSeq - 1);
    const before = this.snapshot();
    try {
      this.db.transaction(() => this.removeThrough(through))();
    } catch {
      this.restore(before);
      // Disk full or failing: the rows stay on disk and the next acknowledgement deletes them
      // too; a restart before then sends them again (duplicates, never loss).
      const gone = this.statements.rangeTotals.get(this.head, through)!;
      this.pendingCount -= gone.n;
      this.pendingBytes -= gone.b;
      this.head = through + 1;
    }
  }

  close(): void {
    this.db.close();
  }

  /** Bytes on disk: the database and its WAL (for tests of the bound). */
  diskBytes(): number {
    return [this.path, `${this.path}-wal`].reduce((sum, p) => sum + (existsSync(p) ? statSync(p).size : 0), 0);
  }

  private snapshot(): [number, number, number, number, number] {
    return [this.pendingCount, this.pendingBytes, this.head, this.nextSeq, this.dropped];
  }

  private restore([count, bytes, head, nextSeq, dropped]: [number, number, number, number, number]): void {
    this.pendingCount = count;
    this.pendingBytes = bytes;
    this.head = head;
    this.nextSeq = nextSeq;
    this.dropped = dropped;
  }

  private insertAll(frames: readonly Buffer[]): void {
    for (const frame of frames) {
      const { lastInsertRowid } = this.statements.insert.run(frame, frame.length);
      this.nextSeq = Number(lastInsertRowid) + 1;
      if (this.pendingCount === 0) this.head = Number(lastInsertRowid);
      this.pendingCount++;
      this.pendingBytes += frame.length;
    }
  }

  /** Inside the enqueue's transaction: the oldest records go until the rest fit the bound. Returns how many went. */
  private dropOverBound(): number {
    if (this.pendingBytes <= this.maxBytes) return 0;
    let excess = this.pendingBytes - this.maxBytes;
    let through = this.head - 1;
    let count = 0;
    for (const row of this.statements.oldest.iterate(this.head)) {
      if (excess <= 0) break;
      through = row.seq;
      count++;
      excess -= row.bytes;
    }
    this.removeThrough(through);
    this.dropped += count;
    this.statements.setDropped.run(this.dropped);
    return count;
  }

  private removeThrough(through: number): void {
    const gone = this.statements.rangeTotals.get(this.head, through)!;
    this.statements.deleteThrough.run(through);
    this.pendingCount -= gone.n;
    this.pendingBytes -= gone.b;
    this.head = through + 1;
  }
}

function openQueueDatabase(path: string): Database.Database {
  let db: Database.Database;
  try {
    db = prepareDatabase(path);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code !== 'SQLITE_CORRUPT' && code !== 'SQLITE_NOTADB') throw err;
    // A damaged queue file must not stop forwarding for good: keep it aside, start empty.
    const aside = `${path}.corrupt-${process.pid}-${Math.floor(performance.timeOrigin)}`;
    renameSync(path, aside);
    for (const suffix of ['-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
    db = prepareDatabase(path);
  }
  return db;
}

function prepareDatabase(path: string): Database.Database {
  const db = new Database(path);
  try {
    chmodSync(path, 0o600);
    db.pragma('temp_store = MEMORY');
    // Before the first table: freed pages go back to the file system at each commit. Only then:
    // on an existing file it would be a write, and a queue must open on a full disk.
    if (db.pragma('auto_vacuum', { simple: true }) !== 1) db.pragma('auto_vacuum = FULL');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma(`journal_size_limit = ${WAL_LIMIT_BYTES}`);
    db.exec(`
      CREATE TABLE IF NOT EXISTS queue (seq INTEGER PRIMARY KEY AUTOINCREMENT, frame BLOB NOT NULL, bytes INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
    `);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

const OLD_DATA = /^queue-(\d+)\.dat$/;

/**
 * The queue before it was a table: `queue-<gen>.dat` (octet-counted frames) and `queue.pos`
 * ({gen, offset}). What it still held unacknowledged is moved into the table once, then the old
 * files go: an upgrade on a PC with a queue waiting loses nothing.
 */
function importFileQueue(dir: string, insert: (frames: Buffer[]) => void): void {
  const names = readdirSync(dir);
  const gens = names.map((n) => OLD_DATA.exec(n)).filter((m) => m !== null).map((m) => Number(m[1]));
  if (gens.length === 0 && !names.includes('queue.pos')) return;
  let gen = gens.length === 0 ? 0 : Math.max(...gens);
  let offset = 0;
  try {
    const pos = JSON.parse(readFileSync(join(dir, 'queue.pos'), 'utf8')) as { gen?: unknown; offset?: unknown };
    if (Number.isInteger(pos.gen) && Number.isInteger(pos.offset) && (pos.offset as number) >= 0) {
      gen = pos.gen as number;
      offset = pos.offset as number;
    }
  } catch {
    // No or damaged position: the newest data file from its start (duplicates, not loss).
  }
  const data = join(dir, `queue-${gen}.dat`);
  if (existsSync(data)) {
    const bytes = readFileSync(data);
    const { frames } = parseOctetCountedFrames(bytes.subarray(Math.min(offset, bytes.length)));
    if (frames.length > 0) insert(frames.map((f) => Buffer.from(f)));
  }
  for (const name of names) if (OLD_DATA.test(name) || name === 'queue.pos') rmSync(join(dir, name), { force: true });
}
