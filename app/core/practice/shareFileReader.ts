import { constants } from 'node:fs';
import type { IncidentKind } from '../../common/incident.ts';
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { macMatches, shareMac } from './shareAuth.ts';
import { headerWithoutMac, parseShareHeader, parseShareRecord, type ShareHeader } from './shareFormat.ts';

/**
 * Reads one workstation's month file from the practice share with every cost bounded, because
 * any PC (or anything else that can write to the share) may have put something hostile there:
 * - opened non-blocking and checked to be a regular file first: a FIFO or device never blocks;
 * - its size checked before a byte is read: an oversized file is skipped, never loaded;
 * - read in fixed chunks and parsed line by line: memory is one chunk plus compact records;
 * - at most maxRecords records;
 * - every file-system call under a timeout (a hung SMB server), see ShareIo;
 * - with a practice key, its mac verified over the bytes as they stream by.
 */

export interface ShareReadLimits {
  maxBytes: number;
  maxRecords: number;
  timeoutMs: number;
}

export const DEFAULT_SHARE_READ_LIMITS: ShareReadLimits = {
  // A busy month of one PC is a few thousand lines of about 1 KB.
  maxBytes: 16 * 1024 * 1024,
  maxRecords: 50_000,
  timeoutMs: 10_000,
};

/** Most month files fit in one read (one round trip to the file server); bigger ones stream. */
const CHUNK_BYTES = 1024 * 1024;

/** What the merge keeps of a record: a year of a federation is half a million of them. */
export interface CompactRecord {
  id: string;
  kind: IncidentKind;
  at: number;
}

export type ShareFileRead =
  | { ok: true; header: ShareHeader; mtime: number; records: CompactRecord[]; problems: string[] }
  | { ok: false; reason: string; code?: string };

/**
 * File-system calls on the share, each bounded in time, and never more than `maxInFlight` at
 * once, counting calls that timed out but have not returned yet: a hung share holds at most
 * that many of libuv's threads (which the log watchers share), however many merges follow.
 */
export class ShareIo {
  private inFlight = 0;
  readonly maxInFlight: number;
  readonly timeoutMs: number;

  constructor(options: { maxInFlight?: number; timeoutMs?: number } = {}) {
    this.maxInFlight = options.maxInFlight ?? 2;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_SHARE_READ_LIMITS.timeoutMs;
  }

  get stuck(): boolean {
    return this.inFlight >= this.maxInFlight;
  }

  async run<T>(what: string, operation: () => Promise<T>): Promise<T> {
    while (this.inFlight >= this.maxInFlight) {
      if (this.hung > 0 && this.hung >= this.maxInFlight) throw new ShareNotAnsweringError(`the practice share is not answering (${this.hung} call(s) still waiting after ${this.timeoutMs} ms)`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    this.inFlight++;
    let timedOut = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const settle = (): void => {
      this.inFlight--;
      if (timedOut) this.hung--;
      this.waiters.shift()?.();
    };
    const pending = operation().finally(settle);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        this.hung++;
        reject(new ShareNotAnsweringError(`${what} took longer than ${this.timeoutMs} ms (the share may be hung)`));
      }, this.timeoutMs);
      timer.unref?.();
    });
    try {
      return await Promise.race([pending, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private hung = 0;
  private readonly waiters: Array<() => void> = [];
}

export class ShareNotAnsweringError extends Error {
  override readonly name = 'ShareNotAnsweringError';
}

const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

export async function readShareFile(path: string, io: ShareIo, limits: ShareReadLimits, key: Buffer | null): Promise<ShareFileRead> {
  const handle = await io.run(`opening ${path}`, () => open(path, OPEN_FLAGS));
  try {
    const st = await io.run(`stat of ${path}`, () => handle.stat());
    if (!st.isFile()) return { ok: false, reason: 'not a regular file (a pipe, device or link): not read' };
    if (st.size > limits.maxBytes) return { ok: false, reason: `${st.size} bytes, over the ${limits.maxBytes}-byte limit for one month of one PC: not read` };

    const decoder = new StringDecoder('utf8');
    const buffer = Buffer.allocUnsafe(Math.max(1, Math.min(CHUNK_BYTES, st.size + 1)));
    let header: ShareHeader | null = null;
    let mac: ReturnType<typeof shareMac> | null = null;
    let pendingText = '';
    let headBytes: Buffer[] = [];
    const records: CompactRecord[] = [];
    let bad = 0;
    let firstProblem = '';
    let lineNo = 0;
    let endsWithNewline = false;
    let position = 0;

    const takeLine = (line: string): string | null => {
      lineNo++;
      if (lineNo === 1) return null;
      if (line === '' || line === '\r') return null;
      const rec = parseShareRecord(line);
      if (typeof rec === 'string') {
        bad++;
        if (firstProblem === '') firstProblem = `line ${lineNo}: ${rec}`;
      } else {
        if (records.length >= limits.maxRecords) return `more than ${limits.maxRecords} records: not read`;
        records.push({ id: rec.id, kind: rec.kind, at: Date.parse(rec.startedAt) });
      }
      return null;
    };

    // Up to the size stat gave (files are replaced whole by rename, never grown in place): no
    // extra round trip to learn the end, which on a share costs as much as the read.
    while (position < st.size) {
      const { bytesRead } = await io.run(`reading ${path}`, () => handle.read(buffer, 0, buffer.length, position));
      if (bytesRead === 0) break;
      position += bytesRead;
      if (position > limits.maxBytes) return { ok: false, reason: `grew past the ${limits.maxBytes}-byte limit while being read: not read` };
      let chunk = buffer.subarray(0, bytesRead);
      endsWithNewline = chunk[chunk.length - 1] === 0x0a;
      if (header === null) {
        const newline = chunk.indexOf(0x0a);
        if (newline < 0) {
          headBytes.push(Buffer.from(chunk));
          continue;
        }
        headBytes.push(Buffer.from(chunk.subarray(0, newline)));
        const parsed = parseShareHeader(Buffer.concat(headBytes).toString('utf8'));
        headBytes = [];
        if (typeof parsed === 'string') return { ok: false, reason: parsed };
        header = parsed;
        lineNo = 1;
        if (key !== null) mac = shareMac(key, headerWithoutMac(parsed));
        chunk = chunk.subarray(newline + 1);
      }
      mac?.update(chunk);
      pendingText += decoder.write(chunk);
      let start = 0;
      let end: number;
      while ((end = pendingText.indexOf('\n', start)) >= 0) {
        const stop = takeLine(pendingText.slice(start, end));
        if (stop) return { ok: false, reason: stop };
        start = end + 1;
      }
      pendingText = pendingText.slice(start);
    }
    if (header === null) {
      const parsed = parseShareHeader(Buffer.concat(headBytes).toString('utf8'));
      return { ok: false, reason: typeof parsed === 'string' ? parsed : 'a header and nothing else, without its final newline (cut off)' };
    }
    pendingText += decoder.end();
    if (pendingText !== '') {
      const stop = takeLine(pendingText);
      if (stop) return { ok: false, reason: stop };
    }
    if (key !== null && !macMatches(mac!.digestHex(), header.mac)) {
      return { ok: false, reason: header.mac === undefined ? 'not signed with the practice key: its incidents are not counted' : 'its signature does not match the practice key (changed, or written elsewhere): its incidents are not counted' };
    }
    const problems: string[] = [];
    if (bad > 0) problems.push(`${bad} unreadable line${bad === 1 ? '' : 's'} (first at ${firstProblem})`);
    // The final newline is part of every complete file: a missing one means a cut-off copy.
    if (records.length + bad !== header.records || !endsWithNewline) problems.push(`incomplete: the header promises ${header.records} records, ${records.length + bad} found`);
    return { ok: true, header, mtime: st.mtimeMs, records, problems };
  } finally {
    await io.run(`closing ${path}`, () => handle.close()).catch(() => undefined);
  }
}
