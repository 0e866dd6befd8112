import { existsSync, mkdirSync, readFileSync, renameSync, statSync, openSync, readSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomicSync } from '../atomicWrite/atomicWrite.ts';

/** The files of one vault directory. Only the vault module touches them. */
export interface VaultPaths {
  dir: string;
  db: string;
  meta: string;
}

export function vaultPaths(dir: string): VaultPaths {
  return { dir, db: join(dir, 'vault.db'), meta: join(dir, 'vault.meta.json') };
}

export function ensureVaultDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
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
