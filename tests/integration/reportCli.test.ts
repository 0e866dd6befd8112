// `lifeboat report` and `lifeboat evidence` on a real encrypted vault, as child processes:
// every output is written, valid, redacted, and holds no note text, title or patient reference.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../app/common/clock.ts';
import type { Incident } from '../../app/common/incident.ts';
import type { MachineFacts } from '../../app/core/report/machineFacts.ts';
import { ReportDataSchema } from '../../app/core/report/reportSchema.ts';
import { runCli } from '../support/runCli.ts';
import { bytesContainText, cleanupTempDirs, openTestVault, tempDir, TEST_KEY_HEX } from '../fixtures/vault/vaultTestKit.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 5, 9, 0);
const MARKERS = ['DRAFT-BODY-MARKER-7731', 'DRAFT-TITLE-MARKER-1180', 'DRAFT-PATREF-MARKER-5521', 'DRAFT-REVISION-MARKER-9902'];
const PATIENT = /943[ -]?476[ -]?5919|Jane Example|01\/02\/1980|LS1 4AP|07700 900123/;

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The real `lifeboat` command, from a scratch working directory, with the test vault's key. */
function runCommand(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Result> {
  return runCli(args, { cwd: tempDir('lifeboat-report-cwd-'), env: { LIFEBOAT_VAULT_KEY: TEST_KEY_HEX, ...env } });
}

const report = (args: string[]) => runCommand(['report', ...args]);
const evidence = (args: string[]) => runCommand(['evidence', ...args]);

let vaultDir: string;
let outDir: string;

function incident(id: string, kind: Incident['kind'], at: number, minutes: number, evidenceLines: string[], signature: string | null = null): Incident {
  return { id, kind, app: 'emisweb.exe', profile: 'emis-web', startedAt: new Date(at).toISOString(), endedAt: new Date(at + minutes * MIN).toISOString(), sources: ['log', 'wer'], evidence: evidenceLines, signature };
}

beforeAll(() => {
  vaultDir = tempDir('lifeboat-report-vault-');
  outDir = tempDir('lifeboat-report-out-');
  const clock = new ManualClock(T0 - 10 * MIN);
  const vault = openTestVault(vaultDir, { clock });
  // A consultation being typed when the client crashed (revisions 10 and 2 minutes before).
  const saved = vault.save({ body: `Presenting complaint: ${MARKERS[0]} cough for 3 weeks`, title: MARKERS[1], patientRef: MARKERS[2], reason: 'blur' });
  clock.advance(8 * MIN);
  vault.save({ id: saved.id, body: `Presenting complaint: ${MARKERS[0]} cough for 3 weeks. ${MARKERS[3]}`, reason: 'blur' });
  // The GP deletes that sentence: MARKERS[3] now lives only in an earlier revision.
  clock.advance(MIN);
  vault.save({ id: saved.id, body: `Presenting complaint: ${MARKERS[0]} cough for 3 weeks.`, reason: 'pre-crash' });
  // A note from the afternoon, nowhere near an incident.
  clock.set(T0 + 5 * 60 * MIN);
  vault.save({ body: `${MARKERS[0]} afternoon note`, title: MARKERS[1], reason: 'blur' });
  vault.recordIncident(
    incident('inc-crash-1', 'crash', T0, 4, [
      `${new Date(T0).toISOString()} wer: WER APPCRASH EmisWeb.exe 9.2.1.4410 fault module clr.dll exception c0000005 (report 3f6c1b0e)`,
      `${new Date(T0).toISOString()} log: Consultation.Save failed for patient NHS 943 476 5919 (Patient: Jane Example DOB: 01/02/1980, LS1 4AP, 07700 900123)`,
    ], 'c0000005@clr.dll'),
  );
  vault.recordIncident(incident('inc-hang-1', 'hang', T0 + 2 * 60 * MIN, 2, [`${new Date(T0 + 2 * 60 * MIN).toISOString()} window: EmisWeb.exe is not responding`]));
  vault.recordIncident(incident('inc-slow-1', 'slow', T0 + 3 * 60 * MIN, 5, [`=cmd|' /C calc'!A0 timed out after 30000 ms`]));
  vault.recordIncident(incident('inc-old', 'crash', T0 - 40 * 24 * 60 * MIN, 4, ['old']));
  vault.close();
});
afterAll(() => cleanupTempDirs());

function expectClean(bytes: Buffer, what: string): void {
  for (const marker of MARKERS) expect(bytesContainText(bytes, marker), `${what} contains ${marker}`).toBe(false);
  expect(PATIENT.test(bytes.toString('utf8')), `${what} contains patient data`).toBe(false);
}

const period = ['--from', '2026-01-05', '--to', '2026-01-05', '--time-zone', 'Europe/London'];

describe('lifeboat report', () => {
  it.each(['html', 'csv', 'json'] as const)('writes %s with the incidents of the period, redacted, without note text', async (format) => {
    const out = join(outDir, `report.${format}`);
    const result = await report(['--vault', vaultDir, ...period, '--format', format, '--out', out, '--workstation', 'RECEPTION-01']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as { out: string; incidents: number; redactions: Record<string, number> };
    expect(summary).toMatchObject({ out, format, incidents: 3 });
    expect(summary.redactions.nhs).toBe(1);
    const bytes = readFileSync(out);
    expectClean(bytes, out);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const text = bytes.toString('utf8');
    if (format === 'json') {
      const data = ReportDataSchema.parse(JSON.parse(text));
      expect(data.incidents.map((i) => i.id)).toEqual(['inc-crash-1', 'inc-hang-1', 'inc-slow-1']);
      expect(data.consultationsAffected.estimate).toBe(1);
      expect(data.clientVersions[0]).toMatchObject({ version: '9.2.1.4410' });
      expect(data.workstation).toBe('RECEPTION-01');
    }
    if (format === 'csv') {
      const rows: Array<Record<string, string>> = parse(text, { bom: true, columns: true, record_delimiter: '\r\n' });
      expect(rows.map((r) => r['id'])).toEqual(['inc-crash-1', 'inc-hang-1', 'inc-slow-1']);
      expect(text).toContain("'=cmd|");
    }
    if (format === 'html') expect(text).toContain('RECEPTION-01');
  });

  it('refuses a missing vault without creating one, and a bad date, with one line', async () => {
    const missing = join(outDir, 'no-vault-here');
    const r1 = await report(['--vault', missing, '--format', 'json', '--out', join(outDir, 'x.json')]);
    expect(r1.code).toBe(1);
    expect(r1.stderr).toMatch(/^lifeboat: no vault at .*\n$/);
    expect(() => statSync(missing)).toThrow();
    const r2 = await report(['--vault', vaultDir, '--from', 'yesterday', '--out', join(outDir, 'x.json')]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/"yesterday" is not a date or time the calendar has; give one such as 2026-01-05/);
    const r3 = await report(['--vault', vaultDir, '--from', '2026-02-01', '--to', '2026-01-01', '--out', join(outDir, 'x.json')]);
    expect(r3.stderr).toMatch(/--from must be before --to/);
  });
});

describe('lifeboat evidence', () => {
  const unzip = (zip: string, into: string): Record<string, Buffer> => {
    mkdirSync(into, { recursive: true });
    const r = spawnSync('python3', ['-c', 'import zipfile,sys\nz=zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nz.extractall(sys.argv[2])\nprint("\\n".join(z.namelist()))', zip, into], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    return Object.fromEntries(readdirSync(into).map((name) => [name, readFileSync(join(into, name))]));
  };

  it('packs report, incident list, redacted evidence and machine facts for a period, and nothing from any note', async () => {
    const zip = join(outDir, 'period.zip');
    const result = await evidence(['--vault', vaultDir, ...period, '--out', zip]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ out: zip, incidents: 3, files: ['report.html', 'incidents.csv', 'incidents.json', 'evidence.txt', 'machine.json'] });
    const files = unzip(zip, join(outDir, 'period'));
    expect(Object.keys(files).sort()).toEqual(['evidence.txt', 'incidents.csv', 'incidents.json', 'machine.json', 'report.html']);
    for (const [name, bytes] of Object.entries(files)) expectClean(bytes, name);
    expectClean(readFileSync(zip), 'the zip itself'); // deflated bytes hide nothing either: the inputs are clean
    const evidenceText = files['evidence.txt']!.toString('utf8');
    expect(evidenceText).toContain('[NHS-NUMBER]');
    expect(evidenceText).toContain('WER APPCRASH EmisWeb.exe 9.2.1.4410');
    const machine = JSON.parse(files['machine.json']!.toString('utf8')) as MachineFacts & { disk: { freeBytes: number } };
    expect(machine.os.platform).toBe(process.platform);
    expect(machine.memory.totalBytes).toBeGreaterThan(0);
    expect(machine.disk.freeBytes).toBeGreaterThan(0);
    expect(machine.lifeboatVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(machine.clientVersions).toEqual([{ app: 'emisweb.exe', version: '9.2.1.4410' }]);
    expect(JSON.stringify(machine)).not.toContain(process.env.USER ?? 'no-user-set');
  });

  it('packs a single incident by id', async () => {
    const zip = join(outDir, 'one.zip');
    const result = await evidence(['--vault', vaultDir, '--incident', 'inc-hang-1', '--out', zip]);
    expect(result.code).toBe(0);
    const files = unzip(zip, join(outDir, 'one'));
    const data = ReportDataSchema.parse(JSON.parse(files['incidents.json']!.toString('utf8')));
    expect(data.incidents.map((i) => i.id)).toEqual(['inc-hang-1']);
  });

  it('says which incident it could not find, and what to give instead of a half-period', async () => {
    const r1 = await evidence(['--vault', vaultDir, '--incident', 'nope', '--out', join(outDir, 'n.zip')]);
    expect(r1.code).toBe(1);
    expect(r1.stderr).toMatch(/no incident "nope"/);
    const r2 = await evidence(['--vault', vaultDir, '--from', '2026-01-01', '--out', join(outDir, 'n.zip')]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/--incident ID, or both --from and --to/);
  });
});
