import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bytesContainText, cleanupTempDirs, decryptedCopy, fileContainsText, openTestVault, tempDir } from '../fixtures/vault/vaultTestKit.ts';

afterAll(cleanupTempDirs);

const MARKER = 'Quetzalcoatlus';
const TITLE_MARKER = 'Brontosaurine';
const REF_MARKER = 'NHS9434765919';

describe('vault encryption at rest', () => {
  it('the byte search sees text in any of UTF-8, UTF-16LE and UTF-16BE', () => {
    expect(bytesContainText(Buffer.from(`xx${MARKER}yy`, 'utf8'), MARKER)).toBe(true);
    expect(bytesContainText(Buffer.from(`xx${MARKER}yy`, 'utf16le'), MARKER)).toBe(true);
    expect(bytesContainText(Buffer.from(`xx${MARKER}yy`, 'utf16le').swap16(), MARKER)).toBe(true);
    expect(bytesContainText(Buffer.from('xx Quetzal yy', 'utf8'), MARKER)).toBe(false);
  });

  it('keeps no plaintext of body, title or patient reference in vault.db or its WAL, open or closed', () => {
    const dir = tempDir();
    const db = join(dir, 'vault.db');
    const vault = openTestVault(dir);
    const saved = vault.save({ body: `Pt seen today. ${MARKER} noted on exam.`, title: `Visit ${TITLE_MARKER}`, patientRef: REF_MARKER, reason: 'blur' });
    // Grow it so revisions, the FTS index and overflow pages all hold the marker too.
    for (let i = 0; i < 30; i++) vault.save({ id: saved.id, body: `Pt seen today. ${MARKER} noted on exam. ${'more text '.repeat(i * 40)}`, reason: i % 3 === 0 ? 'blur' : undefined });
    expect(vault.search(MARKER).map((d) => d.id)).toEqual([saved.id]);

    const markers = [MARKER, TITLE_MARKER, REF_MARKER];
    // While open: the WAL holds the recent pages.
    expect(readFileSync(`${db}-wal`).length).toBeGreaterThan(0);
    for (const m of markers) {
      expect(fileContainsText(db, m), `${m} in vault.db (open)`).toBe(false);
      expect(fileContainsText(`${db}-wal`, m), `${m} in vault.db-wal (open)`).toBe(false);
      expect(fileContainsText(`${db}-shm`, m), `${m} in vault.db-shm (open)`).toBe(false);
    }

    // Control, while open: a decrypted copy of the same bytes shows the text, so the check can see it.
    const plainWhileOpen = readFileSync(decryptedCopy(db));
    for (const m of markers) expect(bytesContainText(plainWhileOpen, m), `${m} in the decrypted copy`).toBe(true);

    vault.close();
    for (const m of markers) {
      expect(fileContainsText(db, m), `${m} in vault.db (closed)`).toBe(false);
      expect(fileContainsText(`${db}-wal`, m), `${m} in vault.db-wal (closed)`).toBe(false);
    }
    const plainClosed = readFileSync(decryptedCopy(db));
    for (const m of markers) expect(bytesContainText(plainClosed, m)).toBe(true);
    // The meta file beside the vault is not secret, and holds none of it either.
    for (const m of markers) expect(fileContainsText(join(dir, 'vault.meta.json'), m)).toBe(false);
  });

  it('stores the encrypted vault with a SQLCipher v4 header, not a plaintext SQLite one', () => {
    const dir = tempDir();
    const vault = openTestVault(dir);
    vault.save({ body: 'x', reason: 'blur' });
    vault.close();
    const head = readFileSync(join(dir, 'vault.db')).subarray(0, 16);
    expect(head.equals(Buffer.from('SQLite format 3\0', 'latin1'))).toBe(false);
  });
});
