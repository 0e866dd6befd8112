import { cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Signal } from '../../../../../app/common/signal.ts';
import { formatWerReport, type WerReportFields } from '../../../../../app/core/watch/wer/werReport.ts';
import type { Diagnostic } from '../../../../../app/common/diagnostic.ts';
import { WerWatcher, type WerWatcherOptions } from '../../../../../app/core/watch/wer/werWatcher.ts';
import { waitFor } from '../../../../support/waitFor.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../../../fixtures/wer');
const PROFILES = [{ profile: 'emis-web', apps: ['EmisWeb.exe'] }];

function crashReport(reportId: string, at = '2026-01-05T09:41:10.123Z'): WerReportFields {
  return {
    eventType: 'APPCRASH',
    eventTime: new Date(at),
    appPath: 'C:\\Program Files (x86)\\EMIS\\EMIS Web\\EmisWeb.exe',
    appName: 'EMIS Web',
    reportId,
    sigs: [
      { name: 'Application Name', value: 'EmisWeb.exe' },
      { name: 'Application Version', value: '9.2.1.0' },
      { name: 'Fault Module Name', value: 'clr.dll' },
      { name: 'Exception Code', value: 'e0434352' },
    ],
  };
}

const folderFor = (reportId: string): string => `AppCrash_EmisWeb.exe_0123456789abcdef0123456789abcdef01234567_4f1a2b3c_${reportId}`;

describe('WerWatcher', () => {
  let dir: string;
  let archive: string;
  let queue: string;
  let signals: Signal[];
  let diagnostics: Diagnostic[];
  let watcher: WerWatcher | null;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lifeboat-wer-'));
    archive = path.join(dir, 'ReportArchive');
    queue = path.join(dir, 'ReportQueue');
    await mkdir(archive);
    await mkdir(queue);
    signals = [];
    diagnostics = [];
    watcher = null;
  });

  afterEach(async () => {
    await watcher?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function startWatcher(options: Partial<WerWatcherOptions> = {}): Promise<WerWatcher> {
    watcher = new WerWatcher({
      roots: [archive, queue],
      profiles: PROFILES,
      onSignal: (signal) => signals.push(signal),
      onDiagnostic: (diagnostic) => diagnostics.push(diagnostic),
      ...options,
    });
    await watcher.start();
    return watcher;
  }

  async function writeReport(root: string, reportId: string, bytes: Buffer): Promise<string> {
    const folder = path.join(root, folderFor(reportId));
    await mkdir(folder, { recursive: true });
    const file = path.join(folder, 'Report.wer');
    await writeFile(file, bytes);
    return file;
  }

  it('emits a report written after start once, from file events alone', async () => {
    // A long rescan period: only chokidar's event can deliver this within the deadline.
    const w = await startWatcher({ pollIntervalMs: 60_000 });
    const file = await writeReport(queue, 'aaaaaaaa-0000-4000-8000-000000000001', formatWerReport(crashReport('aaaaaaaa-0000-4000-8000-000000000001')));
    await waitFor(() => signals.length === 1, { what: 'the crash signal', timeoutMs: 5000 });
    expect(signals[0]).toMatchObject({
      source: 'wer', kind: 'crash', app: 'emisweb.exe', profile: 'emis-web', origin: file,
      at: Date.parse('2026-01-05T09:41:10.123Z'), signature: 'e0434352@clr.dll',
    });
    await w.rescanNow();
    expect(signals).toHaveLength(1);
    expect(diagnostics).toEqual([]);
  });

  it('emits a report moved from ReportQueue to ReportArchive once', async () => {
    const w = await startWatcher({ pollIntervalMs: 60_000 });
    const id = 'bbbbbbbb-0000-4000-8000-000000000002';
    await writeReport(queue, id, formatWerReport(crashReport(id)));
    await waitFor(() => signals.length === 1, { what: 'the queued report', timeoutMs: 5000 });
    // WER moves the whole folder once the report is sent (and may rewrite the file as it does).
    await rename(path.join(queue, folderFor(id)), path.join(archive, folderFor(id)));
    await writeFile(path.join(archive, folderFor(id), 'Report.wer'), formatWerReport({ ...crashReport(id), extra: [['Response.type', '4']] }));
    await w.rescanNow();
    expect(signals).toHaveLength(1);
    expect(diagnostics).toEqual([]);
  });

  it('waits for a half-written report and emits it whole once it is complete', async () => {
    const w = await startWatcher({ fileEvents: 'off', pollIntervalMs: 60_000 });
    const id = 'cccccccc-0000-4000-8000-000000000003';
    const whole = formatWerReport(crashReport(id));
    const text = whole.subarray(2).toString('utf16le');
    // Everything up to the signatures: readable, but AppPath (written last by WER) is missing.
    const partial = Buffer.concat([whole.subarray(0, 2), Buffer.from(text.slice(0, text.indexOf('Sig[2]')), 'utf16le')]);
    const file = await writeReport(queue, id, partial);
    await w.rescanNow();
    expect(signals).toEqual([]);

    // Mid-character: an odd number of bytes cannot be UTF-16 yet.
    await writeFile(file, whole.subarray(0, partial.length + 7));
    await w.rescanNow();
    expect(signals).toEqual([]);
    expect(diagnostics).toEqual([]);

    await writeFile(file, whole);
    await w.rescanNow();
    expect(signals).toHaveLength(1);
    expect(signals[0]?.detail).toBe(`WER APPCRASH emisweb.exe 9.2.1.0 fault module clr.dll exception e0434352 (report ${id})`);
    await w.rescanNow();
    expect(signals).toHaveLength(1);
  });

  it('takes a report without AppPath as it is once it stops changing', async () => {
    const w = await startWatcher({ fileEvents: 'off', pollIntervalMs: 60_000 });
    const id = 'dddddddd-0000-4000-8000-000000000004';
    const whole = formatWerReport(crashReport(id)).subarray(2).toString('utf16le');
    const withoutAppPath = whole.split('\r\n').filter((line) => !line.startsWith('AppPath=')).join('\r\n');
    await writeReport(archive, id, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(withoutAppPath, 'utf16le')]));
    await w.rescanNow();
    expect(signals).toEqual([]);
    await w.rescanNow();
    expect(signals).toHaveLength(1);
    expect(signals[0]?.app).toBe('emisweb.exe');
  });

  it('reports a junk Report.wer once as a diagnostic and keeps watching', async () => {
    const w = await startWatcher({ fileEvents: 'off', pollIntervalMs: 60_000 });
    const junk = await writeReport(archive, 'eeeeeeee-0000-4000-8000-000000000005', await readFile(path.join(FIXTURES, 'loose/garbage.wer')));
    await w.rescanNow();
    expect(diagnostics).toEqual([]); // it might still be being written
    await w.rescanNow();
    await w.rescanNow();
    expect(diagnostics).toEqual([{ source: 'wer', code: 'wer-not-a-report', message: `${junk} is not a readable WER report and has stopped changing; it will be read again if it changes` }]);

    const id = 'ffffffff-0000-4000-8000-000000000006';
    await writeReport(queue, id, formatWerReport(crashReport(id)));
    await w.rescanNow();
    expect(signals).toHaveLength(1);
  });

  it('scans existing stores at start, limited by sinceMs, and ignores other programs', async () => {
    await cp(path.join(FIXTURES, 'ReportArchive'), archive, { recursive: true });
    await cp(path.join(FIXTURES, 'ReportQueue'), queue, { recursive: true });
    await startWatcher({ fileEvents: 'off', pollIntervalMs: 60_000, sinceMs: Date.parse('2026-01-05T10:00:00Z') });
    // APPCRASH at 09:41 is before sinceMs; WinSCP is not a watched program.
    expect(signals.map((s) => [s.kind, s.signature ?? null, new Date(s.at).toISOString()])).toEqual([
      ['crash', 'System.OutOfMemoryException', '2026-01-05T11:02:47.901Z'],
      ['hang', null, '2026-01-05T14:20:05.550Z'],
    ]);
    expect(diagnostics).toEqual([]);
  });

  it('starts watching a store that did not exist at start once a rescan sees it', async () => {
    await rm(queue, { recursive: true });
    const w = await startWatcher({ pollIntervalMs: 60_000 });
    await mkdir(queue);
    await w.rescanNow();
    const id = '78787878-0000-4000-8000-000000000010';
    await writeReport(queue, id, formatWerReport(crashReport(id)));
    await waitFor(() => signals.length === 1, { what: 'a file event from the new store', timeoutMs: 5000 });
    expect(diagnostics).toEqual([]);
  });

  it('finds reports by periodic rescans when file events are off', async () => {
    await startWatcher({ fileEvents: 'off', pollIntervalMs: 25 });
    const id = '12121212-0000-4000-8000-000000000007';
    await writeReport(archive, id, formatWerReport(crashReport(id)));
    await waitFor(() => signals.length === 1, { what: 'a rescan to find the report', timeoutMs: 5000 });
  });

  it('finds reports with chokidar polling (the network-share mode)', async () => {
    await startWatcher({ fileEvents: 'polling', pollIntervalMs: 50 });
    const id = '34343434-0000-4000-8000-000000000008';
    await writeReport(queue, id, formatWerReport(crashReport(id)));
    await waitFor(() => signals.length === 1, { what: 'the polled report', timeoutMs: 5000 });
  });
});
