import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PROFILES } from '../../app/core/config/defaultProfiles.ts';
import { scanArtefacts, type ScanFile, type ScanOutcome, type ScanOptions } from '../../app/core/scan/scanArtefacts.ts';
import { parseDotNetRuntimeText } from '../../app/core/watch/eventlog/eventSignal.ts';
import { LIFEBOAT_BIN, runCli } from '../support/runCli.ts';

/** Real artefacts from public sources: tests/fixtures/corpus/README.md gives each one's provenance. */
const CORPUS = join(import.meta.dirname, '..', 'fixtures', 'corpus');
const emis = DEFAULT_PROFILES.find((p) => p.name === 'emis-web')!;
const base: ScanOptions = { profile: emis, allProfiles: DEFAULT_PROFILES };
/** The sample folders (not the README that describes them). */
const SAMPLES = ['eventlog', 'logs', 'text', 'wer'].map((folder) => join(CORPUS, folder));

function byFile(outcome: ScanOutcome): Record<string, ScanFile> {
  return Object.fromEntries(outcome.report.files.map((f) => [relative(CORPUS, f.path), f]));
}

let plain: ScanOutcome;
let allApps: ScanOutcome;
beforeAll(async () => {
  plain = await scanArtefacts(SAMPLES, base);
  allApps = await scanArtefacts(SAMPLES, { ...base, allApps: true });
});

describe('the real-artefact corpus', () => {
  it('accounts for every file: read, with what it held, or skipped with a reason', () => {
    const files = byFile(plain);
    const expected: Record<string, Pick<ScanFile, 'type' | 'records' | 'incidents' | 'ignored' | 'otherApps'>> = {
      // Azure App Service: <Events> root, no namespace; a 1026 of w3wp.exe (not a watched client) and an ASP.NET 1325.
      'eventlog/azure-dotnet-1026-w3wp.xml': { type: 'eventlog', records: 2, incidents: 0, ignored: 1, otherApps: ['w3wp.exe'] },
      // ".NET Runtime" 1000 records are ILogger output (levels 1 and 2 here), never crashes; one 1026 of w3wp.exe.
      'eventlog/azure-ilogger-and-1026.xml': { type: 'eventlog', records: 12, incidents: 0, ignored: 1, otherApps: ['w3wp.exe'] },
      // Negative EventRecordIDs (Azure): every event read.
      'eventlog/azure-negative-recordid.xml': { type: 'eventlog', records: 5, incidents: 0, ignored: 0, otherApps: [] },
      // The same export cut inside event 9: the eight complete events are read.
      'eventlog/azure-truncated.xml': { type: 'eventlog', records: 8, incidents: 0, ignored: 1, otherApps: ['w3wp.exe'] },
      // python-evtx output (version 1.1 declaration, SystemTime with a space and no zone), cut by `head`.
      'eventlog/python-evtx-dump-head.xml': { type: 'eventlog', records: 1, incidents: 0, ignored: 0, otherApps: [] },
      // Event Viewer XML-view copies with their "- " tree markers.
      'eventlog/xml-view-copy-1000.txt': { type: 'eventlog', records: 1, incidents: 0, ignored: 1, otherApps: ['intelaudioservice.exe'] },
      'eventlog/xml-view-copy-1001.txt': { type: 'eventlog', records: 1, incidents: 0, ignored: 0, otherApps: [] },
      // .NET crash-report files: a crash each, app unknown (not in a profile's log folder, no --profile).
      'logs/greenshot-crash-report-1012.txt': { type: 'log', records: 15, incidents: 1, ignored: 0, otherApps: [] },
      'logs/greenshot-crash-report-955-french.txt': { type: 'log', records: 20, incidents: 1, ignored: 0, otherApps: [] },
      // A "Details" paste whose Event Xml block was cut: read from its text.
      'text/details-paste-files-16839.txt': { type: 'eventlog', records: 1, incidents: 0, ignored: 1, otherApps: ['files.exe'] },
      'text/dotnet-1026-czech-edengineer-326.txt': { type: 'log', records: 9, incidents: 0, ignored: 0, otherApps: [] },
      'text/dotnet-1026-french-meshcentral-2750.txt': { type: 'log', records: 18, incidents: 0, ignored: 0, otherApps: [] },
      // Report.wer: UTF-16LE without a BOM; Chinese Sig names; a Store app; a Russian one pasted as UTF-8 text.
      'wer/bomless-utf16le-friendly-appname/Report.wer': { type: 'wer', records: 1, incidents: 0, ignored: 1, otherApps: ['reportingservicesservice.exe'] },
      'wer/chinese-localized/Report.wer': { type: 'wer', records: 1, incidents: 0, ignored: 1, otherApps: ['taskmgr.exe'] },
      'wer/russian-pasted-as-text/Report.wer': { type: 'wer', records: 1, incidents: 0, ignored: 1, otherApps: ['httpd.exe'] },
      'wer/store-app-moappcrash/Report.wer': { type: 'wer', records: 1, incidents: 0, ignored: 1, otherApps: ['purplewinstore.exe'] },
    };
    expect(Object.fromEntries(Object.entries(files).map(([path, f]) => [path, { type: f.type, records: f.records, incidents: f.incidents, ignored: f.ignored, otherApps: f.otherApps }]))).toEqual(expected);
    expect(plain.report.skipped.map((s) => [relative(CORPUS, s.path), s.reason])).toEqual([
      ['wer/named-report-wer-but-binary/Report.wer', 'binary file: not a log, Report.wer or event export'],
    ]);
    expect(plain.report.warnings.map((w) => relative(CORPUS, w.path))).toEqual(['eventlog/azure-truncated.xml', 'eventlog/python-evtx-dump-head.xml', 'text/details-paste-files-16839.txt']);
  });

  it('names the programs it did not watch, and with --all-apps makes them incidents with exact times and localized details', () => {
    expect(Object.fromEntries(plain.otherApps)).toMatchObject({ 'w3wp.exe': 3, 'taskmgr.exe': 1, 'httpd.exe': 1 });
    const found = Object.fromEntries(allApps.report.incidents.filter((i) => i.app !== 'unknown').map((i) => [i.app, { startedAt: i.startedAt, signature: i.signature, profile: i.profile }]));
    expect(found).toMatchObject({
      // FILETIME 133915908992113755 (Chinese Sig names: module and code read by position).
      'taskmgr.exe': { startedAt: '2025-05-13T06:21:39.211Z', signature: 'c0000005@taskmgr.exe', profile: 'unknown' },
      'httpd.exe': { startedAt: '2019-04-27T16:02:04.249Z', signature: 'c0000005@php_tideways_xhprof-5.0.0-master-39806cc8-7.3-vc15-x86_64.dll' },
      'purplewinstore.exe': { startedAt: '2024-01-26T06:33:03.037Z', signature: '80004002@combase.dll' },
      'reportingservicesservice.exe': { startedAt: '2019-10-29T04:21:40.563Z' },
      'intelaudioservice.exe': { startedAt: '2019-01-01T15:49:38.973Z', signature: 'e06d7363@kernelbase.dll' },
    });
  });

  it('matches werAppNames against the friendly AppName= of a Report.wer', async () => {
    const reporting = { ...emis, name: 'reporting', processNames: [], werAppNames: ['Reporting Services Service'] };
    const outcome = await scanArtefacts([join(CORPUS, 'wer', 'bomless-utf16le-friendly-appname')], { ...base, allProfiles: [...DEFAULT_PROFILES, reporting] });
    expect(outcome.report.incidents.map((i) => [i.app, i.profile, i.kind])).toEqual([['reportingservicesservice.exe', 'reporting', 'crash']]);
  });

  it('dates crash-report files by their Time: line, offset included, and says whose they are only when asked', async () => {
    const log = join(CORPUS, 'logs', 'greenshot-crash-report-1012.txt');
    const unknown = (await scanArtefacts([log], base)).report.incidents;
    expect(unknown.map((i) => [i.startedAt, i.app, i.signature])).toEqual([['2026-02-27T04:03:21.000Z', 'unknown', 'System.NullReferenceException']]);
    expect(unknown[0]!.evidence.join('\n')).toContain('greenshot-crash-report-1012.txt: ');
    const claimed = (await scanArtefacts([log], { ...base, profileExplicit: true })).report.incidents;
    expect(claimed.map((i) => i.app)).toEqual(['emisweb.exe']);
  });

  it('reads localized .NET Runtime 1026 text by its structure', () => {
    for (const [file, application, exception] of [
      ['dotnet-1026-french-meshcentral-2750.txt', 'MeshCentralAssistant-Windows.exe', 'System.Net.NetworkInformation.NetworkInformationException'],
      ['dotnet-1026-czech-edengineer-326.txt', 'dfsvc.exe', 'System.TypeLoadException'],
    ] as const) {
      const report = parseDotNetRuntimeText(readFileSync(join(CORPUS, 'text', file), 'utf8'));
      expect(report).toMatchObject({ application, outerException: exception });
    }
  });
});

describe('lifeboat scan options', () => {
  it('reads --since in --log-timezone, counts what it leaves out, and rejects an unknown zone in one line', async () => {
    const since = await runCli(['scan', join(CORPUS, 'logs'), '--since', '2026-02-14', '--log-timezone', 'Europe/London', '--json']);
    expect(since.code).toBe(0);
    const report = JSON.parse(since.stdout) as { incidents: Array<{ startedAt: string }>; files: ScanFile[] };
    expect(report.incidents.map((i) => i.startedAt)).toEqual(['2026-02-27T04:03:21.000Z']);
    expect(report.files.map((f) => [relative(CORPUS, f.path), f.incidents, f.ignored])).toEqual([
      ['logs/greenshot-crash-report-1012.txt', 1, 0],
      ['logs/greenshot-crash-report-955-french.txt', 0, 1],
    ]);
    const bad = await runCli(['scan', join(CORPUS, 'logs'), '--log-timezone', 'Mars/Olympus_Mons']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('says in words which programs the crash records it did not use belong to', async () => {
    const words = await runCli(['scan', join(CORPUS, 'wer')]);
    expect(words.code).toBe(0);
    expect(words.stdout).toContain('4 crash or hang records belong to programs Lifeboat does not watch: httpd.exe, purplewinstore.exe, reportingservicesservice.exe, taskmgr.exe (add --all-apps to list them)');
    expect(words.stdout).toMatch(/skipped .*named-report-wer-but-binary\/Report\.wer: binary file/);
    const all = JSON.parse((await runCli(['scan', join(CORPUS, 'wer'), '--all-apps', '--json'])).stdout) as { incidents: unknown[] };
    expect(all.incidents).toHaveLength(4);
  });
});

describe('adversarial inputs', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lifeboat-scan-adversarial-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('skips a FIFO without opening it, and random binary of any size', async () => {
    const fifo = join(dir, 'pipe.log');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const random = join(dir, 'random.log');
    writeFileSync(random, Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => (i * 2654435761) >>> 24)));
    const outcome = await scanArtefacts([fifo, random], base);
    expect(outcome.report.files).toEqual([]);
    expect(outcome.report.skipped.map((s) => [s.path, s.reason.split(',')[0]])).toEqual([
      [fifo, 'a FIFO (named pipe)'],
      [random, 'binary file: not a log'],
    ]);
  });

  it('reads UTF-16LE logs and exports without a BOM by their content', async () => {
    const log = join(dir, 'client-log.txt');
    writeFileSync(log, Buffer.from('2026-01-05 09:41:07,123 [1] FATAL Shell - EMIS Web has encountered a serious problem and needs to close\r\n', 'utf16le'));
    const events = join(dir, 'export.dat');
    writeFileSync(events, Buffer.from(readFileSync(join(CORPUS, 'eventlog', 'azure-negative-recordid.xml'), 'utf8'), 'utf16le'));
    const files = (await scanArtefacts([log, events], base)).report.files;
    expect(files.map((f) => [f.type, f.records])).toEqual([
      ['log', 1],
      ['eventlog', 5],
    ]);
  });

  it('an unreadable folder is one skipped entry and the scan goes on (CLI, as an unprivileged user)', () => {
    const root = join(dir, 'evidence');
    mkdirSync(join(root, 'a-locked'), { recursive: true });
    mkdirSync(join(root, 'b-open'), { recursive: true });
    writeFileSync(join(root, 'a-locked', 'secret.log'), 'x\n');
    writeFileSync(join(root, 'b-open', 'EmisWeb.log'), '2026-01-05 09:41:07,123 [1] FATAL Shell - has encountered a serious problem and needs to close\n');
    chmodSync(dir, 0o755);
    for (const d of [root, join(root, 'b-open')]) chmodSync(d, 0o755);
    chmodSync(join(root, 'b-open', 'EmisWeb.log'), 0o644);
    chmodSync(join(root, 'a-locked'), 0o000);
    // root reads any folder: drop to nobody for the run, as practice IT's own account would be.
    const asUser = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath] : [process.execPath];
    const result = spawnSync(asUser[0]!, [...asUser.slice(1), LIFEBOAT_BIN, 'scan', root, '--json'], { encoding: 'utf8', env: { ...process.env, HOME: dir } });
    chmodSync(join(root, 'a-locked'), 0o755);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as { files: ScanFile[]; skipped: Array<{ path: string; reason: string }> };
    expect(report.skipped).toEqual([{ path: join(root, 'a-locked'), reason: 'folder not readable: permission denied (EACCES)' }]);
    expect(report.files.map((f) => [f.path, f.incidents])).toEqual([[join(root, 'b-open', 'EmisWeb.log'), 1]]);
  });
});
