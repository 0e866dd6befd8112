import type Database from 'better-sqlite3-multiple-ciphers';

/** A numbered schema step. It runs inside the migration transaction and must not commit. */
export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}
