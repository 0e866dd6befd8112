import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs, openTestVault, runCli, sha256, tempDir, TEST_KEY_HEX } from '../fixtures/vault/vaultTestKit.ts';

afterAll(cleanupTempDirs);

/** Text that trips up naive storage: every case the issue names, and their awkward friends. */
const AWKWARD: Record<string, string> = {
  emoji: 'Pt happy 🙂 — family 👨‍👩‍👧‍👦, clinician 👩🏽‍⚕️, flag 🏴󠁧󠁢󠁳󠁣󠁴󠁿, keycap 1️⃣',
  rtl: 'المريض يشكو من السعال منذ ثلاثة أيام. חום 38.2 מעלות. mixed ‏RTL‎ marks',
  combining: 'e\u0301 vs é, n\u0303, a\u0308\u0304, Zalgo z\u0351\u0352\u0357a\u0350l\u0346g\u0344o, Hangul 한국어 vs \u1112\u1161\u11ab',
  nul: 'before\u0000after\u0000\u0000end',
  loneCr: 'line one\rline two\r\nline three\n\rline four\r',
  controls: 'tab\there, bell\u0007, escape\u001b[31m, DEL\u007f, BOM\ufeff, NBSP\u00a0, ZWJ\u200d, LS\u2028 PS\u2029',
  astral: '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝒎𝒂𝒕𝒉 𓀀 𠀀 (CJK ext B)',
  cjk: '患者は三日前から咳をしています。',
};
const ALL = Object.values(AWKWARD).join('\n');

/** ~5 MB of mixed text: ASCII, multi-byte and astral characters, NULs and CRs, no repeated period. */
function hugeNote(): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < 5 * 1024 * 1024; i++) {
    const chunk = `${i}: ${ALL} ${'x'.repeat(i % 97)}\r`;
    parts.push(chunk);
    size += Buffer.byteLength(chunk);
  }
  return parts.join('');
}

describe('Unicode and size round-trips', () => {
  it('every awkward text round-trips exactly through Vault.save / show, current and as a revision', () => {
    const vault = openTestVault(tempDir());
    for (const [name, text] of Object.entries(AWKWARD)) {
      // Cut by code points: half a surrogate pair is not Unicode, and SQLite would store U+FFFD.
      const title = `${name} ${Array.from(text).slice(0, 16).join('')}`;
      const { id, revision } = vault.save({ body: text, title, reason: 'blur' });
      const shown = vault.show(id);
      expect(shown.body, name).toBe(text);
      expect(shown.title, name).toBe(title);
      expect(vault.show(id, revision).body, name).toBe(text);
      expect(vault.info(id).bodyLength, name).toBe(text.length);
      // Revision sizes count what the note holds (UTF-16 units, like bodyLength), NULs included.
      expect(vault.revisions(id).map((r) => r.length), name).toEqual([text.length]);
    }
    vault.close();
  });

  it('finds drafts by words in any script, including ones with combining marks', () => {
    const vault = openTestVault(tempDir());
    const rtl = vault.save({ body: AWKWARD.rtl!, reason: 'blur' });
    const combining = vault.save({ body: 'Patient: Zoe\u0308 Nai\u0308ve, seen by Dr Müller', reason: 'blur' });
    const hindi = vault.save({ body: 'रोगी को तीन दिन से खांसी है', reason: 'blur' });
    expect(vault.search('السعال').map((d) => d.id)).toEqual([rtl.id]);
    expect(vault.search('zoë').map((d) => d.id)).toEqual([combining.id]);
    expect(vault.search('muller').map((d) => d.id)).toEqual([combining.id]);
    expect(vault.search('खांसी').map((d) => d.id)).toEqual([hindi.id]);
    vault.close();
  });

  it('a 5 MB note round-trips exactly through Vault.save / show, and after a reopen', () => {
    const dir = tempDir();
    const body = hugeNote();
    expect(Buffer.byteLength(body)).toBeGreaterThanOrEqual(5 * 1024 * 1024);
    let vault = openTestVault(dir);
    const { id } = vault.save({ body, reason: 'blur' });
    // One more keystroke on a 5 MB note: a coalesced save.
    const saved = vault.save({ id, body: body + '.' });
    expect(saved.revisionWritten).toBe(false);
    vault.close();
    vault = openTestVault(dir);
    expect(sha256(vault.show(id).body)).toBe(sha256(body + '.'));
    expect(sha256(vault.show(id, 1).body)).toBe(sha256(body));
    expect(vault.integrityCheck()).toEqual(['ok']);
    vault.close();
  });

  it('the same texts and the 5 MB note round-trip through the CLI (drafts save stdin → drafts show --json)', async () => {
    const dir = tempDir();
    const env = { LIFEBOAT_VAULT_KEY: TEST_KEY_HEX };
    const body = `${ALL}\n${hugeNote()}`;
    const cases: Array<[string, string]> = [['all awkward texts', ALL], ['5 MB note', body]];
    for (const [name, text] of cases) {
      const saved = await runCli(['drafts', 'save', '--vault', dir, '--title', 'Zoë 🙂 مريض'], { input: Buffer.from(text, 'utf8'), env });
      expect(saved.stderr, name).toBe('');
      expect(saved.code, name).toBe(0);
      const { id } = JSON.parse(saved.stdout) as { id: string };
      const shown = await runCli(['drafts', 'show', id, '--vault', dir, '--json'], { env });
      expect(shown.code, name).toBe(0);
      const detail = JSON.parse(shown.stdout) as { body: string; title: string };
      expect(detail.body.length, name).toBe(text.length);
      expect(sha256(detail.body), name).toBe(sha256(text));
      expect(detail.title).toBe('Zoë 🙂 مريض');
    }
  });
});
