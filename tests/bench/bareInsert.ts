import Database from 'better-sqlite3-multiple-ciphers';

/**
 * The baseline a vault save is measured against in the same run: a bare INSERT of the same body
 * into a plain table, same cipher and key handling, WAL, synchronous=FULL, a real file. What it
 * costs is the machine's (disk, fsync, cipher); what a save costs beyond it is Lifeboat's.
 */
export function bareEncryptedInsert(path: string, key: Buffer): { insert(body: string): void; close(): void } {
  const db = new Database(path);
  db.pragma(`cipher = 'sqlcipher'`);
  db.pragma('legacy = 4');
  db.pragma(`key = "x'${key.toString('hex')}'"`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const statement = db.prepare('INSERT INTO notes (body) VALUES (?)');
  return { insert: (body) => void statement.run(body), close: () => db.close() };
}
