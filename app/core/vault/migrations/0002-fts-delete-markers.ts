import type { Migration } from './types.ts';

/**
 * Turns FTS5 'secure-delete' off and rebuilds the index.
 *
 * 0001 relied on FTS5 secure-delete to remove a deleted draft's tokens in place. The SQLite
 * bundled with better-sqlite3-multiple-ciphers silently leaves some entries behind when a
 * draft is rewritten many times (typical autosave) with frequently repeated words: a newer
 * version hides them until the draft is deleted, and then the purged text is still in the
 * file (found by tests/integration/vaultPurge.test.ts). Plain FTS5 deletes (delete markers,
 * dropped when segments merge) are exact; the purge merges every segment ('optimize') so a
 * purged draft's tokens are really gone, and page-level secure_delete zeroes the freed pages.
 * The rebuild drops any entries 0001 left behind.
 */
export const migration0002: Migration = {
  version: 2,
  name: 'fts-delete-markers',
  up(db) {
    db.exec(`
      INSERT INTO drafts_fts (drafts_fts, rank) VALUES ('secure-delete', 0);
      INSERT INTO drafts_fts (drafts_fts) VALUES ('rebuild');
    `);
  },
};
