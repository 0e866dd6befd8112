import type { Migration } from './types.ts';

/**
 * Drafts with their current body, coalesced revisions, an FTS5 index over title and body,
 * an audit trail that never holds text, and the incidents the watcher records.
 * Times are integer milliseconds since the epoch (UTC).
 */
export const migration0001: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE drafts (
        rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        client_profile TEXT,
        patient_ref TEXT,
        title TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        state TEXT NOT NULL DEFAULT 'open'
          CHECK (state IN ('open', 'saved-in-client', 'discarded', 'recovered')),
        pinned INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
        revision_count INTEGER NOT NULL DEFAULT 0,
        last_revision_seq INTEGER NOT NULL DEFAULT 0,
        -- characters changed since the newest revision: drives size-step coalescing
        pending_changes INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX drafts_updated ON drafts (updated_at DESC);

      CREATE TABLE revisions (
        draft_rowid INTEGER NOT NULL REFERENCES drafts (rowid) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        at INTEGER NOT NULL,
        reason TEXT NOT NULL CHECK (reason IN ('typing', 'pause', 'blur', 'shutdown', 'pre-crash')),
        body TEXT NOT NULL,
        PRIMARY KEY (draft_rowid, seq)
      ) WITHOUT ROWID;
      CREATE INDEX revisions_at ON revisions (at);

      CREATE VIRTUAL TABLE drafts_fts USING fts5 (
        title, body, content = 'drafts', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2'
      );
      -- FTS5 secure-delete: removed text leaves no tokens behind in the index.
      INSERT INTO drafts_fts (drafts_fts, rank) VALUES ('secure-delete', 1);

      CREATE TRIGGER drafts_fts_insert AFTER INSERT ON drafts BEGIN
        INSERT INTO drafts_fts (rowid, title, body) VALUES (new.rowid, new.title, new.body);
      END;
      CREATE TRIGGER drafts_fts_delete AFTER DELETE ON drafts BEGIN
        INSERT INTO drafts_fts (drafts_fts, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body);
      END;
      CREATE TRIGGER drafts_fts_update AFTER UPDATE OF title, body ON drafts BEGIN
        INSERT INTO drafts_fts (drafts_fts, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body);
        INSERT INTO drafts_fts (rowid, title, body) VALUES (new.rowid, new.title, new.body);
      END;

      CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('view', 'export', 'purge', 'restore', 'state')),
        draft_id TEXT,
        detail TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX audit_at ON audit (at);

      CREATE TABLE incidents (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('crash', 'hang', 'slow', 'exit')),
        app TEXT NOT NULL,
        profile TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        ended_at INTEGER,
        sources TEXT NOT NULL DEFAULT '[]',
        evidence TEXT NOT NULL DEFAULT '[]',
        signature TEXT
      );
      CREATE INDEX incidents_started ON incidents (started_at);
    `);
  },
};
