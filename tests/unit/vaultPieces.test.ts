import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toFtsQuery } from '../../app/core/vault/ftsQuery.ts';
import { inspectDatabaseFile, moveAside } from '../../app/core/vault/vaultFiles.ts';
import { KeyFileSource, keyFingerprint, parseHexKey } from '../../app/core/vault/vaultKey.ts';
import { VaultKeyMissingError } from '../../app/core/vault/vaultErrors.ts';

const dirs: string[] = [];
const temp = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'lifeboat-vault-unit-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('toFtsQuery', () => {
  it('quotes every word, requires all, and prefix-matches the last', () => {
    expect(toFtsQuery('cough')).toBe('"cough"*');
    expect(toFtsQuery('  chest   pain ')).toBe('"chest" "pain"*');
  });
  it('makes FTS syntax inert', () => {
    expect(toFtsQuery('cough" OR "x')).toBe('"cough" "OR" "x"*');
    expect(toFtsQuery('NEAR(a b) -c ^d title:e')).toBe('"NEAR" "a" "b" "c" "d" "title" "e"*');
  });
  it('returns null when there is nothing to search for', () => {
    expect(toFtsQuery('')).toBeNull();
    expect(toFtsQuery(' "" ** () ')).toBeNull();
  });
  it('normalises to NFC, so a decomposed accent matches the composed one', () => {
    expect(toFtsQuery('Zoe\u0308')).toBe(toFtsQuery('Zoë'));
  });
});

describe('vault key helpers', () => {
  it('parses exactly 64 hex characters, with a clear error otherwise', () => {
    expect(parseHexKey(` ${'Ab'.repeat(32)}\n`, 'k')).toEqual(Buffer.alloc(32, 0xab));
    expect(() => parseHexKey('ab'.repeat(31), 'the key file')).toThrow(VaultKeyMissingError);
    expect(() => parseHexKey('zz'.repeat(32), 'the key file')).toThrow(/the key file must hold a 256-bit key as 64 hex characters/);
  });
  it('fingerprints are stable, short and differ between keys', () => {
    expect(keyFingerprint(Buffer.alloc(32, 1))).toBe(keyFingerprint(Buffer.alloc(32, 1)));
    expect(keyFingerprint(Buffer.alloc(32, 1))).not.toBe(keyFingerprint(Buffer.alloc(32, 2)));
    expect(keyFingerprint(Buffer.alloc(32, 1))).toMatch(/^[0-9a-f]{16}$/);
  });
  it('a key file is created once, mode 0600, and a second source reads the same key without replacing it', () => {
    const path = join(temp(), 'vault.key');
    const first = new KeyFileSource(path).load(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(new KeyFileSource(path).load(true)).toEqual(first);
    expect(readFileSync(path, 'utf8')).toBe(first.toString('hex') + '\n');
    expect(readdirSync(join(path, '..'))).toEqual(['vault.key']);
  });
  it('a missing key file is not created when the vault already exists', () => {
    const path = join(temp(), 'vault.key');
    expect(() => new KeyFileSource(path).load(false)).toThrow(/the vault exists but its key is missing/);
    expect(readdirSync(join(path, '..'))).toEqual([]);
  });
});

describe('vault files', () => {
  it('tells plaintext SQLite and odd sizes from a possible encrypted vault', () => {
    const dir = temp();
    writeFileSync(join(dir, 'plain'), Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(4096 - 16)]));
    writeFileSync(join(dir, 'odd'), Buffer.alloc(1000, 7));
    writeFileSync(join(dir, 'pages'), Buffer.alloc(8192, 7));
    expect(inspectDatabaseFile(join(dir, 'plain'))).toMatchObject({ plaintextSqlite: true, pageAligned: true });
    expect(inspectDatabaseFile(join(dir, 'odd'))).toMatchObject({ plaintextSqlite: false, pageAligned: false });
    expect(inspectDatabaseFile(join(dir, 'pages'))).toMatchObject({ plaintextSqlite: false, pageAligned: true, size: 8192 });
  });
  it('moveAside moves the db with its WAL and SHM, and never reuses a taken name', () => {
    const dir = temp();
    const db = join(dir, 'vault.db');
    const at = new Date(Date.UTC(2026, 0, 5, 9, 30, 0, 123));
    const targets: string[] = [];
    for (let i = 0; i < 3; i++) {
      writeFileSync(db, `db ${i}`);
      writeFileSync(`${db}-wal`, `wal ${i}`);
      targets.push(moveAside(db, at));
    }
    expect(targets).toEqual([
      join(dir, 'vault.db.corrupt-2026-01-05T09-30-00-123Z'),
      join(dir, 'vault.db.corrupt-2026-01-05T09-30-00-123Z-1'),
      join(dir, 'vault.db.corrupt-2026-01-05T09-30-00-123Z-2'),
    ]);
    targets.forEach((t, i) => {
      expect(readFileSync(t, 'utf8')).toBe(`db ${i}`);
      expect(readFileSync(`${t}-wal`, 'utf8')).toBe(`wal ${i}`);
    });
    expect(readdirSync(dir)).not.toContain('vault.db');
  });
});
