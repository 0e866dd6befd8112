import { appendFile, copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../../../app/common/diagnostic.ts';
import { SignalSchema, type Signal } from '../../../../../app/common/signal.ts';
import { windowsCommand, type CommandResult, type CommandRunner } from '../../../../../app/core/watch/commandRunner.ts';
import { parseDotNetRuntimeText } from '../../../../../app/core/watch/eventlog/eventSignal.ts';
import { EventLogParseError, EventXmlSplitter, eventSignal, parseEventLogXml, parseSystemTime, type EventProblem, type EventRecord } from '../../../../../app/core/watch/eventlog/eventLogXml.ts';
import {
  crashEventsXPath,
  EventLogPoller,
  EventLogQueryError,
  FileEventLogSource,
  WevtutilEventLogSource,
  type EventLogSource,
} from '../../../../../app/core/watch/eventlog/eventLogReader.ts';
import { waitFor } from '../../../../support/waitFor.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../../../fixtures/eventlog');
const EXPORT = path.join(FIXTURES, 'application-export.xml');
const SAVED = path.join(FIXTURES, 'eventviewer-saved.xml');
const PROFILES = [{ profile: 'emis-web', apps: ['EmisWeb.exe'] }];

/** wevtutil cannot run here: this runner records the call and answers with fixture XML. */
class FakeRunner implements CommandRunner {
  readonly calls: { file: string; args: readonly string[] }[] = [];
  private readonly answer: CommandResult;
  constructor(answer: CommandResult) {
    this.answer = answer;
  }
  run(file: string, args: readonly string[]): Promise<CommandResult> {
    this.calls.push({ file, args });
    return Promise.resolve(this.answer);
  }
}

let exportText = '';
let records: EventRecord[] = [];
beforeAll(async () => {
  exportText = await readFile(EXPORT, 'utf8');
  records = parseEventLogXml(exportText);
});

describe('parseEventLogXml', () => {
  it('reads a wevtutil export: events one after another with no root element', () => {
    expect(exportText.startsWith('<Event ')).toBe(true);
    expect(records.map((r) => [r.provider, r.eventId, r.recordId])).toEqual([
      ['Application Error', 1000, 48211],
      ['Windows Error Reporting', 1001, 48212],
      ['Application Error', 1000, 48230],
      ['.NET Runtime', 1026, 48247],
      ['Application Error', 1000, 48248],
      ['.NET Runtime', 1000, 48260],
      ['Application Hang', 1002, 48302],
    ]);
  });

  it('takes System fields as Windows writes them: qualifiers, level, UTC SystemTime with 7 fraction digits', () => {
    const [first] = records;
    expect(first).toMatchObject({ qualifiers: 0, level: 2, channel: 'Application', computer: 'SURGERY-PC07.practice.local' });
    expect(new Date(first?.timeCreated ?? 0).toISOString()).toBe('2026-01-05T09:41:10.446Z');
    expect(records[2]?.qualifiers).toBeNull();
  });

  it('keeps EventData positional, records names where given, and skips <Binary>', () => {
    expect(records[0]?.data).toHaveLength(15);
    expect(records[0]?.data[6]).toBe('e0434352');
    expect(records[0]?.data[13]).toBe('');
    expect(records[2]?.namedData).toMatchObject({ AppName: 'OUTLOOK.EXE', ExceptionCode: 'c0000005' });
    expect(records[6]?.data).toHaveLength(9);
  });

  it('keeps the 1026 stack trace lines and decodes entities', () => {
    const text = records[3]?.data[0] ?? '';
    expect(text.split(/\r?\n/)[3]).toBe('Exception Info: System.OutOfMemoryException');
    expect(text).toContain('at Emis.Clinical.Journal.JournalLoader+<LoadPageAsync>d__12.MoveNext()');
  });

  it('accepts a single event and a concatenation without line breaks', () => {
    const lines = exportText.split('\r\n').filter((l) => l.startsWith('<Event '));
    expect(parseEventLogXml(lines[0] ?? '')).toHaveLength(1);
    expect(parseEventLogXml(`${lines[0]}${lines[2]}`).map((r) => r.recordId)).toEqual([48211, 48230]);
  });

  it('reads an Event Viewer "Save as XML" file: UTF-16, <Events> root, pretty-printed, with the rendered message', async () => {
    const saved = await new FileEventLogSource(SAVED).query(0);
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ provider: 'Application Error', eventId: 1000, recordId: 48991 });
    expect(saved[0]?.namedData['AppPath']).toBe('C:\\Program Files (x86)\\EMIS\\EMIS Web\\EmisWeb.exe');
    expect(saved[0]?.message).toMatch(/^Faulting application name: EmisWeb\.exe, version: 9\.2\.1\.0/);
  });

  it('keeps every complete event of a truncated export on disk; a binary file still names itself', async () => {
    const truncated = path.join(FIXTURES, 'malformed.xml');
    expect((await new FileEventLogSource(truncated).query(0)).map((r) => r.recordId)).toEqual([48211, 48212]);
    const binary = path.resolve(FIXTURES, '../wer/loose/garbage.wer');
    await expect(new FileEventLogSource(binary).query(0)).rejects.toThrow(EventLogParseError);
  });

  it('cuts a stream into the same events whatever the chunk boundaries (a tag split across reads included)', () => {
    const whole: string[] = [];
    new EventXmlSplitter((xml) => whole.push(xml), () => expect.unreachable()).write(exportText);
    expect(whole).toHaveLength(7);
    for (let size = 1; size <= 97; size += 3) {
      const seen: string[] = [];
      const splitter = new EventXmlSplitter((xml) => seen.push(xml), (p) => expect.unreachable(p.reason));
      for (let i = 0; i < exportText.length; i += size) splitter.write(exportText.slice(i, i + size));
      splitter.end();
      expect(seen).toEqual(whole);
    }
  });

  it('returns no records for empty wevtutil output', () => {
    expect(parseEventLogXml('')).toEqual([]);
    expect(parseEventLogXml('\r\n')).toEqual([]);
  });

  it('skips a bad event with its reason and reads the rest; only text with no event at all is an error', async () => {
    const problems: EventProblem[] = [];
    const truncated = await readFile(path.join(FIXTURES, 'malformed.xml'), 'utf8');
    expect(parseEventLogXml(truncated, (p) => problems.push(p))).toHaveLength(2);
    expect(problems).toEqual([{ event: 3, reason: expect.stringMatching(/truncated/) }]);
    problems.length = 0;
    const good = "<Event><System><Provider Name='Application Error'/><EventID>1000</EventID><TimeCreated SystemTime='2026-01-05T09:41:10Z'/></System></Event>";
    const records = parseEventLogXml(
      [
        '<Event><System><EventID>1000</EventID></Event>',
        "<Event><System><Provider Name='Application Error'/><EventID>1000</EventID><EventRecordID>1</EventRecordID></System></Event>",
        '<Event><System><Provider Name="a &amp b"/></System></Event>',
        good,
      ].join('\n'),
      (p) => problems.push(p),
    );
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ provider: 'Application Error', recordId: null });
    expect(problems.map((p) => [p.event, p.reason.split(' (')[0]])).toEqual([
      [1, 'malformed XML'],
      [2, 'Application Error 1000: no valid System/TimeCreated/@SystemTime'],
      [3, 'malformed XML'],
    ]);
    expect(() => parseEventLogXml('<configuration><appSettings/></configuration>')).toThrow(/no <Event> elements/);
  });

  it('parses SystemTime strictly as UTC', () => {
    expect(parseSystemTime('2014-01-21T14:09:23.000000000Z')).toBe(Date.parse('2014-01-21T14:09:23.000Z'));
    expect(parseSystemTime('2026-01-05T09:41:10Z')).toBe(Date.parse('2026-01-05T09:41:10.000Z'));
    // python-evtx and EvtxECmd convert FILETIME and write it with a space and no zone: still UTC.
    expect(parseSystemTime('2024-06-13 00:57:35.184137')).toBe(Date.parse('2024-06-13T00:57:35.184Z'));
    expect(parseSystemTime('2026-01-05T10:41:10+01:00')).toBe(Date.parse('2026-01-05T09:41:10.000Z'));
    expect(parseSystemTime('05/01/2026 09:41')).toBeNull();
  });
});

describe('eventSignal', () => {
  it('turns the export into the client crash and hang signals, ignoring other programs, providers and ids', () => {
    const signals = records.map((r) => eventSignal(r, PROFILES)).filter((s): s is Signal => s !== null);
    expect(signals.map((s) => [s.kind, s.signature ?? null, s.origin, s.pid ?? null])).toEqual([
      ['crash', 'e0434352@clr.dll', 'eventlog:Application:48211', 0x1a2c],
      ['crash', 'e0434352@clr.dll', 'eventlog:Application:48212', null],
      ['crash', 'System.OutOfMemoryException', 'eventlog:Application:48247', null],
      ['crash', 'e0434352@kernelbase.dll', 'eventlog:Application:48248', 0x17fc],
      ['hang', null, 'eventlog:Application:48302', 0x2f4c],
    ]);
    expect(signals.every((s) => s.source === 'eventlog' && s.app === 'emisweb.exe' && s.profile === 'emis-web')).toBe(true);
    for (const signal of signals) expect(SignalSchema.parse(signal)).toEqual(signal);
  });

  it('writes one evidence line per event from what Windows recorded', () => {
    const detail = (recordId: number): string | undefined => eventSignal(records.find((r) => r.recordId === recordId) as EventRecord, PROFILES)?.detail;
    expect(detail(48211)).toBe('Event 1000 Application Error emisweb.exe 9.2.1.0 fault module clr.dll exception e0434352 (report b7e2d4a1-5c3f-4e8b-9d60-1a2b3c4d5e6f, record 48211)');
    expect(detail(48247)).toBe('Event 1026 .NET Runtime emisweb.exe unhandled System.OutOfMemoryException (record 48247)');
    expect(detail(48302)).toBe('Event 1002 Application Hang emisweb.exe 9.2.1.0 stopped interacting with Windows and was closed (record 48302)');
  });

  it('reads the named (Windows 11) layout of event 1000 the same as the positional one', async () => {
    const [saved] = await new FileEventLogSource(SAVED).query(0);
    expect(eventSignal(saved as EventRecord, [{ profile: 'emis-web', apps: ['EMISWEB.EXE'] }])).toMatchObject({
      kind: 'crash', signature: 'e0434352@kernelbase.dll', pid: 0xf04, at: Date.parse('2026-01-06T08:30:12.246Z'),
    });
  });

  it('reads wrapped .NET exceptions (innermost first), CoreCLR messages and FailFast', () => {
    const wrapped = parseDotNetRuntimeText([
      'Application: Vision.exe', 'Framework Version: v4.0.30319', 'Description: The process was terminated due to an unhandled exception.',
      'Exception Info: System.IO.FileNotFoundException', '   at Vision.Startup.Load()',
      'Exception Info: System.Windows.Markup.XamlParseException', '   at System.Windows.Markup.WpfXamlLoader.Load()',
    ].join('\r\n'));
    expect(wrapped).toEqual({ application: 'Vision.exe', innerException: 'System.IO.FileNotFoundException', outerException: 'System.Windows.Markup.XamlParseException', failFast: false });
    expect(parseDotNetRuntimeText('Application: a.exe\nCoreCLR Version: 8.0.1\nException Info: System.InvalidOperationException: patient 943 476 5919 not found').outerException).toBe('System.InvalidOperationException');
    expect(parseDotNetRuntimeText('Application: a.exe\nDescription: The application requested process termination through System.Environment.FailFast(string message).\nMessage: x').failFast).toBe(true);
  });
});

describe('WevtutilEventLogSource', () => {
  it('asks wevtutil for crash and hang events since a time, oldest first, and parses its XML', async () => {
    const runner = new FakeRunner({ stdout: exportText, stderr: '', code: 0 });
    const source = new WevtutilEventLogSource({ runner, maxEvents: 50 });
    const since = Date.parse('2026-01-05T09:00:00Z');
    const got = await source.query(since);
    expect(got).toHaveLength(7);
    expect(runner.calls).toEqual([{
      file: windowsCommand('wevtutil'),
      args: ['qe', 'Application', `/q:${crashEventsXPath(since)}`, '/f:xml', '/rd:false', '/c:50'],
    }]);
    expect(crashEventsXPath(since)).toBe(
      "*[System[Provider[@Name='Application Error' or @Name='Application Hang' or @Name='.NET Runtime'] and (EventID=1000 or EventID=1002 or EventID=1026) and TimeCreated[@SystemTime>='2026-01-05T09:00:00.000Z']]]",
    );
  });

  it('returns [] when nothing matched and a typed error carrying stderr when wevtutil fails', async () => {
    expect(await new WevtutilEventLogSource({ runner: new FakeRunner({ stdout: '', stderr: '', code: 0 }) }).query(0)).toEqual([]);
    const failing = new WevtutilEventLogSource({ runner: new FakeRunner({ stdout: '', stderr: 'Failed to read events. Access is denied.', code: 5 }) });
    await expect(failing.query(0)).rejects.toThrow(EventLogQueryError);
    await expect(failing.query(0)).rejects.toThrow(/Access is denied/);
  });
});

describe('EventLogPoller', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('emits each event once across polls and only events after sinceMs', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lifeboat-eventlog-'));
    const file = path.join(dir, 'export.xml');
    await copyFile(EXPORT, file);
    const seen: Signal[] = [];
    const poller = new EventLogPoller({
      source: new FileEventLogSource(file), profiles: PROFILES, onSignal: (s) => seen.push(s),
      sinceMs: Date.parse('2026-01-05T10:00:00Z'),
    });
    expect((await poller.pollOnce()).map((s) => s.origin)).toEqual(['eventlog:Application:48247', 'eventlog:Application:48248', 'eventlog:Application:48302']);
    expect(await poller.pollOnce()).toEqual([]);

    // A later crash lands in the log (same shape as record 48248, new id and time).
    const later = exportText.split('\r\n').find((l) => l.includes('<EventRecordID>48248<')) ?? '';
    await appendFile(file, `${later.replace('48248', '48400').replace('2026-01-05T11:02:47.8125000Z', '2026-01-05T15:00:00.0000000Z')}\r\n`);
    expect((await poller.pollOnce()).map((s) => s.origin)).toEqual(['eventlog:Application:48400']);
    expect(seen).toHaveLength(4);
  });

  it('queries from the high-water mark less the overlap', async () => {
    const asked: number[] = [];
    const source: EventLogSource = {
      query: (sinceMs) => {
        asked.push(sinceMs);
        return Promise.resolve(records.filter((r) => r.timeCreated >= sinceMs));
      },
    };
    const poller = new EventLogPoller({ source, profiles: PROFILES, onSignal: () => undefined, sinceMs: 0, overlapMs: 1000 });
    await poller.pollOnce();
    await poller.pollOnce();
    expect(asked).toEqual([0, Date.parse('2026-01-05T14:20:05.901Z') - 1000]);
  });

  it('runs on a timer, reports a failing source as a diagnostic and keeps polling', async () => {
    let calls = 0;
    const source: EventLogSource = {
      query: () => {
        calls++;
        return calls === 1 ? Promise.reject(new EventLogQueryError('wevtutil qe Application failed: busy')) : Promise.resolve(records);
      },
    };
    const seen: Signal[] = [];
    const diagnostics: Diagnostic[] = [];
    const poller = new EventLogPoller({ source, profiles: PROFILES, onSignal: (s) => seen.push(s), onDiagnostic: (d) => diagnostics.push(d), sinceMs: 0, intervalMs: 10 });
    poller.start();
    await waitFor(() => seen.length === 5, { what: 'the second poll', timeoutMs: 5000 });
    await poller.stop();
    expect(diagnostics).toEqual([{ source: 'eventlog', code: 'eventlog-poll-failed', message: 'event log poll failed: wevtutil qe Application failed: busy' }]);
  });
});
