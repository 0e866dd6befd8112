import type { BigIntStats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import {
  classifyChange,
  fingerprintCanGrow,
  headStillMatches,
  identityKey,
  readHead,
  readIdentity,
  type FileIdentity,
} from './fileIdentity.ts';
import { ENCODING_PROBE_BYTES, LogDecoder, detectEncoding, forEachLine, type DecoderSink, type DetectedEncoding } from './logDecoder.ts';
import type { Diagnostic } from '../../../common/diagnostic.ts';
import { errorCode, logDiagnostic } from './logDiagnostic.ts';
import { LogRecordSplitter, type LogRecord } from './logRecords.ts';
import type { SavedFileOffset } from './offsetStore.ts';

/** A record with the file it was read from (its name at the time: rotation renames files). */
export type TailedRecord = LogRecord & { path: string };

/** What a tracked file needs from the tailer that owns it. */
export interface TrackedFileContext {
  /** Shared by all files: passes run one at a time, so one buffer keeps memory flat. */
  readBuffer: Buffer;
  maxBytesPerPass: number;
  deliver(record: TailedRecord): void | Promise<void>;
  diagnostic(diagnostic: Diagnostic): void;
  /** After a truncation: a copy (copytruncate) holding this file's old content past its offset. */
  findCopy(file: TrackedLogFile): Promise<string | null>;
  now(): number;
}

/** 'moved': the path no longer holds this file (the tailer must find it); 'more': the pass stopped at its byte budget. */
export type PassOutcome = 'moved' | 'idle' | 'read' | 'more';

/** How far back to look for a line start when starting at the end of an existing file. */
const LINE_START_SEARCH_BYTES = 64 * 1024;

/**
 * One log file being followed: its identity, where we got to, and the decoder and record
 * splitter that carry an unfinished line or record between reads. Reads go through a handle
 * whose own identity is checked, so a rotation between stat and read cannot mix two files;
 * handles are closed after each pass so the clinical client can always rename or delete its log.
 */
export class TrackedLogFile {
  identity: FileIdentity;
  path: string;
  readonly dir: string;
  /** Last time bytes arrived or the file was found: a renamed-away file is dropped once quiet. */
  lastDataAt: number;
  private readonly context: TrackedFileContext;
  private readonly splitter: LogRecordSplitter;
  private decoder: LogDecoder | null = null;
  /** Where reading starts once the encoding is known; 'end' = the last line start of the file. */
  private startAt: number | 'end';
  private lastSize = -1;
  private lastMtimeNs = -1n;
  /** Set while reading this file's content from another path (its copy). */
  private readingFrom: string | null = null;
  private pending: Promise<void>[] = [];

  constructor(options: { identity: FileIdentity; path: string; dir: string; startAt: number | 'end'; context: TrackedFileContext }) {
    this.identity = options.identity;
    this.path = options.path;
    this.dir = options.dir;
    this.startAt = options.startAt;
    this.context = options.context;
    this.lastDataAt = options.context.now();
    this.splitter = new LogRecordSplitter((record) => this.handOver(record));
  }

  get key(): string {
    return this.identity.key;
  }

  /** The first byte not yet handed over in a record: a restart reads from here. */
  get committedOffset(): number {
    const open = this.splitter.pendingStartOffset;
    if (open !== null) return open;
    if (this.decoder) return this.decoder.resumeOffset;
    return this.startAt === 'end' ? 0 : this.startAt;
  }

  /** Bytes fed to the decoder so far. */
  get readOffset(): number {
    return this.decoder ? this.decoder.inputOffset : this.committedOffset;
  }

  /** Bytes the file held at the last look that were never read. */
  get unreadBytes(): number {
    return Math.max(0, this.lastSize - this.readOffset);
  }

  toSaved(): SavedFileOffset | null {
    // Never seen the file's encoding (still waiting for its first bytes): nothing worth keeping yet.
    if (this.startAt === 'end' && !this.decoder) return null;
    return { key: this.identity.key, path: this.path, headHash: this.identity.headHash, headLength: this.identity.headLength, offset: this.committedOffset };
  }

  /**
   * Reads what is new at this.path, following truncation. `seen` (a stat of the path from this
   * check) lets an unchanged, fully read file be skipped without opening it: fewer handles on
   * the client's log, which on Windows is what can get in the way of its own rotation.
   */
  async pass(seen?: BigIntStats): Promise<PassOutcome> {
    if (seen && this.decoder && identityKey(seen, this.path) === this.identity.key) {
      const size = Number(seen.size);
      if (size === this.lastSize && seen.mtimeNs === this.lastMtimeNs && this.readOffset >= size) return 'idle';
    }
    let handle: FileHandle;
    try {
      handle = await open(this.path, 'r');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return 'moved';
      this.context.diagnostic(logDiagnostic('read-error', this.path, { osCode: errorCode(error) }));
      return 'idle';
    }
    try {
      const stats = await handle.stat({ bigint: true });
      if (identityKey(stats, this.path) !== this.identity.key) return 'moved';
      const size = Number(stats.size);
      if (size !== this.lastSize || stats.mtimeNs !== this.lastMtimeNs) {
        await this.checkForTruncation(handle, stats, size);
        this.lastSize = size;
        this.lastMtimeNs = stats.mtimeNs;
      }
      if (!this.decoder && !(await this.prepareDecoder(handle, size))) return 'idle';
      return await this.readAvailable(handle);
    } catch (error) {
      this.context.diagnostic(logDiagnostic('read-error', this.path, { osCode: errorCode(error) }));
      return 'idle';
    } finally {
      await handle.close().catch(() => undefined);
    }
  }

  /** Waits for records handed over asynchronously, so their offsets may be saved. */
  async settle(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      await Promise.all(batch);
    }
  }

  /**
   * Hands over what waits for a next line that has not come: the open record after `quietMs`
   * (a crashed client writes no next record), an unfinished line after `partialLineMs` (longer,
   * as a buffered writer may still finish it). Returns when to look again, or null.
   */
  flushIfQuiet(now: number, quietMs: number, partialLineMs: number): number | null {
    const quietFor = now - this.lastDataAt;
    if (this.decoder && this.decoder.partialLineBytes > 0 && quietFor >= partialLineMs) this.decoder.flushPartial();
    if (this.splitter.pendingStartOffset !== null && quietFor >= quietMs) this.splitter.flush();
    if (this.decoder && this.decoder.partialLineBytes > 0) return this.lastDataAt + (this.splitter.pendingStartOffset !== null ? quietMs : partialLineMs);
    return this.splitter.pendingStartOffset !== null ? this.lastDataAt + quietMs : null;
  }

  /** The file is finished (renamed away and quiet, or gone): hand over everything held. */
  finish(): void {
    this.decoder?.flushPartial();
    this.decoder?.endPass();
    this.splitter.flush();
  }

  /** Reads the rest of this file's content from another path (its copy after copytruncate). */
  async readTailFrom(path: string): Promise<void> {
    const handle = await open(path, 'r');
    this.readingFrom = path;
    try {
      const size = Number((await handle.stat()).size);
      if (!this.decoder && !(await this.prepareDecoder(handle, size))) return;
      while ((await this.readAvailable(handle)) === 'more');
    } finally {
      this.readingFrom = null;
      await handle.close().catch(() => undefined);
    }
  }

  private async checkForTruncation(handle: FileHandle, stats: BigIntStats, size: number): Promise<void> {
    const change = classifyChange(this.readOffset, size, await headStillMatches(handle, this.identity, size));
    if (change === 'truncated' || change === 'replaced') {
      const copy = await this.context.findCopy(this);
      if (copy) await this.readTailFrom(copy);
      this.context.diagnostic(logDiagnostic(copy ? 'copytruncate' : 'truncated', this.path));
      // What was read before belongs to the old content: hand it all over, then start at 0.
      this.finish();
      this.identity = await readIdentity(handle, stats, this.path);
      this.decoder = null;
      this.startAt = 0;
      this.lastDataAt = this.context.now();
    } else if (fingerprintCanGrow(this.identity, size)) {
      this.identity = await readIdentity(handle, stats, this.path);
    }
  }

  /** Settles the encoding (from the BOM) and where to start. False while the file is too short to tell. */
  private async prepareDecoder(handle: FileHandle, size: number): Promise<boolean> {
    const detected = detectEncoding(await readHead(handle, Math.min(ENCODING_PROBE_BYTES, size)));
    if (!detected) return false;
    let start = this.startAt === 'end' ? await lastLineStart(handle, size, detected) : this.startAt;
    start = Math.max(start, detected.bomLength);
    if (detected.encoding !== 'utf-8') start &= ~1; // UTF-16 code units start at even offsets
    this.startAt = start;
    const sink: DecoderSink = {
      block: (block) => forEachLine(block, (text, offset, cut) => this.splitter.pushLine(text, offset, cut)),
      skipped: (kind, _offset, bytes) => this.context.diagnostic(logDiagnostic(kind, this.readingFrom ?? this.path, { bytes })),
    };
    this.decoder = new LogDecoder({ encoding: detected.encoding, startOffset: start }, sink);
    return true;
  }

  private async readAvailable(handle: FileHandle): Promise<PassOutcome> {
    const decoder = this.decoder!;
    const buffer = this.context.readBuffer;
    let passBytes = 0;
    while (passBytes < this.context.maxBytesPerPass) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, decoder.inputOffset);
      if (bytesRead === 0) break;
      decoder.write(buffer.subarray(0, bytesRead));
      passBytes += bytesRead;
    }
    decoder.endPass();
    if (passBytes > 0) this.lastDataAt = this.context.now();
    if (passBytes >= this.context.maxBytesPerPass) return 'more';
    return passBytes > 0 ? 'read' : 'idle';
  }

  private handOver(record: LogRecord): void {
    try {
      const result = this.context.deliver({ ...record, path: this.readingFrom ?? this.path });
      if (result) this.pending.push(result.catch(() => this.context.diagnostic(logDiagnostic('handler-error', this.readingFrom ?? this.path))));
    } catch {
      this.context.diagnostic(logDiagnostic('handler-error', this.readingFrom ?? this.path));
    }
  }
}

/**
 * "Start at the end" of a live log means after its last whole line: starting at the byte size
 * could land inside a line the client is writing and hand over half of it.
 */
async function lastLineStart(handle: FileHandle, size: number, detected: DetectedEncoding): Promise<number> {
  let from = Math.max(detected.bomLength, size - LINE_START_SEARCH_BYTES);
  if (detected.encoding !== 'utf-8') from &= ~1;
  if (from >= size) return size;
  const tail = Buffer.alloc(size - from);
  const { bytesRead } = await handle.read(tail, 0, tail.length, from);
  const probe = new LogDecoder({ encoding: detected.encoding, startOffset: from }, { block: () => undefined, skipped: () => undefined });
  probe.write(tail.subarray(0, bytesRead));
  const afterLastNewline = probe.resumeOffset;
  return afterLastNewline === from && from > detected.bomLength ? size : afterLastNewline;
}
