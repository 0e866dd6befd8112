import { isAscii } from 'node:buffer';
import { open } from 'node:fs/promises';
import { readHead } from './fileIdentity.ts';
import { ENCODING_SNIFF_BYTES, LogDecoder, detectEncoding, type DecodedBlock, type LogEncoding } from './logDecoder.ts';
import { LiteralSearch } from './literalSearch.ts';
import type { LogMatchKind, LogMatcher } from './logMatcher.ts';
import { DEFAULT_RECORD_LIMITS, recordFromText, startsRecord, type LogRecord } from './logRecords.ts';

/**
 * Offline scan of one log file (`lifeboat scan`, the throughput benchmark): which records show a
 * crash, a hang or slowness. Built for speed on big logs: the file is read in fixed chunks and
 * searched for the patterns' required literals (case-folded when a pattern ignores case) over
 * the raw bytes; only the few lines holding a literal are decoded and tested, and only around a
 * real hit is a record (with its stack trace) assembled. Built-in patterns without a literal are
 * searched with their own V8 expression; a configured pattern without one makes every line a
 * candidate (linear, slower).
 */

export interface MatchedRecord extends LogRecord {
  kind: LogMatchKind;
}

/** What the decoder skips instead of decoding (logDecoder.ts). */
type SkipKind = 'binary' | 'line-cut';

export interface ScanResult {
  path: string;
  encoding: LogEncoding;
  bytes: number;
  /** Text lines read (junk regions excluded). */
  lines: number;
  /** Lines any pattern matches: what `grep -c` counts. */
  matchingLines: number;
  /** Matching records by kind (a record counts once, as its highest-priority kind). */
  counts: Record<LogMatchKind, number>;
  /** The first `maxRecords` matching records, in file order. */
  records: MatchedRecord[];
  recordsDropped: number;
  /** Bytes skipped, summed per kind: junk ('binary'), the cut tails of over-long lines ('line-cut'). */
  skipped: Array<{ kind: SkipKind; bytes: number }>;
}

export interface ScanOptions {
  chunkBytes?: number;
  /** Records kept in the result; onRecord still sees every one. Default 10 000. */
  maxRecords?: number;
}

const DEFAULT_CHUNK_BYTES = 1024 * 1024;
/** Up to this many case-sensitive literals, one Buffer.indexOf pass each beats one WebAssembly pass for all. */
const MAX_BYTE_LITERALS = 3;
const NEWLINE = 10;
const OPEN_BRACKET = 91;
/** Long enough for any supported timestamp, with a bracket. */
const TIMESTAMP_PROBE_BYTES = 32;

export async function scanLogFile(
  path: string,
  matcher: LogMatcher,
  onRecord?: (record: MatchedRecord) => void,
  options: ScanOptions = {},
): Promise<ScanResult> {
  const handle = await open(path, 'r');
  try {
    const size = Number((await handle.stat()).size);
    const detected = detectEncoding(await readHead(handle, Math.min(ENCODING_SNIFF_BYTES, size))) ?? { encoding: 'utf-8', bomLength: 0 };
    const skippedBytes = new Map<SkipKind, number>();
    const scan = new RecordScan(matcher, options.maxRecords ?? 10_000, onRecord);
    const decoder = new LogDecoder(
      { encoding: detected.encoding, startOffset: detected.bomLength },
      { block: (block) => scan.block(block), skipped: (kind, _offset, bytes) => skippedBytes.set(kind, (skippedBytes.get(kind) ?? 0) + bytes) },
    );
    // Two buffers: the next chunk is read while this one is searched, so the disk never waits for us.
    const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    let current = Buffer.allocUnsafe(chunkBytes);
    let spare = Buffer.allocUnsafe(chunkBytes);
    let bytes = detected.bomLength;
    let reading = handle.read(current, 0, chunkBytes, bytes);
    for (;;) {
      const { bytesRead } = await reading;
      if (bytesRead === 0) break;
      const chunk = current.subarray(0, bytesRead);
      bytes += bytesRead;
      [current, spare] = [spare, current];
      reading = handle.read(current, 0, chunkBytes, bytes);
      decoder.write(chunk);
    }
    decoder.flushPartial();
    decoder.endPass();
    scan.end();
    return {
      path,
      encoding: detected.encoding,
      bytes,
      lines: scan.lines,
      matchingLines: scan.matchingLines,
      counts: scan.counts,
      records: scan.records,
      recordsDropped: scan.recordsDropped,
      skipped: [...skippedBytes].map(([kind, total]) => ({ kind, bytes: total })),
    };
  } finally {
    await handle.close();
  }
}

/** The last record of the blocks seen so far, which the next block may continue. */
interface OpenRecord {
  parts: Buffer[];
  length: number;
  startOffset: number;
  matched: boolean;
  truncated: boolean;
}

/** Finds hit lines in decoded blocks and assembles the records around them. Works on UTF-8 bytes. */
class RecordScan {
  lines = 0;
  matchingLines = 0;
  readonly counts: Record<LogMatchKind, number> = { crash: 0, hang: 0, slow: 0 };
  readonly records: MatchedRecord[] = [];
  recordsDropped = 0;
  private readonly matcher: LogMatcher;
  /** A few case-sensitive literals: Buffer.indexOf (memchr and Boyer-Moore in C++) is fastest. */
  private readonly byteLiterals: Buffer[] | null;
  /** Otherwise one WebAssembly pass for every literal, case-folded or not. */
  private readonly literalSearch: LiteralSearch | null;
  private readonly maxRecords: number;
  private readonly onRecord: ((record: MatchedRecord) => void) | undefined;
  private tail: OpenRecord | null = null;

  constructor(matcher: LogMatcher, maxRecords: number, onRecord?: (record: MatchedRecord) => void) {
    this.matcher = matcher;
    const { literals, ignoreCase } = matcher.prefilter;
    const few = !ignoreCase && literals.length > 0 && literals.length <= MAX_BYTE_LITERALS;
    this.byteLiterals = few ? literals.map((literal) => Buffer.from(literal, 'utf8')) : null;
    this.literalSearch = few ? null : literalSearchOf(matcher);
    this.maxRecords = maxRecords;
    this.onRecord = onRecord;
  }

  block(block: DecodedBlock): void {
    // UTF-16 is re-encoded once so that one byte-level search serves every encoding.
    const bytes = block.encoding === 'utf-8' ? block.bytes : Buffer.from(block.text(), 'utf8');
    const toFileOffset = block.encoding === 'utf-8' ? (pos: number) => block.startOffset + pos : utf16Offsets(bytes, block.startOffset);
    this.lines += countNewlines(bytes) + (bytes[bytes.length - 1] === NEWLINE ? 0 : 1);
    const hits = this.candidateLines(bytes).filter((start) => this.matcher.testLine(lineText(bytes, start)));
    this.matchingLines += hits.length;
    this.assemble(bytes, hits, block.truncated, toFileOffset);
  }

  end(): void {
    this.closeTail();
  }

  /** Start offsets of the lines some pattern may match, ascending: found by literals, by V8 searches, or every line. */
  private candidateLines(bytes: Buffer): number[] {
    const { patternSearch, everyLine } = this.matcher.prefilter;
    if (everyLine) return allLineStarts(bytes);
    const found: number[][] = [];
    if (this.byteLiterals) found.push(...this.byteLiterals.map((literal) => linesHoldingBytes(bytes, literal)));
    else if (this.literalSearch) found.push(this.literalSearch.linesHolding(bytes));
    if (patternSearch.length > 0) {
      // The patterns themselves need real characters: decode (latin1 is exact for ASCII).
      const ascii = isAscii(bytes);
      const text = ascii ? bytes.toString('latin1') : bytes.toString('utf8');
      const starts = mergeSorted(patternSearch.map((search) => linesMatching(text, search)));
      found.push(ascii ? starts : charToByteOffsets(text, starts));
    }
    return found.length === 1 ? found[0]! : mergeSorted(found);
  }

  /**
   * Turns hit lines into records. A record runs from a timestamped line to the next one; the
   * last record of a block may go on in the next block, so it is kept (bounded) as the tail.
   */
  private assemble(bytes: Buffer, hits: number[], truncated: boolean, toFileOffset: (pos: number) => number): void {
    const length = bytes.length;
    const firstStart = this.firstRecordStart(bytes);
    let hit = 0;
    if (firstStart > 0) {
      this.tail ??= { parts: [], length: 0, startOffset: toFileOffset(0), matched: false, truncated: false };
      this.appendToTail(bytes.subarray(0, firstStart), truncated);
      while (hit < hits.length && hits[hit]! < firstStart) {
        this.tail.matched = true;
        hit++;
      }
    }
    if (firstStart === length) return;
    this.closeTail();

    const lastStart = this.lastRecordStart(bytes, firstStart);
    while (hit < hits.length && hits[hit]! < lastStart) {
      const recordStart = this.recordStartBefore(bytes, hits[hit]!, firstStart);
      const recordEnd = this.nextRecordStart(bytes, hits[hit]!);
      this.emit(bytes.toString('utf8', recordStart, recordEnd), toFileOffset(recordStart), truncated);
      while (hit < hits.length && hits[hit]! < recordEnd) hit++;
    }
    this.tail = { parts: [], length: 0, startOffset: toFileOffset(lastStart), matched: hit < hits.length, truncated: false };
    this.appendToTail(bytes.subarray(lastStart), truncated);
  }

  private appendToTail(bytes: Buffer, truncated: boolean): void {
    const tail = this.tail!;
    if (truncated) tail.truncated = true;
    // Beyond the record limit nothing more would be kept in its text anyway.
    const room = DEFAULT_RECORD_LIMITS.maxChars * 4 - tail.length;
    if (room <= 0) {
      tail.truncated = true;
      return;
    }
    const kept = bytes.length <= room ? bytes : bytes.subarray(0, room);
    tail.parts.push(Buffer.from(kept));
    tail.length += kept.length;
  }

  private closeTail(): void {
    const tail = this.tail;
    this.tail = null;
    if (tail?.matched) this.emit(Buffer.concat(tail.parts, tail.length).toString('utf8'), tail.startOffset, tail.truncated);
  }

  private emit(raw: string, startOffset: number, truncated: boolean): void {
    const record = recordFromText(raw, startOffset, truncated);
    const kind = this.matcher.test(record.text);
    if (!kind) return; // the hit line lay beyond the record's line limit
    this.counts[kind]++;
    const matched: MatchedRecord = { ...record, kind };
    if (this.records.length < this.maxRecords) this.records.push(matched);
    else this.recordsDropped++;
    this.onRecord?.(matched);
  }

  private firstRecordStart(bytes: Buffer): number {
    for (let start = 0; start < bytes.length; start = lineEndAt(bytes, start) + 1) {
      if (startsRecordAt(bytes, start)) return start;
    }
    return bytes.length;
  }

  /** The last line that starts a record; `floor` is known to start one. */
  private lastRecordStart(bytes: Buffer, floor: number): number {
    for (let start = lineStartAt(bytes, bytes.length - 1); start > floor; start = lineStartAt(bytes, start - 1)) {
      if (startsRecordAt(bytes, start)) return start;
    }
    return floor;
  }

  private recordStartBefore(bytes: Buffer, lineStart: number, floor: number): number {
    for (let start = lineStart; start > floor; start = lineStartAt(bytes, start - 1)) {
      if (startsRecordAt(bytes, start)) return start;
    }
    return floor;
  }

  private nextRecordStart(bytes: Buffer, lineStart: number): number {
    for (let start = lineEndAt(bytes, lineStart) + 1; start < bytes.length; start = lineEndAt(bytes, start) + 1) {
      if (startsRecordAt(bytes, start)) return start;
    }
    return bytes.length;
  }
}

/** Line starts of every line that holds `literal` (one entry per line, however often it occurs there). */
function linesHoldingBytes(bytes: Buffer, literal: Buffer): number[] {
  const starts: number[] = [];
  for (let at = bytes.indexOf(literal); at !== -1; ) {
    starts.push(lineStartAt(bytes, at));
    const end = lineEndAt(bytes, at);
    at = end + 1 < bytes.length ? bytes.indexOf(literal, end + 1) : -1;
  }
  return starts;
}

/** One literal search per matcher (its WebAssembly instance and tables are built once). */
const literalSearches = new WeakMap<LogMatcher, LiteralSearch | null>();
function literalSearchOf(matcher: LogMatcher): LiteralSearch | null {
  let search = literalSearches.get(matcher);
  if (search === undefined) {
    const { literals, ignoreCase } = matcher.prefilter;
    search = literals.length === 0 ? null : new LiteralSearch(literals, ignoreCase);
    literalSearches.set(matcher, search);
  }
  return search;
}

/**
 * Line starts (character offsets) of the lines where `search` (global) matches. After a hit the
 * search resumes at the next line: a line of 100 000 "ERROR"s costs one hit, not 100 000.
 */
function linesMatching(text: string, search: RegExp): number[] {
  const starts: number[] = [];
  search.lastIndex = 0;
  for (let match = search.exec(text); match; match = search.exec(text)) {
    const start = match.index === 0 ? 0 : text.lastIndexOf('\n', match.index - 1) + 1;
    if (starts[starts.length - 1] !== start) starts.push(start);
    const newlineAt = text.indexOf('\n', match.index + (match[0].length > 0 ? 0 : 1));
    if (newlineAt === -1) break;
    // Resume at the next line, not at the match's end: a match spanning lines must not hide the next line's own.
    search.lastIndex = newlineAt + 1;
  }
  return starts;
}

function allLineStarts(bytes: Buffer): number[] {
  const starts: number[] = [];
  for (let start = 0; start < bytes.length; start = lineEndAt(bytes, start) + 1) starts.push(start);
  return starts;
}

/** Ascending, without duplicates. */
function mergeSorted(lists: number[][]): number[] {
  const nonEmpty = lists.filter((list) => list.length > 0);
  if (nonEmpty.length <= 1) return nonEmpty[0] ?? [];
  return [...new Set(nonEmpty.flat())].sort((a, b) => a - b);
}

/** Byte offsets in the UTF-8 encoding of `text` for ascending character offsets. */
function charToByteOffsets(text: string, starts: readonly number[]): number[] {
  const out: number[] = [];
  let charPos = 0;
  let bytePos = 0;
  for (const start of starts) {
    bytePos += Buffer.byteLength(text.slice(charPos, start), 'utf8');
    charPos = start;
    out.push(bytePos);
  }
  return out;
}

function startsRecordAt(bytes: Buffer, start: number): boolean {
  const first = bytes[start];
  if (first === undefined || ((first < 48 || first > 57) && first !== OPEN_BRACKET)) return false;
  // Timestamps are ASCII: latin1 decoding of the first bytes is enough.
  return startsRecord(bytes.toString('latin1', start, Math.min(bytes.length, start + TIMESTAMP_PROBE_BYTES)));
}

function lineStartAt(bytes: Buffer, pos: number): number {
  return pos <= 0 ? 0 : bytes.lastIndexOf(NEWLINE, pos - 1) + 1;
}

/** Index of the newline ending the line that holds `pos`, or bytes.length. */
function lineEndAt(bytes: Buffer, pos: number): number {
  const at = bytes.indexOf(NEWLINE, pos);
  return at === -1 ? bytes.length : at;
}

function lineText(bytes: Buffer, start: number): string {
  let end = lineEndAt(bytes, start);
  if (end > start && bytes[end - 1] === 13) end--;
  return bytes.toString('utf8', start, end);
}

function countNewlines(bytes: Buffer): number {
  let count = 0;
  for (let at = bytes.indexOf(NEWLINE); at !== -1; at = bytes.indexOf(NEWLINE, at + 1)) count++;
  return count;
}

/** File offsets for positions in UTF-8 re-encoded from UTF-16: 2 bytes per UTF-16 unit. Positions must not decrease. */
function utf16Offsets(utf8: Buffer, blockStart: number): (pos: number) => number {
  let bytePos = 0;
  let units = 0;
  return (pos) => {
    units += utf8.toString('utf8', bytePos, pos).length;
    bytePos = pos;
    return blockStart + units * 2;
  };
}
