import type { Migration } from './types.ts';

/**
 * Drafts captured from the clinical client's own editor and copied from it (issue 7).
 *
 * - drafts.origin: where the text came from: the note window ('note'), the client's focused
 *   control ('capture') or the clipboard journal ('clipboard').
 * - revisions.reason gains 'clipboard' (each copy is kept as a revision). SQLite cannot alter a
 *   CHECK constraint, so the table is rebuilt as 0003 did, same columns, same keys.
 * - vault_meta holds the salt for window-title hashes: captured drafts are attributed by a salted
 *   hash of the title (which may name the patient), and the salt never leaves the encrypted file.
 */
export const migration0005: Migration = {
  version: 5,
  name: 'captured-drafts',
  up(db) {
    db.exec(`
      ALTER TABLE drafts ADD COLUMN origin TEXT NOT NULL DEFAULT 'note'
        CHECK (origin IN ('note', 'capture', 'clipboard'));

      CREATE TABLE revisions_v5 (
        draft_rowid INTEGER NOT NULL REFERENCES drafts (rowid) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        at INTEGER NOT NULL,
        reason TEXT NOT NULL CHECK (reason IN ('typing', 'pause', 'blur', 'shutdown', 'pre-crash', 'clipboard')),
        body TEXT NOT NULL,
        PRIMARY KEY (draft_rowid, seq)
      );
      INSERT INTO revisions_v5 (draft_rowid, seq, at, reason, body)
        SELECT draft_rowid, seq, at, reason, body FROM revisions ORDER BY draft_rowid, seq;
      DROP TABLE revisions;
      ALTER TABLE revisions_v5 RENAME TO revisions;
      CREATE INDEX revisions_at ON revisions (at);

      CREATE TABLE vault_meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
      INSERT INTO vault_meta (key, value) VALUES ('capture-salt', randomblob(32));
    `);
  },
};
