import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../app/common/clock.ts';
import { bytesContainText, cleanupTempDirs, decryptedCopy, fileContainsText, openTestVault, tempDir } from '../fixtures/vault/vaultTestKit.ts';

afterAll(cleanupTempDirs);

const DAY = 86_400_000;
const PURGED = 'Xylophagous';
const PURGED_TITLE = 'Wunderkammer';
const PINNED = 'Pterodactylic';
const RECENT = 'Ornithischian';

describe('retention purge', () => {
  it('deletes unpinned drafts older than 14 days, keeps pinned and recent ones, audits without text, and leaves no trace of the text in the file', () => {
    const dir = tempDir();
    const clock = new ManualClock();
    const vault = openTestVault(dir, { clock });

    // An old draft with a long history: many revisions, overflow pages, FTS entries.
    const old = vault.save({ body: `Old note about ${PURGED}.`, title: `Visit ${PURGED_TITLE}`, reason: 'blur' });
    for (let i = 1; i <= 40; i++) {
      clock.advance(3000);
      vault.save({ id: old.id, body: `Old note about ${PURGED}. ${`${PURGED} follow-up line ${i}. `.repeat(i * 5)}`, reason: i % 4 === 0 ? 'blur' : undefined });
    }
    const pinned = vault.save({ body: `Pinned note about ${PINNED}.`, reason: 'blur' });
    vault.setPinned(pinned.id, true);
    // A second old draft just under the limit must survive.
    clock.advance(15 * DAY);
    const recent = vault.save({ body: `Recent note about ${RECENT}.`, reason: 'blur' });
    clock.advance(13 * DAY);
    expect(vault.search(PURGED).map((d) => d.id)).toEqual([old.id]);

    const purged = vault.purgeOlderThan(14 * DAY);
    expect(purged).toBe(1);
    expect(vault.list().map((d) => d.id).sort()).toEqual([pinned.id, recent.id].sort());
    expect(() => vault.info(old.id)).toThrow(/no draft with id/);
    expect(vault.search(PURGED)).toEqual([]);
    expect(vault.search(PURGED_TITLE)).toEqual([]);
    expect(vault.search(PINNED).map((d) => d.id)).toEqual([pinned.id]);

    const audit = vault.auditTrail().filter((a) => a.action === 'purge');
    expect(audit).toHaveLength(1);
    expect(audit[0]!.detail).toEqual({ drafts: 1, olderThanMs: 14 * DAY });
    expect(audit[0]!.at).toBe(new Date(clock.now()).toISOString());
    expect(JSON.stringify(vault.auditTrail())).not.toContain(PURGED);
    expect(vault.integrityCheck()).toEqual(['ok']);

    // The text is gone from the bytes, not merely unlinked: decrypt a copy (free pages too).
    const db = join(dir, 'vault.db');
    const checkPlain = (label: string): void => {
      const plain = readFileSync(decryptedCopy(db));
      for (const gone of [PURGED, PURGED_TITLE]) expect(bytesContainText(plain, gone), `${gone} in ${label}`).toBe(false);
      // Control: kept drafts' text is visible in the same copy, so the search works.
      for (const kept of [PINNED, RECENT]) expect(bytesContainText(plain, kept), `${kept} in ${label}`).toBe(true);
    };
    checkPlain('the decrypted copy while open');
    vault.close();
    checkPlain('the decrypted copy after close');
    expect(fileContainsText(db, PINNED)).toBe(false);

    // And the FTS index holds no token of it (the vocabulary table lists every indexed term).
    const plainDb = new Database(decryptedCopy(db), { readonly: true });
    plainDb.exec("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, 'drafts_fts', 'row')");
    const terms = plainDb.prepare<[], { term: string }>('SELECT term FROM vocab').all().map((r) => r.term);
    expect(terms).toContain(PINNED.toLowerCase());
    expect(terms).not.toContain(PURGED.toLowerCase());
    expect(terms).not.toContain(PURGED_TITLE.toLowerCase());
    plainDb.close();
  });

  it('keeps drafts whose last change is within the limit, whatever their age', () => {
    const dir = tempDir();
    const clock = new ManualClock();
    const vault = openTestVault(dir, { clock });
    const draft = vault.save({ body: 'started long ago', reason: 'blur' });
    clock.advance(30 * DAY);
    vault.save({ id: draft.id, body: 'started long ago, edited today', reason: 'blur' });
    clock.advance(DAY);
    expect(vault.purgeOlderThan(14 * DAY)).toBe(0);
    expect(vault.list()).toHaveLength(1);
    expect(vault.auditTrail().filter((a) => a.action === 'purge')[0]!.detail).toEqual({ drafts: 0, olderThanMs: 14 * DAY });
    vault.close();
  });
});
