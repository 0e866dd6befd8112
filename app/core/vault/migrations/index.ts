import type Database from 'better-sqlite3-multiple-ciphers';
import type { Migration } from './types.ts';
import { migration0001 } from './0001-initial.ts';
import { migration0002 } from './0002-fts-delete-markers.ts';
import { migration0003 } from './0003-revisions-rowid-table.ts';
import { migration0004 } from './0004-drafts-pending-index.ts';
import { migration0005 } from './0005-captured-drafts.ts';

/** Every schema step, in order. Append; never edit a released one. */
export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004, migration0005];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies the steps above `from` up to `to`, all in the caller's transaction. */
export function migrate(db: Database.Database, to: number = LATEST_SCHEMA_VERSION): number {
  let version = schemaVersion(db);
  for (const step of MIGRATIONS) {
    if (step.version <= version || step.version > to) continue;
    step.up(db);
    db.pragma(`user_version = ${step.version}`);
    version = step.version;
  }
  return version;
}
