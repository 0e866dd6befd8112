import Database from 'better-sqlite3-multiple-ciphers';

/**
 * The baseline a vault search is measured against in the same run: a bare FTS5 `MATCH` on the
 * same encrypted file (a second, read-only connection with the same cipher and key), the same
 * FTS expression, first 50 rowids, no ranking and no join. What it costs is SQLite's and the
 * cipher's; what a search costs beyond it is Lifeboat's (bm25 ranking over every hit, the join
 * to drafts, the summaries).
 */
export function bareFtsMatch(path: string, key: Buffer): { match(ftsQuery: string): number; close(): void } {
  const db = new Database(path, { readonly: true });
  db.pragma(`cipher = 'sqlcipher'`);
  db.pragma('legacy = 4');
  db.pragma(`key = "x'${key.toString('hex')}'"`);
  const statement = db.prepare<[string], { rowid: number }>('SELECT rowid FROM drafts_fts WHERE drafts_fts MATCH ? LIMIT 50');
  return { match: (ftsQuery) => statement.all(ftsQuery).length, close: () => db.close() };
}
