import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../app/common/clock.ts';
import { decideClipboard } from '../../../../app/core/capture/clipboardDecision.ts';
import { ClipboardJournal } from '../../../../app/core/capture/clipboardJournal.ts';
import type { ForegroundClient } from '../../../../app/core/capture/captureSource.ts';
import { ScriptedClipboard } from '../../../../testing/capture/scriptedCaptureSource.ts';
import type { Vault } from '../../../../app/core/vault/vault.ts';
import { cleanupTempDirs, openTestVault, tempDir } from '../../../fixtures/vault/vaultTestKit.ts';

afterAll(cleanupTempDirs);

const EMIS: ForegroundClient = { pid: 4242, processName: 'emisweb.exe', windowHandle: '0x1a2b', windowTitle: 'EMIS Web' };
const reading = (over: Partial<Parameters<typeof decideClipboard>[0]> = {}) => ({ sequence: 2, formats: ['CF_UNICODETEXT'], text: 'copied', tooLarge: false, ownerPid: 4242, ...over });

describe('clipboard filtering', () => {
  it('never keeps content a password manager marks secret, whatever else is true', () => {
    expect(decideClipboard(reading({ formats: ['CF_UNICODETEXT', 'Clipboard Viewer Ignore'] }), EMIS)).toEqual({ keep: false, why: 'marked-secret' });
    expect(decideClipboard(reading({ formats: ['ExcludeClipboardContentFromMonitorProcessing', 'CF_UNICODETEXT'] }), EMIS)).toEqual({ keep: false, why: 'marked-secret' });
    expect(decideClipboard(reading({ formats: ['clipboard viewer ignore'] }), EMIS)).toEqual({ keep: false, why: 'marked-secret' });
  });

  it('keeps only text copied from the foreground client, under the size cap', () => {
    expect(decideClipboard(reading(), EMIS)).toEqual({ keep: true });
    expect(decideClipboard(reading({ ownerPid: null }), EMIS)).toEqual({ keep: true });
    expect(decideClipboard(reading(), null)).toEqual({ keep: false, why: 'client-not-foreground' });
    expect(decideClipboard(reading({ ownerPid: 999 }), EMIS)).toEqual({ keep: false, why: 'copied-by-another-program' });
    expect(decideClipboard(reading({ text: null, tooLarge: true }), EMIS)).toEqual({ keep: false, why: 'too-large' });
    expect(decideClipboard(reading({ text: null, formats: ['CF_BITMAP'] }), EMIS)).toEqual({ keep: false, why: 'no-text' });
    expect(decideClipboard(reading({ text: '  \r\n' }), EMIS)).toEqual({ keep: false, why: 'empty' });
  });
});

describe('ClipboardJournal with a scripted clipboard and a real vault', () => {
  let vault: Vault;
  let clipboard: ScriptedClipboard;
  let foreground: ForegroundClient | null;
  let journal: ClipboardJournal;
  const clock = new ManualClock(Date.UTC(2026, 10, 26, 9, 41, 7));

  beforeEach(async () => {
    vault = openTestVault(tempDir(), { clock });
    clipboard = new ScriptedClipboard();
    foreground = EMIS;
    journal = new ClipboardJournal({ source: clipboard, vault, clock, foreground: () => foreground, profileFor: () => ({ name: 'emis-web', displayName: 'EMIS Web' }), maxChars: 1000 });
    expect(await journal.check()).toBeNull(); // what was there before Lifeboat started is not the GP's copy
  });

  it('keeps each copy from the client as a revision of the day’s clipboard draft; reads only when the clipboard changed', async () => {
    clipboard.copy('Impression: viral URTI', { ownerPid: 4242 });
    expect(await journal.check()).toEqual({ keep: true });
    expect(await journal.check()).toBeNull();
    expect(clipboard.reads).toBe(1);
    clock.advance(60_000);
    clipboard.copy('Plan: fluids, paracetamol', { ownerPid: 4242 });
    await journal.check();
    const [draft] = vault.list();
    expect(draft).toMatchObject({ origin: 'clipboard', title: 'Copied from EMIS Web, 26 Nov 2026' });
    const revisions = vault.revisions(draft!.id);
    expect(revisions.map((r) => r.reason)).toEqual(['clipboard', 'clipboard']);
    expect(revisions.map((r) => vault.show(draft!.id, r.seq).body)).toEqual(['Impression: viral URTI', 'Plan: fluids, paracetamol']);
  });

  it('the same text copied twice is one revision', async () => {
    clipboard.copy('same', { ownerPid: 4242 });
    await journal.check();
    clipboard.copy('same', { ownerPid: 4242 });
    await journal.check();
    expect(vault.revisions(vault.list()[0]!.id)).toHaveLength(1);
  });

  it('keeps nothing secret, too large, from another program or while the client is in the background', async () => {
    clipboard.copy('P@ssw0rd!', { ownerPid: 4242, formats: ['CF_UNICODETEXT', 'ExcludeClipboardContentFromMonitorProcessing'] });
    expect(await journal.check()).toEqual({ keep: false, why: 'marked-secret' });
    clipboard.copy('x'.repeat(1001), { ownerPid: 4242 });
    expect(await journal.check()).toEqual({ keep: false, why: 'too-large' });
    clipboard.copy('from an email', { ownerPid: 777 });
    expect(await journal.check()).toEqual({ keep: false, why: 'copied-by-another-program' });
    foreground = null;
    clipboard.copy('while in the background', { ownerPid: 4242 });
    expect(await journal.check()).toEqual({ keep: false, why: 'client-not-foreground' });
    expect(vault.list()).toEqual([]);
  });
});
