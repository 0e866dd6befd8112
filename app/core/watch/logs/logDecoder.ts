import { isAscii, isUtf8 } from 'node:buffer';
import { guessUtf16WithoutBom } from '../wer/unicodeText.ts';

/**
 * Turns the raw bytes of a log file into blocks of whole lines, keeping exact byte offsets.
 *
 * Lines are framed in BYTES (a newline is 0A in UTF-8, 0A 00 / 00 0A at an even offset in
 * UTF-16) and only whole lines are decoded. So a multi-byte character or a surrogate pair split
 * by a read boundary simply waits in the carry, and every line's byte offset is known without
 * re-encoding text. Junk (NUL bytes, invalid sequences) is skipped and reported, never thrown;
 * lines longer than `maxLineBytes` are cut at a character boundary and the rest is skipped
 * without being buffered.
 */

export type LogEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

export interface DetectedEncoding {
  encoding: LogEncoding;
  /** Bytes of byte-order mark at the start of the file: text begins after them. */
  bomLength: number;
}

/** Bytes at offset 0 that settle the encoding (the longest BOM). */
export const ENCODING_PROBE_BYTES = 3;
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

/** Bytes of head that let a BOM-less UTF-16 file be told from UTF-8 by where its NULs sit. */
export const ENCODING_SNIFF_BYTES = 512;
const MIN_SNIFF_BYTES = 64;

/**
 * Encoding from the byte-order mark; without one, UTF-16 when the head (given at least 64 bytes of
 * it) has NULs at every other byte, as ASCII text in UTF-16 does; else UTF-8. Returns null while
 * `head` is shorter than a BOM it could still become (a file caught between its first bytes): the
 * caller waits for more.
 */
export function detectEncoding(head: Uint8Array): DetectedEncoding | null {
  const [a, b, c] = [head[0], head[1], head[2]];
  if (a === 0xef && b === 0xbb && c === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (a === 0xff && b === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (a === 0xfe && b === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  const couldBeBom =
    (head.length < 3 && a === 0xef && (b === undefined || b === 0xbb)) || (head.length < 2 && (a === 0xff || a === 0xfe));
  if (couldBeBom) return null;
  const utf16 = head.length >= MIN_SNIFF_BYTES ? guessUtf16WithoutBom(head) : null;
  return { encoding: utf16 ?? 'utf-8', bomLength: 0 };
}

export interface DecodedBlock {
  readonly encoding: LogEncoding;
  /** Whole lines, each with its newline, except a cut line or a flushed partial line. Valid only during the callback. */
  readonly bytes: Buffer;
  /** File offset of bytes[0]. */
  readonly startOffset: number;
  /** The block is one line cut at the length limit. */
  readonly truncated: boolean;
  text(): string;
}

export interface DecoderSink {
  block(block: DecodedBlock): void;
  /** Bytes skipped as junk ('binary') or as the tail of an over-long line ('line-cut'). */
  skipped(kind: 'binary' | 'line-cut', startOffset: number, bytes: number): void;
}

export interface LogDecoderOptions {
  encoding: LogEncoding;
  /** File offset of the first byte that will be written (after the BOM when starting at 0). */
  startOffset: number;
  maxLineBytes?: number;
}

interface SkipState {
  kind: 'binary' | 'line-cut';
  lineStart: number;
  bytes: number;
}

export class LogDecoder {
  private readonly encoding: LogEncoding;
  private readonly newline: NewlineRules;
  private readonly maxLineBytes: number;
  private readonly sink: DecoderSink;
  /** Holds the carry (an unfinished line) at its start; reused so memory stays flat. */
  private work = Buffer.allocUnsafe(64 * 1024);
  private carryLength = 0;
  private carryStart: number;
  private nextInputOffset: number;
  private skip: SkipState | null = null;
  private pendingBinary: { start: number; bytes: number } | null = null;

  constructor(options: LogDecoderOptions, sink: DecoderSink) {
    this.encoding = options.encoding;
    this.newline = NEWLINES[options.encoding];
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.sink = sink;
    this.carryStart = options.startOffset;
    this.nextInputOffset = options.startOffset;
  }

  /** File offset the next write() continues from. */
  get inputOffset(): number {
    return this.nextInputOffset;
  }

  /** Where decoding can restart without splitting a line: the start of the unfinished or skipped line. */
  get resumeOffset(): number {
    return this.skip ? this.skip.lineStart : this.carryStart;
  }

  /** Bytes of an unfinished last line waiting for its newline. */
  get partialLineBytes(): number {
    return this.carryLength;
  }

  /** Feeds the next bytes of the file; `chunk` may be reused by the caller afterwards. */
  write(chunk: Buffer): void {
    const chunkStart = this.nextInputOffset;
    this.nextInputOffset += chunk.length;
    let pos = 0;
    if (this.skip) {
      // A UTF-16 newline split across two reads is missed here; reads start at even offsets, so
      // that only happens when a writer leaves half a code unit, and merely skips one more line.
      const newlineAt = this.newline.first(chunk, 0, chunkStart);
      if (newlineAt === -1) {
        this.skip.bytes += chunk.length;
        return;
      }
      pos = newlineAt + this.newline.width;
      this.finishSkip(pos);
      this.carryStart = chunkStart + pos;
    }

    let view: Buffer;
    let viewStart: number;
    const viewIsWork = this.carryLength > 0;
    if (viewIsWork) {
      this.ensureWorkCapacity(this.carryLength + chunk.length - pos);
      chunk.copy(this.work, this.carryLength, pos);
      view = this.work.subarray(0, this.carryLength + chunk.length - pos);
      viewStart = this.carryStart;
    } else {
      view = chunk.subarray(pos);
      viewStart = chunkStart + pos;
    }

    const lastNewline = this.newline.last(view, 0, viewStart);
    const complete = lastNewline === -1 ? 0 : lastNewline + this.newline.width;
    if (complete > 0) this.processCompleteLines(view.subarray(0, complete), viewStart);

    const rest = view.length - complete;
    if (viewIsWork) {
      this.work.copyWithin(0, complete, view.length);
    } else {
      this.ensureWorkCapacity(rest);
      view.copy(this.work, 0, complete);
    }
    this.carryLength = rest;
    this.carryStart = viewStart + complete;
    if (this.carryLength >= this.maxLineBytes) this.cutCarry();
  }

  /**
   * Hands over the unfinished last line as if it had ended: used when the writer has gone quiet
   * (a crashed client never finishes its line). A character still incomplete stays behind.
   */
  flushPartial(): void {
    if (this.skip || this.carryLength === 0) return;
    const length = completePrefixLength(this.work.subarray(0, this.carryLength), this.encoding);
    if (length > 0) {
      const part = this.work.subarray(0, length);
      if (isBinaryLine(part, this.encoding)) this.addBinary(this.carryStart, length);
      else this.emit(part, this.carryStart, false);
      this.work.copyWithin(0, length, this.carryLength);
      this.carryLength -= length;
      this.carryStart += length;
    }
    this.reportBinary();
  }

  /** Reports a junk region still being merged; call at the end of a read pass. */
  endPass(): void {
    this.reportBinary();
  }

  private processCompleteLines(bytes: Buffer, start: number): void {
    // Fast path, the common case: the whole block is clean text, checked without a per-line loop
    // and (for UTF-8) without decoding, which the offline scanner may never need to do.
    if (this.encoding === 'utf-8') {
      if (bytes.indexOf(0) === -1 && isUtf8(bytes)) {
        this.emit(bytes, start, false);
        return;
      }
    } else {
      const text = decodeBytes(bytes, this.encoding);
      if (!text.includes('\0') && isWellFormed(text)) {
        this.emit(bytes, start, false, text);
        return;
      }
    }
    // Slow path, only for blocks holding junk: classify line by line.
    let runStart = 0;
    let lineStart = 0;
    while (lineStart < bytes.length) {
      const newlineAt = this.newline.first(bytes, lineStart, start);
      const lineEnd = newlineAt === -1 ? bytes.length : newlineAt + this.newline.width;
      if (isBinaryLine(bytes.subarray(lineStart, lineEnd), this.encoding)) {
        if (runStart < lineStart) this.emit(bytes.subarray(runStart, lineStart), start + runStart, false);
        this.addBinary(start + lineStart, lineEnd - lineStart);
        runStart = lineEnd;
      }
      lineStart = lineEnd;
    }
    if (runStart < bytes.length) this.emit(bytes.subarray(runStart), start + runStart, false);
  }

  /** The carry reached the line limit: keep its first part as a cut line, skip the rest up to the newline. */
  private cutCarry(): void {
    const keep = completePrefixLength(this.work.subarray(0, this.maxLineBytes), this.encoding);
    const kept = this.work.subarray(0, keep);
    if (isBinaryLine(kept, this.encoding)) {
      this.skip = { kind: 'binary', lineStart: this.carryStart, bytes: this.carryLength };
    } else {
      this.emit(kept, this.carryStart, true);
      this.skip = { kind: 'line-cut', lineStart: this.carryStart, bytes: this.carryLength - keep };
    }
    this.carryLength = 0;
  }

  private finishSkip(bytesInChunk: number): void {
    const skip = this.skip!;
    this.skip = null;
    if (skip.kind === 'binary') this.addBinary(skip.lineStart, skip.bytes + bytesInChunk);
    else this.sink.skipped('line-cut', skip.lineStart, skip.bytes + bytesInChunk);
  }

  private emit(bytes: Buffer, startOffset: number, truncated: boolean, knownText?: string): void {
    this.reportBinary();
    let text = knownText;
    const encoding = this.encoding;
    this.sink.block({ encoding, bytes, startOffset, truncated, text: () => (text ??= decodeBytes(bytes, encoding)) });
  }

  private addBinary(start: number, bytes: number): void {
    if (this.pendingBinary && this.pendingBinary.start + this.pendingBinary.bytes === start) {
      this.pendingBinary.bytes += bytes;
      return;
    }
    this.reportBinary();
    this.pendingBinary = { start, bytes };
  }

  private reportBinary(): void {
    if (!this.pendingBinary) return;
    const { start, bytes } = this.pendingBinary;
    this.pendingBinary = null;
    this.sink.skipped('binary', start, bytes);
  }

  private ensureWorkCapacity(needed: number): void {
    if (needed <= this.work.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(needed, this.work.length * 2));
    this.work.copy(bigger, 0, 0, this.carryLength);
    this.work = bigger;
  }
}

/** Decodes whole lines. ASCII takes the latin1 path: same text, and V8 builds it fastest. */
export function decodeBytes(bytes: Buffer, encoding: LogEncoding): string {
  if (encoding === 'utf-8') return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const even = bytes.subarray(0, bytes.length & ~1);
  if (encoding === 'utf-16le') return even.toString('utf16le');
  return Buffer.from(even).swap16().toString('utf16le');
}

/**
 * Calls `visit` for each line of a block with its text (no CR/LF) and exact file offset.
 * Non-ASCII UTF-8 is decoded line by line so offsets come from bytes, not from re-encoding.
 */
export function forEachLine(block: DecodedBlock, visit: (text: string, startOffset: number, truncated: boolean) => void): void {
  const { bytes, startOffset } = block;
  if (block.encoding === 'utf-8' && !isAscii(bytes)) {
    let start = 0;
    while (start < bytes.length) {
      const newlineAt = bytes.indexOf(10, start);
      const end = newlineAt === -1 ? bytes.length : newlineAt;
      const textEnd = end > start && bytes[end - 1] === 13 ? end - 1 : end;
      visit(bytes.toString('utf8', start, textEnd), startOffset + start, newlineAt === -1 && block.truncated);
      start = end + 1;
    }
    return;
  }
  const text = block.text();
  const unit = block.encoding === 'utf-8' ? 1 : 2;
  let start = 0;
  while (start < text.length) {
    const newlineAt = text.indexOf('\n', start);
    const end = newlineAt === -1 ? text.length : newlineAt;
    const textEnd = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    visit(text.slice(start, textEnd), startOffset + start * unit, newlineAt === -1 && block.truncated);
    start = end + 1;
  }
}

/** String.prototype.isWellFormed (no lone surrogates): in Node 20+, but not in the ES2023 lib typings we compile against. */
function isWellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}

/**
 * Junk rather than a damaged line: a NUL (never in a text log; zero-filled regions are what a
 * power cut leaves), or at least 10 % invalid characters. A line with one mis-encoded "£" is kept.
 */
export function isBinaryLine(bytes: Buffer, encoding: LogEncoding): boolean {
  if (encoding === 'utf-8') {
    if (bytes.indexOf(0) !== -1) return true;
    if (isUtf8(bytes)) return false;
  }
  const text = decodeBytes(bytes, encoding);
  if (text.includes('\0')) return true;
  let suspicious = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0xfffd || (code < 0x20 && code !== 9 && code !== 10 && code !== 13 && code !== 12 && code !== 11 && code !== 27)) {
      suspicious++;
    } else if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else suspicious++;
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      suspicious++;
    }
  }
  return suspicious >= 2 && suspicious * 10 >= text.length;
}

/** Length of the longest prefix of `bytes` that ends on a character boundary. */
export function completePrefixLength(bytes: Buffer, encoding: LogEncoding): number {
  const length = bytes.length;
  if (encoding === 'utf-8') {
    let lead = length - 1;
    while (lead >= 0 && lead >= length - 4 && (bytes[lead]! & 0xc0) === 0x80) lead--;
    if (lead < 0) return length;
    const byte = bytes[lead]!;
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length - lead < needed ? lead : length;
  }
  const even = length & ~1;
  if (even < 2) return even;
  const unit = encoding === 'utf-16le' ? bytes[even - 2]! | (bytes[even - 1]! << 8) : (bytes[even - 2]! << 8) | bytes[even - 1]!;
  return unit >= 0xd800 && unit <= 0xdbff ? even - 2 : even;
}

/**
 * Newline search per encoding. `base` is the file offset of buf[0]: UTF-16 code units start at
 * even file offsets (the BOM is 2 bytes), which tells a real newline from an 0A byte inside a
 * character such as U+010A. Both return the index of the newline's first byte, or -1.
 */
interface NewlineRules {
  width: 1 | 2;
  first(buf: Buffer, from: number, base: number): number;
  last(buf: Buffer, from: number, base: number): number;
}

const NEWLINES: Record<LogEncoding, NewlineRules> = {
  'utf-8': {
    width: 1,
    first: (buf, from) => buf.indexOf(10, from),
    last: (buf, from) => {
      const at = buf.lastIndexOf(10);
      return at >= from ? at : -1;
    },
  },
  'utf-16le': {
    width: 2,
    first(buf, from, base) {
      for (let at = buf.indexOf(10, from); at !== -1; at = buf.indexOf(10, at + 1)) {
        if (((base + at) & 1) === 0 && buf[at + 1] === 0) return at;
      }
      return -1;
    },
    last(buf, from, base) {
      for (let at = buf.lastIndexOf(10); at >= from; at = at === 0 ? -1 : buf.lastIndexOf(10, at - 1)) {
        if (((base + at) & 1) === 0 && buf[at + 1] === 0) return at;
      }
      return -1;
    },
  },
  'utf-16be': {
    width: 2,
    first(buf, from, base) {
      for (let at = buf.indexOf(10, from + 1); at !== -1; at = buf.indexOf(10, at + 1)) {
        if (((base + at - 1) & 1) === 0 && buf[at - 1] === 0) return at - 1;
      }
      return -1;
    },
    last(buf, from, base) {
      for (let at = buf.lastIndexOf(10); at - 1 >= from; at = buf.lastIndexOf(10, at - 1)) {
        if (((base + at - 1) & 1) === 0 && buf[at - 1] === 0) return at - 1;
      }
      return -1;
    },
  },
};
