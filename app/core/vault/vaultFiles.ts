import { existsSync, mkdirSync, readFileSync, renameSync, statSync, openSync, readSync, closeSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomicSync } from '../atomicWrite/atomicWrite.ts';
import { VaultNotPrivateError } from './vaultErrors.ts';

/** The files of one vault directory. Only the vault module touches them. */
export interface VaultPaths {
  dir: string;
  db: string;
  meta: string;
}

export function vaultPaths(dir: string): VaultPaths {
  return { dir, db: join(dir, 'vault.db'), meta: join(dir, 'vault.meta.json') };
}

/**
 * Creates the vault folder (0700) and refuses one that another user owns or could write to:
 * whoever can write there can plant a key file for a new vault, or swap the database.
 * POSIX only: on Windows the profile folder's ACL is what keeps other users out.
 */
export function ensureVaultDir(dir: string, platform: NodeJS.Platform = process.platform): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (platform === 'win32') return;
  const st = statSync(dir);
  assertPrivate(st, `the vault folder ${dir}`, `chmod 700 '${dir}'`, { allowOtherReaders: true });
}

export interface OwnerCheck {
  /** The user who must own the file: this process's user unless a test says otherwise. */
  uid?: number;
}

/** Owned by this user and writable by nobody else (nor readable, unless allowOtherReaders). */
export function assertPrivate(st: Stats, what: string, fix: string, options: OwnerCheck & { allowOtherReaders?: boolean } = {}): void {
  const uid = options.uid ?? process.getuid?.();
  if (uid !== undefined && st.uid !== uid) {
    throw new VaultNotPrivateError(`${what} belongs to another user (uid ${st.uid}); Lifeboat will not trust it. Use a folder of your own (--vault) or ask practice IT`);
  }
  const forbidden = options.allowOtherReaders ? 0o022 : 0o077;
  if ((st.mode & forbidden) !== 0) {
    throw new VaultNotPrivateError(`${what} is ${options.allowOtherReaders ? 'writable' : 'readable or writable'} by other users (mode ${(st.mode & 0o777).toString(8)}); Lifeboat will not use it. Run: ${fix}`);
  }
}

/** Non-secret facts kept beside the database so a wrong key can be told apart from a corrupt file. */
const VaultMetaSchema = z.object({ format: z.literal('lifeboat-vault'), keyId: z.string(), createdAt: z.string() });
export type VaultMeta = z.infer<typeof VaultMetaSchema>;

export function readVaultMeta(path: string): VaultMeta | null {
  if (!existsSync(path)) return null;
  try {
    return VaultMetaSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return null;
  }
}

export function writeVaultMeta(path: string, meta: VaultMeta): void {
  writeFileAtomicSync(path, JSON.stringify(meta, null, 2) + '\n');
}

export function databaseExists(path: string): boolean {
  return existsSync(path) && statSync(path).size > 0;
}

const SQLITE_PLAIN_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** What the first bytes and the size say about a vault file, before SQLite is asked. */
export function inspectDatabaseFile(path: string): { plaintextSqlite: boolean; pageAligned: boolean; size: number } {
  const size = statSync(path).size;
  const head = Buffer.alloc(16);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  return { plaintextSqlite: head.equals(SQLITE_PLAIN_HEADER), pageAligned: size >= 512 && size % 512 === 0, size };
}

/**
 * Moves the database and its WAL/SHM aside under a timestamped name; never deletes anything.
 * A name already taken (another file moved aside in the same millisecond, or a clock that
 * stands still) gets a counter, because renaming onto it would destroy that earlier file.
 */
export function moveAside(dbPath: string, now: Date): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const suffixes = ['', '-wal', '-shm'];
  let target = `${dbPath}.corrupt-${stamp}`;
  for (let n = 1; suffixes.some((suffix) => existsSync(target + suffix)); n++) target = `${dbPath}.corrupt-${stamp}-${n}`;
  for (const suffix of suffixes) {
    if (existsSync(dbPath + suffix)) renameSync(dbPath + suffix, target + suffix);
  }
  return target;
}
