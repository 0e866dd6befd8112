// The API behind Recovery, Incidents and Practice (issue 15), over a real encrypted vault: notes
// that tell themselves apart, Done and Discard that end recovery, the banner's incident that
// outlives the client's restart, search snippets, exports without note text, the practice share.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveStatus } from '../../app/core/api/apiBackend.ts';
import { createApiHandlers, dispatchApiCall, type ApiHandlers } from '../../app/core/api/apiBackend.ts';
import { watchedLogFolders } from '../../app/core/api/logFolderView.ts';
import { siteContext } from '../../app/core/api/siteContext.ts';
import { ManualClock, systemClock } from '../../app/common/clock.ts';
import { notePreview, SNIPPET_MARK } from '../../app/common/draftText.ts';
import { loadConfig } from '../../app/core/config/configFile.ts';
import { ShareWriter } from '../../app/core/practice/shareWriter.ts';
import { memorySettings } from '../../testing/api/memorySettings.ts';
import type { Vault } from '../../app/core/vault/vault.ts';
import { incidentAt } from '../support/incidentAt.ts';
import { cleanupTempDirs, fileContainsText, openTestVault, tempDir } from '../fixtures/vault/vaultTestKit.ts';

const T0 = Date.UTC(2026, 2, 9, 13, 2, 0);
const SEC = 1000;
const MIN = 60 * SEC;
const NOTE = 'Chest pain review\n\nHx: 2/7 left-sided chest tightness on exertion, settles with rest.\nPlan: rapid-access chest pain clinic.';
const CAPTURED = 'Telephone consultation. Asthma review: peak flow 420, inhaler technique checked.';

let clock: ManualClock;
let vault: Vault;
let handlers: ApiHandlers;
let live: LiveStatus;
let share: string;
let dir: string;

/** The handlers as startLifeboat wires them, for a practice with a share, a name and an ODS code. */
function makeHandlers(sharePath: string | null = share): ApiHandlers {
  const config = loadConfig({ env: {} });
  const settings = { ...config.settings, ...(sharePath ? { sharePath } : {}), practice: { name: 'Riverside Surgery', odsCode: 'f84012' } };
  return createApiHandlers({
    vault,
    settings: memorySettings(),
    now: () => clock.now(),
    status: { status: () => live, pauseNotifications: () => null },
    site: siteContext({ vaultPath: vault.path, config: { settings }, workstation: 'ROOM-2' }),
  });
}

const call = async <T>(name: string, arg: unknown = {}): Promise<T> => {
  const result = await dispatchApiCall(handlers, name, arg);
  if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
};

beforeAll(() => {
  dir = tempDir('lifeboat-api-recovery-');
  clock = new ManualClock(T0);
  vault = openTestVault(join(dir, 'vault'), { clock });
  share = join(dir, 'share');
  mkdirSync(share);
  live = { health: 'crashed', healthSince: new Date(T0).toISOString(), healthReason: 'emisweb.exe crashed', profile: 'emis-web', profileDisplayName: 'EMIS Web', clientRunning: false, uptimeTodayMinutes: 0, notificationsPausedUntil: null, practiceOutage: null };
  handlers = makeHandlers();

  // 13:02 a note typed in Lifeboat's window; 13:05 text read from EMIS Web; crash at 13:13.
  vault.save({ id: 'note-1', body: NOTE.slice(0, 40), title: 'Chest pain review', patientRef: 'EMIS 4471-TEST', clientProfile: 'emis-web', reason: 'blur' });
  clock.set(T0 + 3 * MIN);
  vault.save({ id: 'cap-1', body: CAPTURED, title: 'EMIS Web: EMIS Web Health Care System – Consultation – …', patientRef: 'window:0123456789abcdef01234567', clientProfile: 'emis-web' }, { origin: 'capture' });
  clock.set(T0 + 11 * MIN - 3 * SEC);
  vault.save({ id: 'note-1', body: NOTE, reason: 'blur' });
  clock.set(T0 + 11 * MIN);
  vault.recordIncident(incidentAt('inc-crash', 'crash', T0 + 11 * MIN, { endedAt: null, evidence: [`${new Date(T0 + 11 * MIN).toISOString()} process: emisweb.exe exited with code 0xE0434352`] }));
  clock.set(T0 + 12 * MIN);
});

afterAll(() => {
  vault?.close();
  cleanupTempDirs();
});

describe('Recovery: which patient is this note for', () => {
  it('gives each note its first words, start time and the GP’s patient reference; never a window-title hash', async () => {
    const groups = await call<Array<{ incident: { id: string; clientName: string } | null; drafts: Array<Record<string, unknown>> }>>('recoveryCandidates');
    expect(groups[0]!.incident).toMatchObject({ id: 'inc-crash', clientName: 'EMIS Web' });
    const byId = Object.fromEntries(groups[0]!.drafts.map((d) => [d.id, d]));
    expect(byId['note-1']).toMatchObject({ preview: 'Hx: 2/7 left-sided chest tightness on exertion, settles with rest. · Plan…', patientRef: 'EMIS 4471-TEST', createdAt: new Date(T0).toISOString(), secondsBeforeIncident: 3, clientName: 'EMIS Web' });
    expect(byId['cap-1']).toMatchObject({ origin: 'capture', preview: 'Telephone consultation. Asthma review: peak flow 420, inhaler technique checked.', patientRef: null });
    // The list read is audited as one view, never the text itself.
    expect(vault.auditTrail({ limit: 1 })[0]).toMatchObject({ action: 'view', draftId: null, detail: { listed: 2 } });
  });

  it('cuts a preview at a word near 80 characters and skips a first line that repeats the title', () => {
    expect(notePreview('Earache\n\nOtitis media', 'Earache')).toBe('Otitis media');
    expect(notePreview('Earache', 'Earache')).toBe('Earache');
    const long = notePreview('word '.repeat(40));
    expect(long.length).toBeLessThanOrEqual(81);
    expect(long.endsWith('word…')).toBe(true);
  });
});

describe('Recovery has an end', () => {
  it('counts the notes before the crash, keeps the banner’s incident after the client restarts, and lowers the count on Done and Discard', async () => {
    let status = await call<{ recoverableDrafts: number; awaitingRecovery: { incident: { id: string }; drafts: number } | null }>('getStatus');
    expect(status.recoverableDrafts).toBe(2);
    expect(status.awaitingRecovery).toMatchObject({ incident: { id: 'inc-crash' }, drafts: 2 });

    // EMIS Web starts again: health is ok, but the notes are still waiting for the GP.
    live = { ...live, health: 'ok', clientRunning: true, healthReason: 'emisweb.exe started' };
    status = await call('getStatus');
    expect(status.awaitingRecovery).toMatchObject({ incident: { id: 'inc-crash' }, drafts: 2 });

    await call('setDraftState', { id: 'note-1', state: 'saved-in-client' });
    status = await call('getStatus');
    expect(status.recoverableDrafts).toBe(1);
    expect(vault.auditTrail({ limit: 1 })[0]).toMatchObject({ action: 'state', draftId: 'note-1', detail: { from: 'open', to: 'saved-in-client' } });

    await call('discardDraft', { id: 'cap-1' });
    status = await call('getStatus');
    expect(status.recoverableDrafts).toBe(0);
    expect(status.awaitingRecovery).toBeNull();
    expect(vault.auditTrail({ limit: 1 })[0]).toMatchObject({ action: 'state', draftId: 'cap-1', detail: { to: 'discarded', deleted: true } });
  });

  it('deletes a discarded note for good: not listed, not searchable, not in the vault file', async () => {
    expect(vault.list().map((d) => d.id)).not.toContain('cap-1');
    expect(vault.search('inhaler')).toEqual([]);
    vault.close();
    const file = join(dir, 'vault', 'vault.db');
    expect(fileContainsText(file, 'inhaler technique')).toBe(false);
    vault = openTestVault(join(dir, 'vault'), { clock });
    handlers = makeHandlers();
  });

  it('opens a Done note again when new text arrives: it is not in the clinical record yet', async () => {
    clock.advance(MIN);
    vault.save({ id: 'note-1', body: `${NOTE}\nAddendum: pt called back.` });
    expect(vault.info('note-1').state).toBe('open');
    expect(vault.auditTrail({ limit: 1 })[0]).toMatchObject({ action: 'state', draftId: 'note-1', detail: { from: 'saved-in-client', to: 'open', because: 'new text' } });
  });
});

describe('Search', () => {
  it('returns the words around the match with the matched word marked', async () => {
    const hits = await call<Array<{ id: string; snippet: string; preview: string }>>('searchDrafts', { query: 'tightness' });
    expect(hits.map((h) => h.id)).toEqual(['note-1']);
    expect(hits[0]!.snippet).toContain(`${SNIPPET_MARK.start}tightness${SNIPPET_MARK.end}`);
  });
});

describe('Exports: what IT sends to the supplier, never a note', () => {
  it('a report in each format, no note text, the practice and the version in the HTML title', async () => {
    for (const format of ['html', 'csv', 'json'] as const) {
      const file = await call<{ fileName: string; mimeType: string; data: string; bytes: number }>('exportFile', { kind: 'report', format, from: new Date(T0 - 60 * MIN).toISOString(), to: new Date(T0 + 60 * MIN).toISOString(), timeZone: 'Europe/London' });
      const text = Buffer.from(file.data, 'base64').toString('utf8');
      expect(file.fileName).toBe(`lifeboat-report-2026-03-09-to-2026-03-09.${format}`);
      expect(file.bytes).toBe(Buffer.byteLength(text));
      expect(text).toContain('0xE0434352');
      if (format === 'html') expect(text).toMatch(/<title>Incident report: Riverside Surgery, ODS F84012, ROOM-2, 9 Mar 2026 to 9 Mar 2026 · Lifeboat \d+\.\d+\.\d+<\/title>/);
      for (const words of ['tightness', 'Chest pain review', 'EMIS 4471-TEST', 'Addendum']) expect(text).not.toContain(words);
    }
  });

  it('an evidence pack for one incident: a zip with no note text', async () => {
    const file = await call<{ fileName: string; mimeType: string; data: string }>('exportFile', { kind: 'evidence', incidentId: 'inc-crash' });
    expect(file).toMatchObject({ fileName: 'lifeboat-evidence-2026-03-09-crash-emisweb.zip', mimeType: 'application/zip' });
    const zip = join(dir, 'pack.zip');
    writeFileSync(zip, Buffer.from(file.data, 'base64'));
    const unzip = spawnSync('unzip', ['-p', zip], { encoding: 'utf8' });
    expect(unzip.status).toBe(0);
    expect(unzip.stdout).toContain('0xE0434352');
    for (const words of ['tightness', 'Chest pain review', 'EMIS 4471-TEST']) expect(unzip.stdout).not.toContain(words);
  });

  it('refuses an unknown incident, a period the wrong way round and an unknown time zone in words', async () => {
    expect(await dispatchApiCall(handlers, 'exportFile', { kind: 'evidence', incidentId: 'nope' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await dispatchApiCall(handlers, 'exportFile', { kind: 'report', format: 'csv', from: new Date(T0).toISOString(), to: new Date(T0 - MIN).toISOString() })).toMatchObject({ ok: false, error: { code: 'BAD_ARGUMENT' } });
    expect(await dispatchApiCall(handlers, 'exportFile', { kind: 'report', format: 'csv', from: new Date(T0).toISOString(), to: new Date(T0).toISOString(), timeZone: 'Mars/Olympus' })).toMatchObject({ ok: false, error: { code: 'BAD_ARGUMENT' } });
  });
});

describe('Practice view: what `lifeboat practice` computes, from the share', () => {
  it('lists every workstation on the share with its counts and marks this one', async () => {
    for (const [name, kind] of [['RECEPTION-1', 'crash'], ['ROOM-2', 'hang'], ['ROOM-4', 'crash']] as const) {
      const writer = ShareWriter.open({ shareDir: share, workstation: name, outboxDir: join(dir, `outbox-${name}`), clock: systemClock });
      writer.record(incidentAt(`inc-${name}`, kind, Date.now() - 5 * MIN));
      expect((await writer.flush()).ok).toBe(true);
    }
    const view = await call<{ sharePath: string; workstations: Array<{ name: string; counts: Record<string, number>; thisComputer: boolean }>; outages: unknown[] }>('practiceView');
    expect(view.sharePath).toBe(share);
    expect(view.workstations.map((w) => [w.name, (w.counts.crash ?? 0) + (w.counts.hang ?? 0), w.thisComputer])).toEqual([
      ['RECEPTION-1', 1, false],
      ['ROOM-2', 1, true],
      ['ROOM-4', 1, false],
    ]);
    expect(view.outages).toHaveLength(1);
  });

  it('says when no share is set up, and names an unreadable one', async () => {
    expect(await dispatchApiCall(makeHandlers(null), 'practiceView', {})).toMatchObject({ ok: true, value: { sharePath: null, workstations: [] } });
    const result = await dispatchApiCall(makeHandlers(join(dir, 'no-such-share')), 'practiceView', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'SHARE_UNAVAILABLE' } });
    expect(JSON.stringify(result)).toContain('no-such-share');
  });
});

describe('Settings: the log folders really watched', () => {
  it('lists only the active profile’s folders, found or not, Windows paths with backslashes', () => {
    const logs = join(dir, 'logs');
    mkdirSync(logs);
    const config = loadConfig({ env: {} });
    const emis = config.profiles.find((p) => p.name === 'emis-web')!;
    const views = watchedLogFolders({ active: [emis], logFolders: { ...config.logFolders, 'emis-web': [logs, '%LOCALAPPDATA%/EMIS/EMIS Web/Logs'] } });
    expect(views).toEqual([
      { clientName: 'EMIS Web', path: logs, found: true },
      { clientName: 'EMIS Web', path: '%LOCALAPPDATA%\\EMIS\\EMIS Web\\Logs', found: false },
    ]);
    // The simulated profile's %LIFEBOAT_SIM_LOG_DIR% is not active by default: never listed.
    expect(JSON.stringify(memorySettings().get().logFolders)).not.toContain('LIFEBOAT_SIM_LOG_DIR');
  });
});
