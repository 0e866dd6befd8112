import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectDatabaseFile, moveAside } from '../../../../app/core/vault/vaultFiles.ts';
import { cleanupTempDirs, tempDir } from '../../../fixtures/vault/vaultTestKit.ts';

afterAll(cleanupTempDirs);
const temp = (): string => tempDir('lifeboat-vault-unit-');

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
