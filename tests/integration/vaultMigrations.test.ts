import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, migrate, schemaVersion } from '../../app/core/vault/migrations/index.ts';
import { cleanupTempDirs, openRawVaultDb, openTestVault, tempDir } from '../fixtures/vault/vaultTestKit.ts';

afterAll(cleanupTempDirs);

type SchemaRow = { type: string; name: string; tbl_name: string };
const schemaOf = (db: Database.Database): SchemaRow[] =>
  db.prepare<[], SchemaRow>("SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all();
const names = (db: Database.Database, type: string): string[] => schemaOf(db).filter((r) => r.type === type).map((r) => r.name);
const ftsConfig = (db: Database.Database): Record<string, unknown> =>
  Object.fromEntries(db.prepare<[], { k: string; v: unknown }>('SELECT k, v FROM drafts_fts_config').all().map((r) => [r.k, r.v]));
/** Every term the FTS index holds, with its document count: what a byte search could find. */
function indexedTerms(db: Database.Database): Record<string, number> {
  db.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab USING fts5vocab(main, 'drafts_fts', 'row')");
  return Object.fromEntries(db.prepare<[], { term: string; doc: number }>('SELECT term, doc FROM temp.vocab').all().map((r) => [r.term, r.doc]));
}

/** A new, empty, encrypted database file (what the vault migrates from on first open). */
function emptyEncryptedDb(): Database.Database {
  const db = openRawVaultDb(join(tempDir(), 'vault.db'));
  db.pragma('journal_mode = WAL');
  return db;
}

describe('schema migrations', () => {
  it('are numbered 1, 2, … in order, and LATEST is the last', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(LATEST_SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('0001 (from an empty database): drafts, revisions, FTS5 index with its triggers, audit, incidents', () => {
    const db = emptyEncryptedDb();
    expect(schemaVersion(db)).toBe(0);
    db.transaction(() => migrate(db, 1)).immediate();
    expect(schemaVersion(db)).toBe(1);
    expect(names(db, 'table')).toEqual(expect.arrayContaining(['audit', 'drafts', 'drafts_fts', 'incidents', 'revisions']));
    expect(names(db, 'trigger')).toEqual(['drafts_fts_delete', 'drafts_fts_insert', 'drafts_fts_update']);
    expect(names(db, 'index')).toEqual(expect.arrayContaining(['audit_at', 'drafts_updated', 'incidents_started', 'revisions_at']));
    const draftCols = db.prepare<[], { name: string }>('PRAGMA table_info(drafts)').all().map((c) => c.name);
    expect(draftCols).toEqual(['rowid', 'id', 'client_profile', 'patient_ref', 'title', 'body', 'created_at', 'updated_at', 'state', 'pinned', 'revision_count', 'last_revision_seq', 'pending_changes']);
    // The triggers keep the index in step with the drafts table.
    db.prepare("INSERT INTO drafts (id, title, body, created_at, updated_at) VALUES ('a', 'Title words', 'body words', 0, 0)").run();
    expect(db.prepare("SELECT rowid FROM drafts_fts WHERE drafts_fts MATCH 'body'").all()).toHaveLength(1);
    db.prepare("UPDATE drafts SET body = 'changed text' WHERE id = 'a'").run();
    expect(db.prepare("SELECT rowid FROM drafts_fts WHERE drafts_fts MATCH 'body'").all()).toHaveLength(0);
    expect(db.prepare("SELECT rowid FROM drafts_fts WHERE drafts_fts MATCH 'changed'").all()).toHaveLength(1);
    // Revisions cascade with their draft; the CHECKs hold.
    db.pragma('foreign_keys = ON');
    db.prepare("INSERT INTO revisions (draft_rowid, seq, at, reason, body) VALUES (1, 1, 0, 'typing', 'x')").run();
    expect(() => db.prepare("INSERT INTO revisions (draft_rowid, seq, at, reason, body) VALUES (1, 2, 0, 'whim', 'x')").run()).toThrow(/CHECK/);
    expect(() => db.prepare("UPDATE drafts SET state = 'lost' WHERE id = 'a'").run()).toThrow(/CHECK/);
    db.prepare("DELETE FROM drafts WHERE id = 'a'").run();
    expect(db.prepare('SELECT count(*) AS n FROM revisions').get()).toEqual({ n: 0 });
    expect(indexedTerms(db)).toEqual({});
    db.close();
  });

  it('0002 (from the 0001 schema): turns FTS5 secure-delete off and drops the index entries it left behind', () => {
    const db = emptyEncryptedDb();
    db.transaction(() => migrate(db, 1)).immediate();
    expect(ftsConfig(db)['secure-delete']).toBe(1);
    // Autosave-style rewrites of one draft under 0001, then its deletion: FTS5 secure-delete
    // leaves stale entries behind (the bug 0002 exists for).
    db.prepare("INSERT INTO drafts (id, title, body, created_at, updated_at) VALUES ('gone', 'Visit', 'Old note', 0, 0)").run();
    db.prepare("INSERT INTO drafts (id, title, body, created_at, updated_at) VALUES ('kept', 'Kept', 'kept words', 0, 0)").run();
    const update = db.prepare("UPDATE drafts SET body = ? WHERE id = 'gone'");
    for (let i = 1; i <= 40; i++) update.run(`Old note about xylophagy. ${`xylophagy follow-up line ${i}. `.repeat(i * 5)}`);
    db.prepare("DELETE FROM drafts WHERE id = 'gone'").run();
    expect(indexedTerms(db)).toHaveProperty('xylophagy');

    db.transaction(() => migrate(db, 2)).immediate();
    expect(schemaVersion(db)).toBe(2);
    expect(ftsConfig(db)['secure-delete']).toBe(0);
    expect(indexedTerms(db)).toEqual({ kept: 1, words: 1 });
    expect(db.prepare("SELECT d.id FROM drafts_fts JOIN drafts d ON d.rowid = drafts_fts.rowid WHERE drafts_fts MATCH 'kept'").all()).toEqual([{ id: 'kept' }]);
    // From now on deletes are exact, even after the same rewrite pattern.
    db.prepare("INSERT INTO drafts (id, title, body, created_at, updated_at) VALUES ('gone2', 'Visit', 'Old note', 0, 0)").run();
    for (let i = 1; i <= 40; i++) db.prepare("UPDATE drafts SET body = ? WHERE id = 'gone2'").run(`Old note about xylophagy. ${`xylophagy follow-up line ${i}. `.repeat(i * 5)}`);
    db.prepare("DELETE FROM drafts WHERE id = 'gone2'").run();
    expect(indexedTerms(db)).toEqual({ kept: 1, words: 1 });
    db.close();
  });

  it('0003 (from the 0002 schema): revisions move to a rowid table with the same rows, key, cascade and CHECK', () => {
    const db = emptyEncryptedDb();
    db.pragma('foreign_keys = ON');
    db.transaction(() => migrate(db, 2)).immediate();
    const tableSql = (): string => db.prepare<[], { sql: string }>("SELECT sql FROM sqlite_master WHERE name = 'revisions'").get()!.sql;
    expect(tableSql()).toMatch(/WITHOUT ROWID/);
    db.prepare("INSERT INTO drafts (id, body, created_at, updated_at) VALUES ('a', 'x', 0, 0), ('b', 'y', 0, 0)").run();
    const bodies = ['short', 'x'.repeat(1500), 'with\u0000nul and emoji 🙂', 'y'.repeat(20_000)];
    const insert = db.prepare('INSERT INTO revisions (draft_rowid, seq, at, reason, body) VALUES (?, ?, ?, ?, ?)');
    bodies.forEach((body, i) => insert.run(1, i + 1, 1000 + i, i % 2 ? 'blur' : 'typing', body));
    insert.run(2, 1, 5000, 'pre-crash', 'other draft');
    const before = db.prepare('SELECT draft_rowid, seq, at, reason, body FROM revisions ORDER BY draft_rowid, seq').all();

    db.transaction(() => migrate(db, 3)).immediate();
    expect(schemaVersion(db)).toBe(3);
    expect(tableSql()).not.toMatch(/WITHOUT ROWID/);
    expect(db.prepare('SELECT draft_rowid, seq, at, reason, body FROM revisions ORDER BY draft_rowid, seq').all()).toEqual(before);
    const indexes = db.prepare<[], { name: string; unique: number; origin: string }>("PRAGMA index_list('revisions')").all();
    expect(indexes.map((i) => [i.name, i.unique, i.origin]).sort()).toEqual([['revisions_at', 0, 'c'], ['sqlite_autoindex_revisions_1', 1, 'pk']]);
    expect(() => insert.run(1, 1, 0, 'typing', 'duplicate key')).toThrow(/UNIQUE/);
    expect(() => insert.run(1, 9, 0, 'whim', 'bad reason')).toThrow(/CHECK/);
    expect(() => insert.run(99, 1, 0, 'typing', 'no such draft')).toThrow(/FOREIGN KEY/);
    db.prepare("DELETE FROM drafts WHERE id = 'a'").run();
    expect(db.prepare('SELECT draft_rowid, seq FROM revisions').all()).toEqual([{ draft_rowid: 2, seq: 1 }]);
    // The lookup by (draft, seq) uses the key's index, not a scan.
    const plan = db.prepare<[], { detail: string }>('EXPLAIN QUERY PLAN SELECT body FROM revisions WHERE draft_rowid = 2 AND seq = 1').all();
    expect(plan.map((p) => p.detail).join()).toMatch(/USING INDEX sqlite_autoindex_revisions_1/);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('0004 (from the 0003 schema): a partial index finds the drafts with unrevisioned text without a scan', () => {
    const db = emptyEncryptedDb();
    db.transaction(() => migrate(db, 3)).immediate();
    const pendingQuery = "SELECT * FROM drafts WHERE pending_changes > 0 AND state <> 'discarded'";
    const plan = (): string => db.prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN ${pendingQuery}`).all().map((p) => p.detail).join();
    expect(plan()).toMatch(/^SCAN drafts$/);
    const insert = db.prepare('INSERT INTO drafts (id, body, created_at, updated_at, pending_changes, state) VALUES (?, ?, 0, 0, ?, ?)');
    for (let i = 0; i < 200; i++) insert.run(`d${i}`, 'text', i % 50 === 0 ? 3 : 0, i === 100 ? 'discarded' : 'open');
    db.transaction(() => migrate(db, 4)).immediate();
    expect(schemaVersion(db)).toBe(4);
    expect(plan()).toMatch(/USING INDEX drafts_pending/);
    expect(db.prepare<[], { id: string }>(pendingQuery).all().map((r) => r.id)).toEqual(['d0', 'd50', 'd150']);
    db.close();
  });

  it('0005 (from the 0004 schema): drafts get an origin, revisions accept clipboard, a capture salt is made once', () => {
    const db = emptyEncryptedDb();
    db.transaction(() => migrate(db, 4)).immediate();
    db.prepare("INSERT INTO drafts (id, title, body, created_at, updated_at, revision_count, last_revision_seq) VALUES ('n', 'Note', 'typed before 0005', 5, 5, 2, 2)").run();
    db.prepare("INSERT INTO revisions (draft_rowid, seq, at, reason, body) VALUES (1, 1, 1, 'typing', 'typed'), (1, 2, 5, 'pre-crash', 'typed before 0005')").run();
    expect(() => db.prepare("INSERT INTO revisions (draft_rowid, seq, at, reason, body) VALUES (1, 3, 6, 'clipboard', 'x')").run()).toThrow(/CHECK/);
    db.transaction(() => migrate(db, 5)).immediate();
    expect(schemaVersion(db)).toBe(5);
    expect(db.prepare('SELECT id, origin FROM drafts').all()).toEqual([{ id: 'n', origin: 'note' }]);
    expect(db.prepare('SELECT seq, at, reason, body FROM revisions ORDER BY seq').all()).toEqual([
      { seq: 1, at: 1, reason: 'typing', body: 'typed' },
      { seq: 2, at: 5, reason: 'pre-crash', body: 'typed before 0005' },
    ]);
    db.prepare("INSERT INTO revisions (draft_rowid, seq, at, reason, body) VALUES (1, 3, 6, 'clipboard', 'copied')").run();
    expect(() => db.prepare("UPDATE drafts SET origin = 'telepathy' WHERE id = 'n'").run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO revisions (draft_rowid, seq, at, reason, body) VALUES (1, 4, 7, 'whim', 'x')").run()).toThrow(/CHECK/);
    const salt = db.prepare<[], { value: Buffer }>("SELECT value FROM vault_meta WHERE key = 'capture-salt'").get()!.value;
    expect(salt).toBeInstanceOf(Buffer);
    expect(salt.length).toBe(32);
    expect(names(db, 'index')).toEqual(expect.arrayContaining(['revisions_at', 'drafts_pending']));
    db.pragma('foreign_keys = ON');
    db.prepare("DELETE FROM drafts WHERE id = 'n'").run();
    expect(db.prepare('SELECT count(*) AS n FROM revisions').get()).toEqual({ n: 0 });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('Vault.open migrates an older vault in place, keeping its drafts', () => {
    const dir = tempDir();
    const raw = openRawVaultDb(join(dir, 'vault.db'));
    raw.pragma('journal_mode = WAL');
    raw.transaction(() => migrate(raw, 1)).immediate();
    raw.prepare("INSERT INTO drafts (id, title, body, created_at, updated_at, revision_count, last_revision_seq) VALUES ('old', 'From v1', 'written under schema 1', 0, 0, 1, 1)").run();
    raw.prepare("INSERT INTO revisions (draft_rowid, seq, at, reason, body) VALUES (1, 1, 0, 'blur', 'written under schema 1')").run();
    raw.close();
    const vault = openTestVault(dir);
    expect(vault.show('old')).toMatchObject({ title: 'From v1', body: 'written under schema 1', revision: 1 });
    expect(vault.search('schema').map((d) => d.id)).toEqual(['old']);
    vault.close();
    const check = openRawVaultDb(join(dir, 'vault.db'));
    expect(schemaVersion(check)).toBe(LATEST_SCHEMA_VERSION);
    check.close();
  });

  it('reopening is idempotent: same schema, same data, same version', () => {
    const dir = tempDir();
    let vault = openTestVault(dir);
    vault.save({ id: 'n', body: 'hello', reason: 'blur' });
    vault.close();
    const raw1 = openRawVaultDb(join(dir, 'vault.db'));
    const schema1 = schemaOf(raw1);
    raw1.close();
    for (let i = 0; i < 3; i++) {
      vault = openTestVault(dir);
      expect(vault.show('n').body).toBe('hello');
      expect(vault.integrityCheck()).toEqual(['ok']);
      vault.close();
    }
    const raw2 = openRawVaultDb(join(dir, 'vault.db'));
    expect(schemaOf(raw2)).toEqual(schema1);
    expect(schemaVersion(raw2)).toBe(LATEST_SCHEMA_VERSION);
    raw2.close();
  });

  it('several processes opening the same brand-new vault at once all succeed (key file and migration made once)', async () => {
    const CHILD = join(import.meta.dirname, '..', 'fixtures', 'vault', 'openConcurrently.ts');
    const env = { ...process.env };
    delete env.LIFEBOAT_VAULT_KEY; // the headless key file path: the racy one
    const children: ChildProcess[] = [];
    const outputs: string[][] = [];
    const waiters: Array<() => void> = [];
    for (let c = 0; c < 3; c++) {
      const child = spawn(process.execPath, [CHILD], { env, stdio: ['pipe', 'pipe', 'inherit'] });
      children.push(child);
      outputs.push([]);
      let partial = '';
      child.stdout!.setEncoding('utf8');
      child.stdout!.on('data', (chunk: string) => {
        const parts = (partial + chunk).split('\n');
        partial = parts.pop()!;
        outputs[c]!.push(...parts);
        for (const wake of waiters.splice(0)) wake();
      });
    }
    const linesFrom = (c: number, n: number): Promise<string[]> =>
      new Promise((resolve) => {
        const check = (): void => {
          if (outputs[c]!.length >= n) resolve(outputs[c]!.slice(0, n));
          else waiters.push(check);
        };
        check();
      });
    try {
      await Promise.all(children.map((_, c) => linesFrom(c, 1)));
      const trials = 12;
      const dirs: string[] = [];
      for (let t = 0; t < trials; t++) {
        const dir = join(tempDir(), 'vault');
        dirs.push(dir);
        // All children get the same fresh directory at the same moment.
        children.forEach((child, c) => child.stdin!.write(`${dir} p${c}\n`));
        await Promise.all(children.map((_, c) => linesFrom(c, t + 2)));
      }
      for (let c = 0; c < children.length; c++) {
        const results = outputs[c]!.slice(1).map((l) => JSON.parse(l) as { ok: boolean; error?: string; revision?: number });
        expect(results.filter((r) => !r.ok)).toEqual([]);
        expect(results.every((r) => r.revision === 1)).toBe(true);
      }
      for (const dir of dirs) {
        expect(readFileSync(join(dir, 'vault.key'), 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
        expect(existsSync(join(dir, 'vault.meta.json'))).toBe(true);
        const key = Buffer.from(readFileSync(join(dir, 'vault.key'), 'utf8').trim(), 'hex');
        const vault = openTestVault(dir, { key });
        expect(vault.list().map((d) => d.id).sort()).toEqual(['p0', 'p1', 'p2']);
        expect(vault.integrityCheck()).toEqual(['ok']);
        vault.close();
      }
    } finally {
      for (const child of children) child.stdin!.end();
    }
  });
});
