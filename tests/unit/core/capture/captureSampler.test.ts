import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../app/common/clock.ts';
import { attributeCapture, safeTitleLabel } from '../../../../app/core/capture/captureAttribution.ts';
import { decideCapture } from '../../../../app/core/capture/captureDecision.ts';
import { CaptureSampler } from '../../../../app/core/capture/captureSampler.ts';
import { ScriptedCaptureSource } from '../../../../testing/capture/scriptedCaptureSource.ts';
import { VaultCaptureStore } from '../../../../app/core/capture/vaultCaptureStore.ts';
import type { Vault } from '../../../../app/core/vault/vault.ts';
import { cleanupTempDirs, openTestVault, tempDir } from '../../../fixtures/vault/vaultTestKit.ts';

afterAll(cleanupTempDirs);

const EMIS = { name: 'emis-web', displayName: 'EMIS Web', processNames: ['emisweb.exe'] };
const SALT = Buffer.alloc(32, 7);
const TITLE_JANE = 'EMIS Web Health Care System - Consultation - EXAMPLE, Jane (Mrs) - 943 476 5919';
const TITLE_JOHN = 'EMIS Web Health Care System - Consultation - SAMPLE, John (Mr) - 401 023 2137';
const window = (title = TITLE_JANE, handle = '0x1a2b') => ({ pid: 4242, processName: 'emisweb.exe', windowHandle: handle, windowTitle: title });
const EDITOR = { key: 'WindowsForms10.RichEdit20W#1043', className: 'WindowsForms10.RichEdit20W' };

describe('attribution of a captured draft', () => {
  it('keys by client, window, title and control; keeps the title only as a salted hash and a safe label', () => {
    const a = attributeCapture(SALT, EMIS, window(), EDITOR);
    expect(a.draftId).toMatch(/^cap-[0-9a-f]{40}$/);
    expect(attributeCapture(SALT, EMIS, window(), EDITOR)).toEqual(a);
    // Another patient in the same window, another window, another control, another salt: another draft.
    expect(attributeCapture(SALT, EMIS, window(TITLE_JOHN), EDITOR).draftId).not.toBe(a.draftId);
    expect(attributeCapture(SALT, EMIS, window(TITLE_JANE, '0x9999'), EDITOR).draftId).not.toBe(a.draftId);
    expect(attributeCapture(SALT, EMIS, window(), { key: 'Edit#1001', className: 'Edit' }).draftId).not.toBe(a.draftId);
    expect(attributeCapture(Buffer.alloc(32, 8), EMIS, window(), EDITOR).titleHash).not.toBe(a.titleHash);
    expect(a.label).toBe('EMIS Web: EMIS Web Health Care System – Consultation – …');
    for (const secret of ['EXAMPLE', 'Jane', '943', '5919']) {
      expect(a.label).not.toContain(secret);
      expect(a.draftId + a.titleHash).not.toContain(secret);
    }
  });

  it('a title segment with any word off the screen-word list is hidden whole', () => {
    expect(safeTitleLabel('SystmOne - Smith J - Care Record')).toBe('SystmOne – … – Care Record');
    expect(safeTitleLabel('Vision [Consultation] Mrs Ann Other DOB 01/02/1960')).toBe('Vision – Consultation – …');
    expect(safeTitleLabel('')).toBe('untitled window');
    expect(safeTitleLabel('Jane Example')).toBe('…');
  });
});

describe('sampling decisions', () => {
  const memory = (entries: Array<[string, string]> = []) => ({ lastHashByDraft: new Map(entries) });
  const text = (t: string) => ({ kind: 'text' as const, client: window(), control: EDITOR, text: t, via: 'script' as const, truncated: false });

  it('reads nothing unless the client is foreground with a focused, non-password control', () => {
    expect(decideCapture({ kind: 'not-foreground' }, null, null, memory(), false)).toEqual({ action: 'skip', why: 'not-foreground' });
    expect(decideCapture({ kind: 'no-focus', client: window() }, null, null, memory(), true)).toEqual({ action: 'skip', why: 'no-focus' });
    expect(decideCapture({ kind: 'password', client: window(), control: EDITOR }, null, null, memory(), true)).toEqual({ action: 'skip', why: 'password' });
    expect(decideCapture({ kind: 'unreadable', client: window(), control: EDITOR, reason: 'timeout' }, null, null, memory(), true)).toEqual({ action: 'skip', why: 'unreadable' });
  });

  it('keeps changed text, skips unchanged text, asks for an explicit revision on trouble', () => {
    expect(decideCapture(text('a'), 'd', 'h1', memory(), false)).toEqual({ action: 'save', explicit: false });
    expect(decideCapture(text('a'), 'd', 'h1', memory([['d', 'h1']]), false)).toEqual({ action: 'skip', why: 'unchanged' });
    expect(decideCapture(text('a'), 'd', 'h1', memory([['d', 'h1']]), true)).toEqual({ action: 'save', explicit: true });
    expect(decideCapture(text('ab'), 'd', 'h2', memory([['d', 'h1']]), false)).toEqual({ action: 'save', explicit: false });
  });

  it('an empty box never starts a draft, but emptying a box that had text is kept', () => {
    expect(decideCapture(text(''), 'd', 'h0', memory(), false)).toEqual({ action: 'skip', why: 'empty' });
    expect(decideCapture(text(''), 'd', 'h0', memory([['d', 'h1']]), false)).toEqual({ action: 'save', explicit: false });
  });
});

describe('CaptureSampler with a scripted desktop and a real vault', () => {
  let vault: Vault;
  let clock: ManualClock;
  let source: ScriptedCaptureSource;
  let sampler: CaptureSampler;
  const diagnostics: string[] = [];

  beforeEach(() => {
    clock = new ManualClock();
    vault = openTestVault(tempDir(), { clock });
    source = new ScriptedCaptureSource();
    diagnostics.length = 0;
    // A budget of a whole core: the governor has its own test; here each second's sample runs.
    sampler = new CaptureSampler({ source, store: new VaultCaptureStore(vault), salt: vault.captureSalt(), clock, profiles: [EMIS], cpuBudget: 1, onDiagnostic: (m) => diagnostics.push(m) });
  });

  it('keeps the GP typing in the client as a captured draft, one save per change, none while unchanged', async () => {
    source.desktop = { foreground: window(), focused: { ...EDITOR, text: 'Presenting complaint: cough for 3 weeks' } };
    expect(await sampler.sample(false)).toMatchObject({ action: 'save', via: 'script' });
    clock.advance(1000);
    expect(await sampler.sample(false)).toMatchObject({ action: 'skip', why: 'unchanged' });
    source.desktop.focused!.text += '\nNo haemoptysis.';
    clock.advance(1000);
    expect(await sampler.sample(false)).toMatchObject({ action: 'save' });
    const [draft] = vault.list();
    expect(draft).toMatchObject({ origin: 'capture', title: 'EMIS Web: EMIS Web Health Care System – Consultation – …' });
    expect(vault.show(draft!.id).body).toBe('Presenting complaint: cough for 3 weeks\nNo haemoptysis.');
    expect(vault.info(draft!.id)).toMatchObject({ clientProfile: 'emis-web', patientRef: expect.stringMatching(/^window:[0-9a-f]{24}$/) });
  });

  it('stops reading when the client is not foreground, and never reads a password field', async () => {
    source.desktop = { foreground: { ...window(), processName: 'outlook.exe' }, focused: { ...EDITOR, text: 'an email' } };
    expect(await sampler.sample(false)).toEqual({ action: 'skip', why: 'not-foreground' });
    source.desktop = { foreground: window(), focused: { key: 'Edit#1001', className: 'Edit', isPassword: true, text: 'hunter2' } };
    expect(await sampler.sample(true)).toEqual({ action: 'skip', why: 'password' });
    expect(source.textReads).toBe(0);
    expect(vault.list()).toEqual([]);
  });

  it('a new patient in the same window is a new draft: text is never filed under the previous patient', async () => {
    source.desktop = { foreground: window(TITLE_JANE), focused: { ...EDITOR, text: 'Jane: BP 128/80' } };
    await sampler.sample(false);
    source.desktop = { foreground: window(TITLE_JOHN), focused: { ...EDITOR, text: 'John: asthma review' } };
    clock.advance(1000);
    await sampler.sample(false);
    const drafts = vault.list();
    expect(drafts).toHaveLength(2);
    const bodies = drafts.map((d) => vault.show(d.id).body).sort();
    expect(bodies).toEqual(['Jane: BP 128/80', 'John: asthma review']);
    expect(new Set(drafts.map((d) => vault.info(d.id).patientRef)).size).toBe(2);
  });

  it('on trouble writes a pre-crash revision of what the box holds now', async () => {
    source.desktop = { foreground: window(), focused: { ...EDITOR, text: 'Plan: ' } };
    await sampler.sample(false);
    source.desktop.focused!.text += 'amoxicillin 500 mg';
    clock.advance(400);
    await sampler.snapshotNow();
    const [draft] = vault.list();
    const revisions = vault.revisions(draft!.id);
    expect(revisions.at(-1)).toMatchObject({ reason: 'pre-crash' });
    expect(vault.show(draft!.id, revisions.at(-1)!.seq).body).toBe('Plan: amoxicillin 500 mg');
  });

  it('a hung client (unreadable) keeps the last snapshot and reports once, not once a second', async () => {
    source.desktop = { foreground: window(), focused: { ...EDITOR, text: 'typed before the hang' } };
    await sampler.sample(false);
    source.desktop.unreadable = 'WM_GETTEXT timed out (200 ms)';
    for (let i = 0; i < 5; i++) {
      clock.advance(1000);
      await sampler.sample(false);
    }
    expect(diagnostics).toEqual(['text capture could not read the focused control: WM_GETTEXT timed out (200 ms)']);
    expect(vault.show(vault.list()[0]!.id).body).toBe('typed before the hang');
  });

  it('keeps within its CPU budget: after an expensive save the next routine sample waits; trouble does not', async () => {
    // 20 ms of this process's CPU, however long a loaded machine takes to give it (the governor counts CPU).
    const busy = (ms: number): void => {
      const start = process.cpuUsage();
      for (let used = 0; used < ms * 1000; ) {
        const { user, system } = process.cpuUsage(start);
        used = user + system;
      }
    };
    const slowStore = { saveCaptured: (...args: Parameters<VaultCaptureStore['saveCaptured']>) => (busy(20), new VaultCaptureStore(vault).saveCaptured(...args)) };
    const s = new CaptureSampler({ source, store: slowStore, salt: SALT, clock, profiles: [EMIS], cpuBudget: 0.005 });
    source.desktop = { foreground: window(), focused: { ...EDITOR, text: 'a long note' } };
    expect(await s.sample(false)).toMatchObject({ action: 'save' });
    source.desktop.focused!.text += ' grows';
    // 20 ms ÷ 0.5 % = 4 s before the next routine sample.
    clock.advance(1000);
    expect(await s.sample(false)).toEqual({ action: 'skip', why: 'budget' });
    clock.advance(2000);
    expect(await s.sample(false)).toEqual({ action: 'skip', why: 'budget' });
    expect(await s.snapshotNow()).toMatchObject({ action: 'save', explicit: true });
    // The trouble snapshot cost as much again: the wait restarts from it.
    clock.advance(2000);
    expect(await s.sample(false)).toEqual({ action: 'skip', why: 'budget' });
    clock.advance(60_000);
    source.desktop.focused!.text += ' more';
    expect(await s.sample(false)).toMatchObject({ action: 'save', explicit: false });
  });

  it('waiting for a slow or hung client is not counted as its own work: sampling goes on each second', async () => {
    // A 5 % budget: the 250 ms wait, if it were counted, would hold the next sample back 5 s;
    // the sampler's own work (a small save) would need 50 ms to hold it back past 1 s, even on a
    // loaded CI machine.
    const s = new CaptureSampler({ source, store: new VaultCaptureStore(vault), salt: vault.captureSalt(), clock, profiles: [EMIS], cpuBudget: 0.05 });
    const read = source.read.bind(source);
    source.read = async (...args) => {
      await new Promise((r) => setTimeout(r, 250)); // a client answering WM_GETTEXT late
      return read(...args);
    };
    source.desktop = { foreground: window(), focused: { ...EDITOR, text: 'a' } };
    await s.sample(false);
    clock.advance(1000);
    source.desktop.focused!.text += 'b';
    expect(await s.sample(false)).toMatchObject({ action: 'save' });
  });

  it('switched off, it reads nothing at all', async () => {
    source.desktop = { foreground: window(), focused: { ...EDITOR, text: 'x' } };
    sampler.setEnabled(false);
    expect(await sampler.sample(true)).toEqual({ action: 'skip', why: 'not-foreground' });
    expect(source.reads).toBe(0);
  });

  it('reads at most maxChars and says the text was truncated', async () => {
    const small = new CaptureSampler({ source, store: new VaultCaptureStore(vault), salt: vault.captureSalt(), clock, profiles: [EMIS], maxChars: 10, cpuBudget: 1 });
    source.desktop = { foreground: window(), focused: { ...EDITOR, text: '0123456789abcdef' } };
    expect(await small.sample(false)).toMatchObject({ action: 'save', chars: 10 });
    expect(vault.show(vault.list()[0]!.id).body).toBe('0123456789');
  });

  it('a vault that cannot save leaves the snapshot unremembered, so the next tick tries again', async () => {
    let fail = true;
    const flaky = { saveCaptured: (...args: Parameters<VaultCaptureStore['saveCaptured']>) => (fail ? (() => { throw new Error('disk full'); })() : new VaultCaptureStore(vault).saveCaptured(...args)) };
    const s = new CaptureSampler({ source, store: flaky, salt: SALT, clock, profiles: [EMIS], cpuBudget: 1, onDiagnostic: (m) => diagnostics.push(m) });
    source.desktop = { foreground: window(), focused: { ...EDITOR, text: 'keep me' } };
    await s.sample(false);
    expect(diagnostics).toEqual(['captured text not saved: disk full']);
    fail = false;
    clock.advance(1000);
    expect(await s.sample(false)).toMatchObject({ action: 'save' });
    expect(vault.show(vault.list()[0]!.id).body).toBe('keep me');
  });
});
