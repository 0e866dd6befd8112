import { createHash } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

/**
 * Which file is this, whatever it is called now? A log's identity is its file id (dev + inode;
 * on Windows the volume serial + file index that fs.stat reports with bigint: true) plus a
 * fingerprint of its first bytes. The id follows a file renamed away by rotation
 * (app.log -> app.log.1); the fingerprint catches what the id cannot: an inode reused by a new
 * file, or a file truncated and rewritten past our offset between two looks (copytruncate).
 *
 * How the tailer reads the cases:
 * - rotation by rename + create: the path now has a new id; the old id is found under its new
 *   name and read to its end before the new file is read from 0.
 * - copytruncate / truncation: same id, size below our offset (or head changed): start again at 0.
 * - file systems without file ids (ino 0, some network shares): the id is the path, so only
 *   the fingerprint and size can tell a rotation, and a renamed-away tail cannot be followed.
 */

/** Enough to tell two log files apart by their first lines (timestamps differ) and cheap to read. */
export const HEAD_FINGERPRINT_BYTES = 1024;

export interface FileIdentity {
  /** "dev:ino", or "path:<path>" where the file system reports no file id. */
  key: string;
  /** sha256 (hex) of the first headLength bytes. */
  headHash: string;
  /** Bytes hashed: HEAD_FINGERPRINT_BYTES, or fewer while the file was shorter. */
  headLength: number;
}

export function identityKey(stats: BigIntStats, path: string): string {
  return stats.ino === 0n ? `path:${path}` : `${stats.dev}:${stats.ino}`;
}

export async function readHead(handle: FileHandle, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

export function hashHead(head: Uint8Array): string {
  return createHash('sha256').update(head).digest('hex');
}

/** The identity of an open file of `size` bytes. */
export async function readIdentity(handle: FileHandle, stats: BigIntStats, path: string): Promise<FileIdentity> {
  const head = await readHead(handle, Math.min(HEAD_FINGERPRINT_BYTES, Number(stats.size)));
  return { key: identityKey(stats, path), headHash: hashHead(head), headLength: head.length };
}

/** Whether the file still begins with the bytes that were fingerprinted. */
export async function headStillMatches(handle: FileHandle, identity: FileIdentity, size: number): Promise<boolean> {
  if (size < identity.headLength) return false;
  const head = await readHead(handle, identity.headLength);
  return head.length === identity.headLength && hashHead(head) === identity.headHash;
}

/** A file fingerprinted while short should be fingerprinted again once it has grown. */
export function fingerprintCanGrow(identity: FileIdentity, size: number): boolean {
  return identity.headLength < HEAD_FINGERPRINT_BYTES && size > identity.headLength;
}

export type FileChange = 'unchanged' | 'grown' | 'truncated' | 'replaced';

/**
 * What happened to a file (same id) since we read up to `readOffset`:
 * truncated — it is now shorter than what we read (truncation, copytruncate);
 * replaced — long enough, but its first bytes changed (truncated and rewritten past our offset
 *            between two looks, or a new file that reused the inode);
 * grown / unchanged — carry on from readOffset.
 */
export function classifyChange(readOffset: number, size: number, headMatches: boolean): FileChange {
  if (size < readOffset) return 'truncated';
  if (!headMatches) return 'replaced';
  return size > readOffset ? 'grown' : 'unchanged';
}
