import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../app/common/clock.ts';
import { LATEST_SCHEMA_VERSION } from '../../app/core/vault/migrations/index.ts';
import { Vault } from '../../app/core/vault/vault.ts';
import { VaultCorruptError, VaultKeyMismatchError, VaultKeyMissingError, VaultTooNewError } from '../../app/core/vault/vaultErrors.ts';
import { EnvKeySource, KeyFileSource, headlessKeySource, keyFingerprint } from '../../app/core/vault/vaultKey.ts';
import { cleanupTempDirs, openRawVaultDb, openTestVault, OTHER_KEY, runCli, sha256File, tempDir, TEST_KEY, TEST_KEY_HEX } from '../fixtures/vault/vaultTestKit.ts';

afterAll(cleanupTempDirs);

/** Everything a failed open must leave alone: names, bytes and mtimes of every file in the dir. */
function snapshotDir(dir: string): Record<string, { sha: string; mtimeMs: number; size: number }> {
  const out: Record<string, { sha: string; mtimeMs: number; size: number }> = {};
  for (const name of readdirSync(dir).sort()) {
    const st = statSync(join(dir, name));
    out[name] = { sha: sha256File(join(dir, name)), mtimeMs: st.mtimeMs, size: st.size };
  }
  return out;
}

function vaultWithNote(dir: string, body = 'note for fault tests'): string {
  const vault = openTestVault(dir);
  const { id } = vault.save({ body, reason: 'blur' });
  vault.close();
  return id;
}

function expectThrows<T extends Error>(fn: () => unknown, type: new (...args: never[]) => T): T {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(type);
    return err as T;
  }
  throw new Error(`expected ${type.name}, nothing was thrown`);
}

describe('wrong or missing key', () => {
  it('refuses a wrong key with a clear error and leaves every file untouched', () => {
    const dir = tempDir();
    vaultWithNote(dir);
    const before = snapshotDir(dir);
    const err = expectThrows(() => openTestVault(dir, { key: OTHER_KEY }), VaultKeyMismatchError);
    expect(err.message).toMatch(/^the vault key does not open this vault/);
    expect(snapshotDir(dir)).toEqual(before);
  });

  it('refuses a wrong key even without the meta file (the key is tried, nothing is moved aside)', () => {
    const dir = tempDir();
    vaultWithNote(dir);
    const metaPath = join(dir, 'vault.meta.json');
    const meta = readFileSync(metaPath);
    writeFileSync(metaPath, '');
    const before = snapshotDir(dir);
    expectThrows(() => openTestVault(dir, { key: OTHER_KEY }), VaultKeyMismatchError);
    expect(snapshotDir(dir)).toEqual(before);
    // The right key still opens it afterwards, with the note intact.
    writeFileSync(metaPath, meta);
    const vault = openTestVault(dir);
    expect(vault.list()).toHaveLength(1);
    expect(vault.integrityCheck()).toEqual(['ok']);
    vault.close();
  });

  it('refuses a wrong key while a crashed writer left a WAL behind, and keeps that WAL', () => {
    const dir = tempDir();
    const vault = openTestVault(dir);
    vault.save({ body: 'in the WAL only', reason: 'blur' });
    // Simulate a crash: copy the files while the vault is open (the WAL is not checkpointed).
    const crashed = tempDir();
    for (const f of ['vault.db', 'vault.db-wal', 'vault.meta.json']) copyFileSync(join(dir, f), join(crashed, f));
    vault.close();
    const before = snapshotDir(crashed);
    expectThrows(() => openTestVault(crashed, { key: OTHER_KEY }), VaultKeyMismatchError);
    // The key is tried (the meta file is only a hint), and SQLite makes its shared-memory WAL
    // index on open. That index holds no page content, and removing it under another process
    // that has the vault open would be the real harm: it may stay. Everything else is untouched.
    const { 'vault.db-shm': _index, ...after } = snapshotDir(crashed);
    expect(after).toEqual(before);
    const reopened = openTestVault(crashed);
    expect(reopened.list().map((d) => d.revisions)).toEqual([1]);
    reopened.close();
  });

  it('a missing key file for an existing vault is a clear error, and nothing is created', () => {
    const dir = tempDir();
    const keyFile = join(dir, 'vault.key');
    const created = Vault.open({ dir, keySource: new KeyFileSource(keyFile), clock: new ManualClock() });
    created.save({ body: 'kept', reason: 'blur' });
    created.close();
    expect((statSync(keyFile).mode & 0o777).toString(8)).toBe('600');
    const key = readFileSync(keyFile);
    // The key file is lost; the vault exists, so no new key may be made.
    rmSync(keyFile);
    const before = snapshotDir(dir);
    const err = expectThrows(() => Vault.open({ dir, keySource: headlessKeySource(dir, {}), clock: new ManualClock() }), VaultKeyMissingError);
    expect(err.message).toMatch(/key is missing/);
    expect(snapshotDir(dir)).toEqual(before);
    expect(existsSync(keyFile)).toBe(false);
    // Put the key back: all is well.
    writeFileSync(keyFile, key, { mode: 0o600 });
    const reopened = Vault.open({ dir, keySource: headlessKeySource(dir, {}), clock: new ManualClock() });
    expect(reopened.list()).toHaveLength(1);
    reopened.close();
  });

  it('a malformed LIFEBOAT_VAULT_KEY is a clear error, and nothing is created', () => {
    const dir = tempDir();
    expectThrows(() => Vault.open({ dir, keySource: new EnvKeySource('not-hex'), clock: new ManualClock() }), VaultKeyMissingError);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('a vault from a newer Lifeboat', () => {
  it('is refused with VaultTooNewError and left untouched', () => {
    const dir = tempDir();
    vaultWithNote(dir);
    const raw = openRawVaultDb(join(dir, 'vault.db'));
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    raw.close();
    const before = snapshotDir(dir);
    const err = expectThrows(() => openTestVault(dir), VaultTooNewError);
    expect(err.message).toContain(`schema ${LATEST_SCHEMA_VERSION + 1}`);
    expect(err.message).toMatch(/update Lifeboat/);
    expect(snapshotDir(dir)).toEqual(before);
  });

  it('is refused untouched even when it is not in WAL mode', () => {
    const dir = tempDir();
    vaultWithNote(dir);
    const raw = openRawVaultDb(join(dir, 'vault.db'));
    raw.pragma('journal_mode = DELETE');
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    raw.close();
    const before = snapshotDir(dir);
    expectThrows(() => openTestVault(dir), VaultTooNewError);
    expect(snapshotDir(dir)).toEqual(before);
    const check = openRawVaultDb(join(dir, 'vault.db'), undefined, { readonly: true });
    expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
    check.close();
  });
});

describe('a corrupt or non-SQLite vault file', () => {
  const cases: Array<[string, (path: string) => void]> = [
    ['text junk', (p) => writeFileSync(p, 'this is not a database, it is a shopping list\n'.repeat(50))],
    ['random bytes of a page-aligned size', (p) => writeFileSync(p, randomBytes(4096 * 8))],
    [
      'a plaintext SQLite database',
      (p) => {
        const plain = join(tempDir(), 'plain.db');
        const db = new Database(plain);
        db.exec("CREATE TABLE t (x); INSERT INTO t VALUES ('plain');");
        db.close();
        copyFileSync(plain, p);
      },
    ],
  ];

  for (const [what, spoil] of cases) {
    it(`${what}: VaultCorruptError, moved aside intact, never deleted; the next open starts afresh`, () => {
      const dir = tempDir();
      vaultWithNote(dir);
      const db = join(dir, 'vault.db');
      spoil(db);
      const sha = sha256File(db);
      const err = expectThrows(() => openTestVault(dir), VaultCorruptError);
      expect(err.message).toMatch(/not a readable Lifeboat vault; it was moved aside to .*vault\.db\.corrupt-/);
      expect(err.movedTo).toMatch(/vault\.db\.corrupt-\d{4}-\d\d-\d\dT/);
      expect(existsSync(db)).toBe(false);
      expect(sha256File(err.movedTo!)).toBe(sha);

      const fresh = openTestVault(dir);
      expect(fresh.list()).toEqual([]);
      fresh.save({ body: 'a new start', reason: 'blur' });
      expect(fresh.integrityCheck()).toEqual(['ok']);
      fresh.close();
      expect(sha256File(err.movedTo!)).toBe(sha);
    });
  }

  it('never overwrites an earlier moved-aside file, even at the same clock time', () => {
    const dir = tempDir();
    const clock = new ManualClock();
    const moved: string[] = [];
    // Only a proven key lets a file be moved aside: the meta file records this key's fingerprint.
    writeFileSync(join(dir, 'vault.meta.json'), JSON.stringify({ format: 'lifeboat-vault', keyId: keyFingerprint(TEST_KEY), createdAt: new Date(0).toISOString() }));
    for (let i = 0; i < 3; i++) {
      writeFileSync(join(dir, 'vault.db'), `junk number ${i}\n`);
      const err = expectThrows(() => openTestVault(dir, { clock }), VaultCorruptError);
      moved.push(err.movedTo!);
    }
    expect(new Set(moved).size).toBe(3);
    expect(moved.map((p) => readFileSync(p, 'utf8'))).toEqual(['junk number 0\n', 'junk number 1\n', 'junk number 2\n']);
  });
});

describe('moving aside needs proof, and never happens in a reading command', () => {
  it('a right key opens the vault even when the meta file names another key (the meta is a hint)', () => {
    const dir = tempDir();
    vaultWithNote(dir, 'kept despite a stale meta file');
    writeFileSync(join(dir, 'vault.meta.json'), JSON.stringify({ format: 'lifeboat-vault', keyId: keyFingerprint(OTHER_KEY), createdAt: new Date(0).toISOString() }));
    const vault = openTestVault(dir);
    expect(vault.list()).toHaveLength(1);
    vault.close();
    // And the hint is corrected for next time.
    expect(JSON.parse(readFileSync(join(dir, 'vault.meta.json'), 'utf8')).keyId).toBe(keyFingerprint(TEST_KEY));
  });

  it('a file that fails without proof that the key is right is left in place (no meta: nothing moved)', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'vault.db'), 'this is not a database\n'.repeat(100));
    const before = snapshotDir(dir);
    const err = expectThrows(() => openTestVault(dir), VaultCorruptError);
    expect(err.movedTo).toBeNull();
    expect(err.message).toMatch(/left in place/);
    expect(snapshotDir(dir)).toEqual(before);
  });

  it('reading commands (list, show, search, export, report) leave a damaged vault exactly where it is', async () => {
    const dir = tempDir();
    vaultWithNote(dir);
    writeFileSync(join(dir, 'vault.db'), randomBytes(4096 * 4));
    rmSync(join(dir, 'vault.db-wal'), { force: true });
    const before = snapshotDir(dir);
    const env = { LIFEBOAT_VAULT_KEY: TEST_KEY_HEX };
    for (const args of [['drafts', 'list', '--json'], ['drafts', 'search', 'x', '--json'], ['drafts', 'export', '--out', join(tempDir(), 'x.json')], ['report', '--format', 'json', '--out', join(tempDir(), 'r.json')]]) {
      const result = await runCli([...args, '--vault', dir], { env });
      expect(result.code, args.join(' ')).not.toBe(0);
      expect(result.stderr).toMatch(/left in place/);
      expect(snapshotDir(dir), args.join(' ')).toEqual(before);
    }
  });
});
