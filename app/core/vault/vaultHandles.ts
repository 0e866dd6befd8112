import type Database from 'better-sqlite3-multiple-ciphers';

declare const readable: unique symbol;
declare const writable: unique symbol;

/**
 * A connection that code may read through. On its own (not also a WriteConnection) it was opened
 * read-only: SQLite itself refuses writes on it (SQLITE_OPEN_READONLY and `query_only`), so a
 * function that is handed one cannot change the vault, whatever it tries.
 */
export type ReadConnection = Database.Database & { readonly [readable]: true };

/**
 * The vault writer's connection. It can read as well (every write reads first), so it may be
 * passed where a ReadConnection is asked for; a ReadConnection can never be passed where this is.
 */
export type WriteConnection = ReadConnection & { readonly [writable]: true };

/** Marks a connection opened for writing (the vault writer, the maintenance worker's). */
export const asWriteConnection = (db: Database.Database): WriteConnection => db as WriteConnection;

/** Marks a connection opened read-only; `query_only` makes SQLite refuse writes even on a writable file. */
export function asReadConnection(db: Database.Database): ReadConnection {
  if (!db.readonly) throw new Error('a read connection must be opened read-only');
  db.pragma('query_only = ON');
  return db as ReadConnection;
}
