import { chmodSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import type { Clock } from '../../common/clock.ts';
import { keyFingerprint, type VaultKeySource } from './vaultKey.ts';
import { LATEST_SCHEMA_VERSION, migrate, schemaVersion } from './migrations/index.ts';
import { databaseExists, ensureVaultDir, inspectDatabaseFile, moveAside, readVaultMeta, vaultPaths, writeVaultMeta, type VaultPaths } from './vaultFiles.ts';
import { sqliteCode, translateSqliteError } from './sqliteErrors.ts';
import { VaultCorruptError, VaultKeyMismatchError, VaultTooNewError } from './vaultErrors.ts';

export interface OpenVaultOptions {
  dir: string;
  keySource: VaultKeySource;
  clock: Clock;
  /** How long a write waits for another process's lock before "vault busy". */
  busyTimeoutMs?: number;
  /** Caps the vault file; reaching it behaves exactly like a full disk. */
  maxSizeBytes?: number;
  readonly?: boolean;
  /**
   * May a database that fails to open with a proven key be moved aside for a fresh one? Only
   * the process that will write the vault (the service, `drafts save`); reading commands report
   * and leave everything where it is. Default true.
   */
  moveAsideCorrupt?: boolean;
  /**
   * false: this connection never checkpoints the WAL when it commits (SQLite's default is every
   * 1000 pages, inside whichever save crosses the mark: 34 ms on a typing GP's save). The running
   * service turns it off and checkpoints from its maintenance worker when typing pauses.
   */
  walAutoCheckpoint?: boolean;
}

export interface OpenedDatabase {
  db: Database.Database;
  paths: VaultPaths;
  busyTimeoutMs: number;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 5000;
const PAGE_SIZE = 4096;

function applyKey(db: Database.Database, key: Buffer): void {
  // SQLCipher v4 format, so IT can open a vault with standard SQLCipher tools and the key.
  // The key is 256 random bits, so it is used raw: no passphrase KDF to slow every open.
  db.pragma(`cipher = 'sqlcipher'`);
  db.pragma('legacy = 4');
  db.pragma(`key = "x'${key.toString('hex')}'"`);
  keepTemporaryDataInMemory(db);
}

/**
 * sqlite3mc encrypts the database and its WAL but not SQLite's temporary files, and this build
 * keeps them on disk by default: a large UPDATE or DELETE would write the old note text in
 * plaintext to $TMPDIR/etilqs_* (statement journals, sorter spills). In memory they stay inside
 * this process. Checked, not assumed: a build compiled with SQLITE_TEMP_STORE=0 ignores the pragma.
 */
function keepTemporaryDataInMemory(db: Database.Database): void {
  db.pragma('temp_store = MEMORY');
  const mode = db.pragma('temp_store', { simple: true });
  if (mode !== 2) throw new Error(`SQLite refused temp_store = MEMORY (it reads back ${String(mode)}); Lifeboat will not open the vault where note text could reach temporary files`);
}

/**
 * Another process created the vault file between our look at the directory and our first read:
 * our connection began on an empty file, so it cannot read the other process's first page
 * (its salt). Not an error of the vault: open again, now as an existing vault.
 */
class LostCreationRace extends Error {}

const CREATION_RACE_ATTEMPTS = 5;

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Switching a new database to WAL needs an exclusive lock, and SQLite answers SQLITE_BUSY at
 * once instead of calling the busy handler (seen when processes open a new vault together),
 * so wait here as a write would. Once the file is in WAL mode this is a no-op.
 */
function enableWal(db: Database.Database, busyTimeoutMs: number): void {
  const deadline = performance.now() + busyTimeoutMs;
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (err) {
      if (!sqliteCode(err).startsWith('SQLITE_BUSY') || performance.now() >= deadline) throw err;
      sleepSync(5);
    }
  }
}

/**
 * Opens (or creates) the encrypted vault database and brings its schema up to date.
 * It never overwrites or recreates an existing file it cannot open: a wrong key is an error,
 * and a file that is provably not a vault is moved aside, never deleted.
 */
export function openVaultDatabase(options: OpenVaultOptions): OpenedDatabase {
  for (let attempt = 1; ; attempt++) {
    try {
      return openOnce(options, attempt === CREATION_RACE_ATTEMPTS);
    } catch (err) {
      if (!(err instanceof LostCreationRace)) throw err;
      sleepSync(10 * attempt);
    }
  }
}

function openOnce(options: OpenVaultOptions, lastAttempt: boolean): OpenedDatabase {
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  const paths = vaultPaths(options.dir);
  ensureVaultDir(paths.dir);
  const existed = databaseExists(paths.db);
  const key = options.keySource.load(!existed);
  const keyId = keyFingerprint(key);
  const meta = readVaultMeta(paths.meta);

  // The meta file is a hint, not an authority: it holds the fingerprint of the key the vault was
  // last opened with. A damaged file is moved aside only when that hint proves this key is the
  // right one (otherwise the likelier story is a wrong key, and moving would hide the vault).
  const keyProven = meta !== null && meta.keyId === keyId;
  const mayMove = options.moveAsideCorrupt !== false && !options.readonly;
  const unreadable = (cause?: unknown): VaultCorruptError => {
    if (keyProven && mayMove) return new VaultCorruptError(paths.db, moveAside(paths.db, new Date(options.clock.now())), { cause });
    return new VaultCorruptError(paths.db, null, { cause, why: keyProven ? 'a reading command moves nothing' : 'nothing proves this key is the vault\'s key' });
  };

  if (existed) {
    const file = inspectDatabaseFile(paths.db);
    // A plaintext SQLite file or a size no SQLite page layout produces cannot be an encrypted vault.
    if (file.plaintextSqlite || !file.pageAligned) throw unreadable();
  }

  let db: Database.Database;
  try {
    db = new Database(paths.db, { timeout: busyTimeoutMs, readonly: options.readonly ?? false });
  } catch (err) {
    throw translateSqliteError(err, paths.db, busyTimeoutMs);
  }
  try {
    // The text is encrypted, but the file is still nobody else's business.
    if (!existed && process.platform !== 'win32') chmodSync(paths.db, 0o600);
    applyKey(db, key);
    try {
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch (err) {
      const code = sqliteCode(err);
      if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
        db.close();
        if (!existed && !lastAttempt) throw new LostCreationRace();
        // Only the key fingerprint proves the key is right; without it, assume the key is wrong
        // and leave the file alone rather than move a good vault aside.
        if (keyProven) throw unreadable(err);
        throw new VaultKeyMismatchError(paths.db);
      }
      throw err;
    }
    // Before anything that could write (journal_mode = WAL rewrites a rollback-mode header):
    // a vault from a newer Lifeboat must be left exactly as it is.
    const found = schemaVersion(db);
    if (found > LATEST_SCHEMA_VERSION) throw new VaultTooNewError(paths.db, found, LATEST_SCHEMA_VERSION);
    if (!options.readonly) {
      enableWal(db, busyTimeoutMs);
      db.pragma('synchronous = FULL');
      if (options.walAutoCheckpoint === false) db.pragma('wal_autocheckpoint = 0');
    }
    db.pragma('secure_delete = ON');
    db.pragma('foreign_keys = ON');
    if (options.maxSizeBytes !== undefined) db.pragma(`max_page_count = ${Math.max(8, Math.floor(options.maxSizeBytes / PAGE_SIZE))}`);

    if (found < LATEST_SCHEMA_VERSION && !options.readonly) {
      // IMMEDIATE takes the write lock first, so two processes opening a new vault migrate once.
      db.transaction(() => migrate(db)).immediate();
    }
    if (!meta || meta.keyId !== keyId) {
      if (!options.readonly) writeVaultMeta(paths.meta, { format: 'lifeboat-vault', keyId, createdAt: new Date(options.clock.now()).toISOString() });
    }
    return { db, paths, busyTimeoutMs };
  } catch (err) {
    if (db.open) db.close();
    // The file was empty when we opened it and is now unreadable to this connection: another
    // process initialised it first (see LostCreationRace). Nothing was written by us.
    const code = sqliteCode(err);
    if (!existed && !lastAttempt && (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT'))) throw new LostCreationRace();
    throw translateSqliteError(err, paths.db, busyTimeoutMs);
  }
}
