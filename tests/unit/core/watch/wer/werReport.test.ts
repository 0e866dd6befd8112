import { mkdtemp, readFile, rm, utimes, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SignalSchema } from '../../../../../app/common/signal.ts';
import { findWerReports, werRoots } from '../../../../../app/core/watch/wer/werFolders.ts';
import { WerFormatError } from '../../../../../app/core/watch/wer/werFormat.ts';
import { werKind } from '../../../../../app/core/watch/wer/werSignal.ts';
import { filetimeToMs, formatWerReport, msToFiletime, parseWerReport, WerParseError, werSignal } from '../../../../../app/core/watch/wer/werReport.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../../../fixtures/wer');
const ARCHIVE = path.join(FIXTURES, 'ReportArchive');
const APPCRASH = path.join(ARCHIVE, 'AppCrash_EmisWeb.exe_9c2f4e7a1b3d5f6a8c0e2b4d6f8a0c1e3b5d7f9_4f1a2b3c_3f6c1b0e-8d2a-4f57-9a41-6e0c2d7b5a19/Report.wer');
const CLR20R3 = path.join(ARCHIVE, 'AppCrash_EmisWeb.exe_e1d2c3b4a5968778695a4b3c2d1e0f9a8b7c6d5e_4f1a2b3c_9a0d4c52-17e3-4b6a-8f21-c3d5e7f90b14/Report.wer');
const WINSCP = path.join(ARCHIVE, 'AppCrash_WinSCP.exe_5a9e0d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e_77f3c0de_0c1d2e3f-4a5b-4c6d-8e7f-90a1b2c3d4e5/Report.wer');
const HANG = path.join(FIXTURES, 'ReportQueue/AppHang_EmisWeb.exe_8a3f2c1d0e9b8a7c6d5e4f3a2b1c0d9e8f7a6b5_ba1e8f87_5e7a9c1b-3d5f-4a6b-8c0d-2e4f6a8b0c2d/Report.wer');
const loose = (name: string): string => path.join(FIXTURES, 'loose', name);

const PROFILES = [
  { profile: 'emis-web', apps: ['EmisWeb.exe'] },
  { profile: 'systmone', apps: ['SystmOne.exe'] },
];

const parseFile = async (file: string) => parseWerReport(await readFile(file), file);

describe('filetimeToMs', () => {
  it('converts the published WinSCP EventTime exactly, with BigInt precision', () => {
    expect(new Date(filetimeToMs('133211708571634483')).toISOString()).toBe('2023-02-18T05:14:17.163Z');
    expect(filetimeToMs(133211708571634483n)).toBe(Date.parse('2023-02-18T05:14:17.163Z'));
  });
  it('truncates sub-millisecond ticks instead of rounding across a millisecond', () => {
    const base = msToFiletime(Date.parse('2026-01-05T09:41:10.123Z'));
    expect(filetimeToMs(base + 9_999n)).toBe(Date.parse('2026-01-05T09:41:10.123Z'));
    expect(filetimeToMs(base + 10_000n)).toBe(Date.parse('2026-01-05T09:41:10.124Z'));
  });
  it('maps the Unix epoch and rejects text that is not a tick count', () => {
    expect(filetimeToMs('116444736000000000')).toBe(0);
    expect(() => filetimeToMs('12ab')).toThrow(RangeError);
  });
});

describe('parseWerReport', () => {
  it('reads a UTF-16LE, CRLF APPCRASH report by signature name', async () => {
    const bytes = await readFile(APPCRASH);
    expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    const report = parseWerReport(bytes, APPCRASH);
    expect(report).toMatchObject({
      eventType: 'APPCRASH',
      appName: 'EMIS Web',
      appPath: 'C:\\Program Files (x86)\\EMIS\\EMIS Web\\EmisWeb.exe',
      exeName: 'emisweb.exe',
      reportId: '3f6c1b0e-8d2a-4f57-9a41-6e0c2d7b5a19',
      integratorReportId: 'b7e2d4a1-5c3f-4e8b-9d60-1a2b3c4d5e6f',
      friendlyEventName: 'Stopped working',
      origin: APPCRASH,
    });
    expect(new Date(report.eventTime ?? 0).toISOString()).toBe('2026-01-05T09:41:10.123Z');
    expect(report.signatures).toMatchObject({ 'Application Name': 'EmisWeb.exe', 'Fault Module Name': 'clr.dll', 'Exception Code': 'e0434352' });
    expect(report.dynamicSignatures).toMatchObject({ 'OS Version': '10.0.19045.2.0.0.256.48', 'Locale ID': '2057' });
    expect(report.raw['LoadedModule[6]']).toBe('C:\\Windows\\Microsoft.NET\\Framework\\v4.0.30319\\clr.dll');
    expect(report.raw['Response.BucketTable']).toBe('1');
  });

  it('gives the same report from UTF-16BE and from UTF-8 without BOM and LF line ends', async () => {
    const le = await parseFile(APPCRASH);
    const be = await parseFile(loose('appcrash-emis-utf16be.wer'));
    expect(be.raw).toEqual(le.raw);
    const utf8 = await parseFile(loose('bex-systmone-utf8-lf.wer'));
    expect(utf8).toMatchObject({ eventType: 'BEX', exeName: 'systmone.exe' });
  });

  it('accepts UTF-16LE without a BOM (detected by its NUL pattern)', async () => {
    const withBom = await readFile(APPCRASH);
    expect(parseWerReport(withBom.subarray(2)).raw).toEqual(parseWerReport(withBom).raw);
  });

  it('keeps "=" inside values and resolves signatures by name whatever their index', () => {
    const text = [
      'Version=1', 'EventType=BEX64', 'EventTime=133211708571634483', 'ReportIdentifier=r-1',
      'Sig[1].Name=Exception Code', 'Sig[1].Value=c0000409', 'Sig[0].Name=Application Name', 'Sig[0].Value=EmisWeb.exe',
      'Sig[2].Name=Fault Module Name', 'Sig[2].Value=ntdll.dll',
      'UI[8]=https://example.invalid/help?topic=crash&lang=en', 'AppPath=C:\\EMIS\\EmisWeb.exe',
    ].join('\r\n');
    const report = parseWerReport(Buffer.from(text, 'utf8'));
    expect(report.raw['UI[8]']).toBe('https://example.invalid/help?topic=crash&lang=en');
    expect(report.signatures).toEqual({ 'Application Name': 'EmisWeb.exe', 'Exception Code': 'c0000409', 'Fault Module Name': 'ntdll.dll' });
    expect(werSignal(report, PROFILES)?.signature).toBe('c0000409@ntdll.dll');
  });

  it('reads the WinSCP report published in the psmths forensics notes', async () => {
    const report = await parseFile(WINSCP);
    expect(report.exeName).toBe('winscp.exe');
    expect(report.appName).toBe('WinSCP: SFTP, FTP, WebDAV, S3 and SCP client');
    expect(new Date(report.eventTime ?? 0).toISOString()).toBe('2023-02-18T05:14:17.163Z');
    expect(werSignal(report, PROFILES)).toBeNull();
    expect(werSignal(report, [{ profile: 'tools', apps: ['winscp.exe'] }])?.signature).toBe('c0000005@mshtml.dll');
  });

  it.each([
    ['empty.wer', 'empty'],
    ['garbage.wer', 'undecodable'],
    ['truncated.wer', 'undecodable'],
    ['prose.wer', 'not-key-value'],
  ] as const)('rejects %s with a typed error naming the file (%s)', async (name, reason) => {
    const file = loose(name);
    const error = await parseFile(file).then(() => null, (err: unknown) => err);
    expect(error).toBeInstanceOf(WerParseError);
    expect((error as WerParseError).reason).toBe(reason);
    expect((error as WerParseError).message).toContain(file);
  });

  it('rejects Key=Value text without an EventType, and text with control characters', () => {
    expect(() => parseWerReport(Buffer.from('Version=1\r\nAppPath=C:\\x.exe\r\n'))).toThrow(/no EventType/);
    expect(() => parseWerReport(Buffer.from('Version=1\r\nEventType=APPCRASH\u0007\r\n'))).toThrow(/binary data/);
  });
});

describe('werSignal', () => {
  it('turns an EMIS APPCRASH into a crash signal with one evidence line', async () => {
    const signal = werSignal(await parseFile(APPCRASH), [{ profile: 'emis-web', apps: ['EMISWEB.EXE'] }]);
    expect(signal).toEqual({
      source: 'wer',
      kind: 'crash',
      at: Date.parse('2026-01-05T09:41:10.123Z'),
      app: 'emisweb.exe',
      profile: 'emis-web',
      detail: 'WER APPCRASH emisweb.exe 9.2.1.0 fault module clr.dll exception e0434352 (report 3f6c1b0e-8d2a-4f57-9a41-6e0c2d7b5a19)',
      signature: 'e0434352@clr.dll',
      origin: APPCRASH,
    });
    expect(SignalSchema.parse(signal)).toEqual(signal);
  });

  it('uses the CLR20r3 exception type (Problem Signature 09) as the signature', async () => {
    const signal = werSignal(await parseFile(CLR20R3), PROFILES);
    expect(signal).toMatchObject({ kind: 'crash', signature: 'System.OutOfMemoryException' });
    expect(signal?.detail).toBe('WER CLR20r3 emisweb.exe 9.2.1.0 exception System.OutOfMemoryException in mscorlib (report 9a0d4c52-17e3-4b6a-8f21-c3d5e7f90b14)');
  });

  it('restores the "Exception" suffix the CLR strips from long P9 names, whatever the name spelling', () => {
    const report = parseWerReport(formatWerReport({
      eventType: 'CLR20r3', eventTime: new Date('2026-01-05T10:00:00Z'), appPath: 'C:\\EMIS\\EmisWeb.exe', reportId: 'r-2',
      sigs: [{ name: 'Problem signature 1', value: 'EmisWeb.exe' }, { name: 'Problem signature 9', value: 'System.Management.Management' }],
    }));
    expect(werSignal(report, PROFILES)?.signature).toBe('System.Management.ManagementException');
  });

  it('finds BEX exception codes by name although BEX puts them at Sig[7]', async () => {
    const signal = werSignal(await parseFile(loose('bex-systmone-utf8-lf.wer')), PROFILES);
    expect(signal).toMatchObject({ kind: 'crash', profile: 'systmone', signature: 'c0000409@stackhash_2264' });
  });

  it('turns AppHangB1 into a hang, and knows the other hang and crash types', async () => {
    const signal = werSignal(await parseFile(HANG), PROFILES);
    expect(signal).toMatchObject({ kind: 'hang', app: 'emisweb.exe', at: Date.parse('2026-01-05T14:20:05.550Z') });
    expect(signal?.detail).toBe('WER AppHangB1 emisweb.exe 9.2.1.0 stopped responding (report 5e7a9c1b-3d5f-4a6b-8c0d-2e4f6a8b0c2d)');
    expect(signal?.signature).toBeUndefined();
    expect(['AppHangXProcB1', 'AppHangTransient', 'MoAppHang'].map(werKind)).toEqual(['hang', 'hang', 'hang']);
    expect(['BEX64', 'MoAppCrash', 'clr20r3'].map(werKind)).toEqual(['crash', 'crash', 'crash']);
    expect(['LiveKernelEvent', 'WindowsUpdateFailure3', 'BlueScreen'].map(werKind)).toEqual([null, null, null]);
  });
});

describe('formatWerReport', () => {
  const fields = {
    eventType: 'APPCRASH',
    eventTime: new Date('2026-01-07T16:05:09.876Z'),
    appPath: 'C:\\Program Files (x86)\\EMIS\\EMIS Web\\EmisWeb.exe',
    appName: 'EMIS Web',
    reportId: '11111111-2222-4333-8444-555555555555',
    integratorReportId: '66666666-7777-4888-9999-000000000000',
    sigs: [
      { name: 'Application Name', value: 'EmisWeb.exe' },
      { name: 'Application Version', value: '9.2.1.0' },
      { name: 'Fault Module Name', value: 'KERNELBASE.dll' },
      { name: 'Exception Code', value: 'e0434352' },
    ],
    dynamicSigs: [{ name: 'OS Version', value: '10.0.19045.2.0.0.256.48' }],
    loadedModules: ['C:\\Windows\\SYSTEM32\\ntdll.dll'],
  };

  it('writes UTF-16LE with a BOM and CRLF line ends, in WER key order', () => {
    const bytes = formatWerReport(fields);
    expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    const text = bytes.subarray(2).toString('utf16le');
    expect(text.startsWith('Version=1\r\nEventType=APPCRASH\r\nEventTime=')).toBe(true);
    expect(text.endsWith(`AppPath=${fields.appPath}\r\n`)).toBe(true);
    expect(text.split('\r\n').every((line) => !line.includes('\n'))).toBe(true);
    expect(text).toContain('DynamicSig[1].Name=OS Version\r\n');
  });

  it('round-trips through parseWerReport', () => {
    const report = parseWerReport(formatWerReport(fields));
    expect(report).toMatchObject({
      eventType: 'APPCRASH',
      eventTime: fields.eventTime.getTime(),
      appName: 'EMIS Web',
      appPath: fields.appPath,
      exeName: 'emisweb.exe',
      reportId: fields.reportId,
      integratorReportId: fields.integratorReportId,
      friendlyEventName: 'Stopped working',
    });
    expect(report.signatures).toEqual(Object.fromEntries(fields.sigs.map((s) => [s.name, s.value])));
    expect(report.raw['LoadedModule[0]']).toBe('C:\\Windows\\SYSTEM32\\ntdll.dll');
    expect(werSignal(report, PROFILES)?.detail).toBe('WER APPCRASH emisweb.exe 9.2.1.0 fault module KERNELBASE.dll exception e0434352 (report 11111111-2222-4333-8444-555555555555)');
  });

  it('refuses values that would break the line format', () => {
    expect(() => formatWerReport({ ...fields, sigs: [{ name: 'Application Name', value: 'Emis\r\nEventType=FAKE' }] })).toThrow(WerFormatError);
  });
});

describe('WER folders', () => {
  it('lists the four Windows stores, falling back to USERPROFILE for the per-user one', () => {
    expect(werRoots({ ProgramData: 'C:\\ProgramData', LOCALAPPDATA: 'C:\\Users\\gp\\AppData\\Local' }, 'win32')).toEqual([
      'C:\\ProgramData\\Microsoft\\Windows\\WER\\ReportArchive',
      'C:\\ProgramData\\Microsoft\\Windows\\WER\\ReportQueue',
      'C:\\Users\\gp\\AppData\\Local\\Microsoft\\Windows\\WER\\ReportArchive',
      'C:\\Users\\gp\\AppData\\Local\\Microsoft\\Windows\\WER\\ReportQueue',
    ]);
    expect(werRoots({ USERPROFILE: 'C:\\Users\\rx' }, 'win32')[2]).toBe('C:\\Users\\rx\\AppData\\Local\\Microsoft\\Windows\\WER\\ReportArchive');
    expect(werRoots({}, 'linux', ['/srv/wer/a', '/srv/wer/a', '/srv/wer/b'])).toEqual(['/srv/wer/a', '/srv/wer/b']);
  });

  it('finds Report.wer one level down, ignoring dumps, and [] for a store that does not exist yet', async () => {
    const found = await findWerReports(ARCHIVE);
    expect(found.map((f) => path.basename(path.dirname(f)).split('_')[1])).toEqual(['EmisWeb.exe', 'EmisWeb.exe', 'WinSCP.exe']);
    expect(found.every((f) => f.endsWith('Report.wer'))).toBe(true);
    expect(await findWerReports(path.join(FIXTURES, 'NoSuchStore'))).toEqual([]);
  });

  describe('with sinceMs', () => {
    let dir = '';
    afterAll(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });
    it('skips reports whose file was written before it', async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'lifeboat-wer-since-'));
      await cp(ARCHIVE, dir, { recursive: true });
      const [old] = await findWerReports(dir);
      const longAgo = new Date('2020-01-01T00:00:00Z');
      await utimes(old ?? '', longAgo, longAgo);
      const recent = await findWerReports(dir, { sinceMs: Date.parse('2024-01-01T00:00:00Z') });
      expect(recent).toHaveLength(2);
      expect(recent).not.toContain(old);
    });
  });
});
