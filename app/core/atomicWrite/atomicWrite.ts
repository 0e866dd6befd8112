import { randomBytes } from 'node:crypto';
import { closeSync, constants, fchmodSync, fsyncSync, linkSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * The one way Lifeboat writes a file it must never leave half-written or readable by others:
 *
 * 1. a temporary file beside the target (same folder: the rename stays on one volume or share),
 *    named `.tmp-<name>-<random>` so concurrent writers never share one and readers skip it,
 *    created exclusively (`wx`: never an existing file, never through a planted symlink), with
 *    the mode set on the open handle (umask cannot widen or narrow it);
 * 2. every byte written, then fsync;
 * 3. renamed over the target, retried briefly on Windows' EPERM/EBUSY/EACCES (a virus scanner,
 *    the indexer or a reader holding the target without delete sharing);
 * 4. the folder fsync'd, so the rename itself survives a power cut (POSIX; Windows has no
 *    directory handle for it and NTFS journals the rename);
 * 5. on any failure the temporary file is removed: no stray copy of what was being written.
 *
 * write-file-atomic (npm) was considered and not used: its temporary name is predictable and
 * opened with 'w' (follows a symlink planted at that name), the mode is applied by path after
 * the data is written, it neither fsyncs the folder nor retries Windows' transient rename
 * errors, and it registers a process exit handler per write.
 */

/** Readers of a folder that holds atomically written files skip names starting with this. */
export const TEMP_PREFIX = '.tmp-';

export interface AtomicWriteOptions {
  /** POSIX permission bits. Default 0o600: only the user. Files others must read say so. */
  mode?: number;
}

const DEFAULT_MODE = 0o600;
const RENAME_RETRIES = 6;
const RENAME_RETRY_BASE_MS = 20;
const TRANSIENT_RENAME_ERRORS = new Set(['EPERM', 'EBUSY', 'EACCES']);
/** A folder fsync that the file system cannot do (some network shares, FAT) is no write failure. */
const UNSUPPORTED_DIR_SYNC = new Set(['EINVAL', 'ENOTSUP', 'EISDIR', 'EPERM', 'EACCES', 'EBADF']);

const errorCode = (err: unknown): string => (err as NodeJS.ErrnoException | undefined)?.code ?? '';

export function tempPathFor(path: string): string {
  return join(dirname(path), `${TEMP_PREFIX}${basename(path)}-${randomBytes(6).toString('hex')}`);
}

/** `wx` plus, where the platform has it, O_NOFOLLOW: the temporary name is ours alone. */
const EXCLUSIVE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);

const toBytes = (data: string | Uint8Array): Uint8Array => (typeof data === 'string' ? Buffer.from(data, 'utf8') : data);

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Creates `file` exclusively, writes every byte, fsyncs. A file it created and could not finish is removed. */
function writeNewFileSync(file: string, bytes: Uint8Array, mode: number): void {
  const fd = openSync(file, EXCLUSIVE_FLAGS, mode);
  try {
    if (process.platform !== 'win32') fchmodSync(fd, mode);
    for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(file, { force: true });
    throw err;
  }
  closeSync(fd);
}

function syncDirSync(dir: string): void {
  if (process.platform === 'win32') return;
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch (err) {
    if (UNSUPPORTED_DIR_SYNC.has(errorCode(err))) return;
    throw err;
  }
  try {
    fsyncSync(fd);
  } catch (err) {
    if (!UNSUPPORTED_DIR_SYNC.has(errorCode(err))) throw err;
  } finally {
    closeSync(fd);
  }
}

function renameWithRetrySync(from: string, to: string): void {
  for (let attempt = 0; ; attempt++) {
    try {
      renameSync(from, to);
      return;
    } catch (err) {
      if (!TRANSIENT_RENAME_ERRORS.has(errorCode(err)) || attempt >= RENAME_RETRIES || process.platform !== 'win32') throw err;
      sleepSync(RENAME_RETRY_BASE_MS * 2 ** attempt);
    }
  }
}

/** Replaces `path` with `data`: readers see the old content or the new, never a mix. */
export function writeFileAtomicSync(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const tmp = tempPathFor(path);
  try {
    writeNewFileSync(tmp, toBytes(data), options.mode ?? DEFAULT_MODE);
    renameWithRetrySync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  syncDirSync(dirname(path));
}

/** The same, without blocking the event loop (for the watcher side and the share). */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const tmp = tempPathFor(path);
  const mode = options.mode ?? DEFAULT_MODE;
  try {
    const handle = await open(tmp, EXCLUSIVE_FLAGS, mode);
    try {
      if (process.platform !== 'win32') await handle.chmod(mode);
      await handle.writeFile(toBytes(data));
      await handle.sync();
    } finally {
      await handle.close();
    }
    for (let attempt = 0; ; attempt++) {
      try {
        await rename(tmp, path);
        break;
      } catch (err) {
        if (!TRANSIENT_RENAME_ERRORS.has(errorCode(err)) || attempt >= RENAME_RETRIES || process.platform !== 'win32') throw err;
        await new Promise((resolve) => setTimeout(resolve, RENAME_RETRY_BASE_MS * 2 ** attempt));
      }
    }
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
  await syncDirAsync(dirname(path));
}

async function syncDirAsync(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  let handle;
  try {
    handle = await open(dir, 'r');
  } catch (err) {
    if (UNSUPPORTED_DIR_SYNC.has(errorCode(err))) return;
    throw err;
  }
  try {
    await handle.sync();
  } catch (err) {
    if (!UNSUPPORTED_DIR_SYNC.has(errorCode(err))) throw err;
  } finally {
    await handle.close();
  }
}

/**
 * Creates `path` with `data` only if nothing is there yet (a vault key: two processes creating a
 * new vault together must end up with ONE key). The file appears whole or not at all: written
 * and fsync'd under a temporary name, then hard-linked into place (link refuses an existing
 * name). Returns false, writing nothing, when the file already exists.
 */
export function createFileOnceSync(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): boolean {
  const bytes = toBytes(data);
  const mode = options.mode ?? DEFAULT_MODE;
  const tmp = tempPathFor(path);
  let created: boolean;
  try {
    writeNewFileSync(tmp, bytes, mode);
    try {
      linkSync(tmp, path);
      created = true;
    } catch (err) {
      const code = errorCode(err);
      if (code === 'EEXIST') created = false;
      // A file system without hard links (FAT, some shares): an exclusive create is not atomic
      // against a crash, but it never replaces another process's file.
      else if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS') created = writeExclusiveSync(path, bytes, mode);
      else throw err;
    }
  } finally {
    rmSync(tmp, { force: true });
  }
  if (created) syncDirSync(dirname(path));
  return created;
}

function writeExclusiveSync(path: string, bytes: Uint8Array, mode: number): boolean {
  try {
    writeNewFileSync(path, bytes, mode);
    return true;
  } catch (err) {
    if (errorCode(err) === 'EEXIST') return false;
    throw err;
  }
}
