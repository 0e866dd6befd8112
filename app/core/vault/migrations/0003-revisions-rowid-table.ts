import type { Migration } from './types.ts';

/**
 * Stores revisions in a rowid table (same columns, same key, same cascade).
 *
 * 0001 made `revisions` a WITHOUT ROWID table. Such a table keeps whole rows in index-format
 * pages, where a row may hold only ~1 KB before it spills into an overflow page; a 1-3 KB note
 * then leaves most of that overflow page empty. At 1M revisions of 330-1500 characters that
 * was about half of the file unused (measured by tests/bench/vaultScale.bench.ts, dbstat).
 * A rowid table keeps bodies up to ~4 KB inline, and the (draft_rowid, seq) key lives in a
 * small separate index.
 */
export const migration0003: Migration = {
  version: 3,
  name: 'revisions-rowid-table',
  up(db) {
    db.exec(`
      CREATE TABLE revisions_rowid (
        draft_rowid INTEGER NOT NULL REFERENCES drafts (rowid) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        at INTEGER NOT NULL,
        reason TEXT NOT NULL CHECK (reason IN ('typing', 'pause', 'blur', 'shutdown', 'pre-crash')),
        body TEXT NOT NULL,
        PRIMARY KEY (draft_rowid, seq)
      );
      INSERT INTO revisions_rowid (draft_rowid, seq, at, reason, body)
        SELECT draft_rowid, seq, at, reason, body FROM revisions ORDER BY draft_rowid, seq;
      DROP TABLE revisions;
      ALTER TABLE revisions_rowid RENAME TO revisions;
      CREATE INDEX revisions_at ON revisions (at);
    `);
  },
};
