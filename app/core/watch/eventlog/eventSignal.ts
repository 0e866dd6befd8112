import type { Signal, SignalKind } from '../../../common/signal.ts';
import { OTHER_PROFILE, signalOf, type ArtefactVerdict } from '../artefactVerdict.ts';
import { exeNameFromPath, profileFor, type ProfileApps } from '../wer/profileApps.ts';
import { bucketExe, describeBucket, normaliseExceptionCode, werKind, words } from '../wer/werSignal.ts';
import type { EventRecord } from './eventLogXml.ts';

/**
 * Application Error 1000, in EventData order. Windows 11 / Server 2025 name them; older builds
 * write the same values unnamed, so each is looked up by name, then by position, then (an Event
 * Viewer text copy has no EventData) in the English description.
 */
const APPLICATION_ERROR_FIELDS = [
  'AppName', 'AppVersion', 'AppTimeStamp', 'ModuleName', 'ModuleVersion', 'ModuleTimeStamp', 'ExceptionCode',
  'FaultingOffset', 'ProcessId', 'ProcessCreationTime', 'AppPath', 'ModulePath', 'IntegratorReportId',
  'PackageFullName', 'PackageRelativeAppId',
] as const;
const APPLICATION_ERROR_TEXT: Record<string, RegExp> = {
  AppName: /^Faulting application name:\s*([^,\r\n]+)/im,
  AppVersion: /^Faulting application name:[^,\r\n]*,\s*version:\s*([^,\r\n]+)/im,
  ModuleName: /^Faulting module name:\s*([^,\r\n]+)/im,
  ExceptionCode: /^Exception code:\s*(\S+)/im,
  ProcessId: /^Faulting process id:\s*(\S+)/im,
  AppPath: /^Faulting application path:\s*(.+?)\s*$/im,
  IntegratorReportId: /^Report Id:\s*(\S+)/im,
};

/**
 * Application Hang 1002, in EventData order (message: "The program %1 version %2 stopped interacting
 * with Windows and was closed ... Process ID: %3, Start Time: %4, Termination Time: %5, Application
 * Path: %6, Report Id: %7, Faulting package full name: %8, ...relative application ID: %9, Hang type: %10").
 */
const APPLICATION_HANG_FIELDS = [
  'AppName', 'AppVersion', 'ProcessID', 'StartTime', 'TerminationTime', 'AppPath', 'ReportID',
  'PackageFullName', 'PackageRelativeAppId', 'HangType',
] as const;
const APPLICATION_HANG_TEXT: Record<string, RegExp> = {
  AppName: /The program (\S+?) version /i,
  AppVersion: /The program \S+? version (\S+)/i,
  ProcessID: /^Process ID:\s*(\S+)/im,
  AppPath: /^Application Path:\s*(.+?)\s*$/im,
};

/** Windows Error Reporting 1001: bucket, bucket type, event name, response, cab id, then P1…P10, then files, store path… */
const WER_EVENT_NAME = 2;
const WER_FIRST_PARAMETER = 5;
const WER_REPORT_ID = 19;

/**
 * The signal an Application-log event gives about a watched client: 1000 (Application Error),
 * 1026 (.NET Runtime) and 1001 (Windows Error Reporting with a crash bucket) are crashes, 1002
 * (Application Hang) and 1001 with a hang bucket are hangs. Other providers, ids and levels give
 * null (a ".NET Runtime" 1000 is an ILogger record, never a crash), and so do programs no profile
 * watches. The detail holds only what Windows wrote about the program (names, versions, codes,
 * types) — never exception messages, which may quote data.
 */
export function eventSignal(record: EventRecord, profileApps: readonly ProfileApps[]): Signal | null {
  return signalOf(eventVerdict(record, profileApps));
}

/** What an event says: a signal for a watched client, a crash or hang of another program, or nothing. */
export function eventVerdict(record: EventRecord, profileApps: readonly ProfileApps[], allApps = false): ArtefactVerdict {
  const provider = record.provider.toLowerCase();
  // Crash and hang events are errors (level 2) or have no level (text copies); an information or
  // verbose event with the same id is something else. WER 1001 is always information.
  const severe = record.level === null || record.level <= 3;
  if (record.eventId === 1000 && provider === 'application error' && severe) return applicationError(record, profileApps, allApps);
  if (record.eventId === 1002 && provider === 'application hang' && severe) return applicationHang(record, profileApps, allApps);
  if (record.eventId === 1026 && provider === '.net runtime' && severe) return dotNetRuntime(record, profileApps, allApps);
  if (record.eventId === 1001 && provider === 'windows error reporting') return werEvent(record, profileApps, allApps);
  return { verdict: 'not-a-crash' };
}

function profileOrOther(names: readonly (string | null)[], profiles: readonly ProfileApps[], allApps: boolean): string | null {
  return profileFor(names, profiles) ?? (allApps ? OTHER_PROFILE : null);
}

function applicationError(record: EventRecord, profiles: readonly ProfileApps[], allApps: boolean): ArtefactVerdict {
  const get = fieldReader(record, APPLICATION_ERROR_FIELDS, APPLICATION_ERROR_TEXT);
  const app = exeOf(get('AppName'), get('AppPath'));
  if (app === null) return { verdict: 'not-a-crash' };
  const profile = profileOrOther([app], profiles, allApps);
  if (profile === null) return { verdict: 'other-app', app, kind: 'crash' };
  const module = get('ModuleName');
  const code = normaliseExceptionCode(get('ExceptionCode'));
  const reportId = get('IntegratorReportId');
  const detail = words(
    'Event 1000 Application Error', app, get('AppVersion'),
    module && `fault module ${module}`, code && `exception ${code}`,
    `(${reportId ? `report ${reportId}, ` : ''}${recordLabel(record)})`,
  );
  const signal = base(record, 'crash', app, profile, detail);
  if (code !== null) signal.signature = `${code}@${(module ?? 'unknown').toLowerCase()}`;
  const pid = parseHexPid(get('ProcessId'));
  if (pid !== null) signal.pid = pid;
  return { verdict: 'signal', signal };
}

function applicationHang(record: EventRecord, profiles: readonly ProfileApps[], allApps: boolean): ArtefactVerdict {
  const get = fieldReader(record, APPLICATION_HANG_FIELDS, APPLICATION_HANG_TEXT);
  const app = exeOf(get('AppName'), get('AppPath'));
  if (app === null) return { verdict: 'not-a-crash' };
  const profile = profileOrOther([app], profiles, allApps);
  if (profile === null) return { verdict: 'other-app', app, kind: 'hang' };
  const detail = words('Event 1002 Application Hang', app, get('AppVersion'), 'stopped interacting with Windows and was closed', `(${recordLabel(record)})`);
  const signal = base(record, 'hang', app, profile, detail);
  const pid = parseHexPid(get('ProcessID'));
  if (pid !== null) signal.pid = pid;
  return { verdict: 'signal', signal };
}

function dotNetRuntime(record: EventRecord, profiles: readonly ProfileApps[], allApps: boolean): ArtefactVerdict {
  const report = parseDotNetRuntimeText(record.data.join('\n') || record.message || '');
  const app = report.application === null ? null : exeNameFromPath(report.application);
  if (app === null || app === '') return { verdict: 'not-a-crash' };
  const profile = profileOrOther([app], profiles, allApps);
  if (profile === null) return { verdict: 'other-app', app, kind: 'crash' };
  const signature = report.outerException ?? (report.failFast ? 'FailFast' : null);
  const inner = report.innerException !== null && report.innerException !== report.outerException ? `(inner ${report.innerException})` : null;
  const detail = words('Event 1026 .NET Runtime', app, signature && `unhandled ${signature}`, inner, `(${recordLabel(record)})`);
  const signal = base(record, 'crash', app, profile, detail);
  if (signature !== null) signal.signature = signature;
  return { verdict: 'signal', signal };
}

/**
 * Windows Error Reporting 1001: the bucket WER filed, with the same parameters as Report.wer's
 * Sig[n] (P1…P10, by position). AppHangB1 is a hang; APPCRASH, CLR20r3, BEX are crashes; the
 * many other buckets (updates, store, kernel) are not the client's crash or hang.
 */
function werEvent(record: EventRecord, profiles: readonly ProfileApps[], allApps: boolean): ArtefactVerdict {
  const fromText = record.data.length === 0 && record.message !== undefined ? werBucketFromText(record.message) : null;
  const eventType = (record.namedData['EventName'] ?? record.data[WER_EVENT_NAME] ?? fromText?.eventType ?? '').trim();
  const kind = werKind(eventType);
  if (kind === null) return { verdict: 'not-a-crash' };
  const positional = fromText?.parameters ?? Array.from({ length: 10 }, (_, i) => record.namedData[`P${i + 1}`] ?? record.data[WER_FIRST_PARAMETER + i] ?? '');
  const bucket = { eventType, named: {}, positional };
  const app = bucketExe(bucket);
  if (app === null) return { verdict: 'not-a-crash' };
  const profile = profileOrOther([app], profiles, allApps);
  if (profile === null) return { verdict: 'other-app', app, kind };
  const reportId = (record.namedData['ReportId'] ?? record.data[WER_REPORT_ID] ?? '').trim();
  const { detail, signature } = describeBucket(bucket, kind, app, 'Event 1001 Windows Error Reporting', `(${reportId ? `report ${reportId}, ` : ''}${recordLabel(record)})`);
  const signal = base(record, kind, app, profile, detail);
  if (signature !== null) signal.signature = signature;
  return { verdict: 'signal', signal };
}

/** "Event Name: APPCRASH … P1: EmisWeb.exe P2: …" in an English Event Viewer text copy. */
function werBucketFromText(message: string): { eventType: string; parameters: string[] } | null {
  const eventType = /^Event Name:\s*(\S+)/im.exec(message)?.[1];
  if (eventType === undefined) return null;
  const parameters = Array.from({ length: 10 }, (_, i) => new RegExp(`^P${i + 1}:[ \\t]*(.*?)\\s*$`, 'm').exec(message)?.[1] ?? '');
  return { eventType, parameters };
}

export interface DotNetRuntimeReport {
  application: string | null;
  /** The exception that reached the top: what CLR20r3 records as P9 (e.g. XamlParseException). */
  outerException: string | null;
  /** The first exception listed: the root cause when exceptions were wrapped. */
  innerException: string | null;
  failFast: boolean;
}

/** "Label: value" or "Label : value" (French typography); labels are words in any language. */
const LABELLED_LINE = /^([^:\r\n]{1,60}?)\s?:\s*(.*)$/;
/** A .NET type name: dotted identifiers, the last naming an exception ("System.IO.FileNotFoundException"). */
const EXCEPTION_TYPE = /^([A-Za-z_][\w`]*(?:\.[A-Za-z_][\w`+]*)*(?:Exception|Error))(?=$|[\s:(,])/;

/**
 * Reads the text of a .NET Runtime 1026 event ("Application: X.exe / Framework Version: ... /
 * Description: ... / Exception Info: System.OutOfMemoryException / at ..."). On a non-English
 * Windows the labels are translated ("Anwendung:", "Application :", "应用程序:") but the layout is
 * not: the first labelled line names the program, and every labelled line whose value is an
 * exception type is one "Exception Info" line. .NET Framework lists wrapped exceptions innermost
 * first; CoreCLR adds ": message" after the type, which is dropped here.
 */
export function parseDotNetRuntimeText(text: string): DotNetRuntimeReport {
  let application: string | null = null;
  const exceptions: string[] = [];
  let failFast = false;
  let labelled = 0;
  for (const line of text.split(/\r\n|\n|\r/, 400)) {
    const trimmed = line.trim();
    if (/FailFast/.test(trimmed) && labelled <= 4) failFast = true;
    const m = LABELLED_LINE.exec(trimmed);
    if (!m || /^(at|bei|à|в|在)\s/i.test(trimmed)) continue;
    const [, label = '', value = ''] = m;
    labelled++;
    if (application === null && (/^application$/i.test(label.trim()) || (labelled === 1 && /\.exe\b/i.test(value)))) {
      application = value.trim() || null;
      continue;
    }
    const exception = EXCEPTION_TYPE.exec(value.trim());
    if (exception?.[1]) exceptions.push(exception[1]);
  }
  return { application, outerException: exceptions.at(-1) ?? null, innerException: exceptions[0] ?? null, failFast };
}

function base(record: EventRecord, kind: SignalKind, app: string, profile: string, detail: string): Signal {
  const id = record.recordId === null ? `${record.timeCreated}` : `${record.recordId}`;
  return { source: 'eventlog', kind, at: record.timeCreated, app, profile, detail, origin: `eventlog:${record.channel ?? 'Application'}:${id}` };
}

function recordLabel(record: EventRecord): string {
  return record.recordId === null ? 'no record id' : `record ${record.recordId}`;
}

function fieldReader(record: EventRecord, fields: readonly string[], fromText: Record<string, RegExp>): (name: string) => string | null {
  const message = record.data.length === 0 ? (record.message ?? '') : '';
  return (name) => {
    const value = record.namedData[name] ?? record.data[fields.indexOf(name)] ?? (message ? fromText[name]?.exec(message)?.[1] : undefined);
    const trimmed = value?.trim();
    return trimmed ? trimmed : null;
  };
}

function exeOf(appName: string | null, appPath: string | null): string | null {
  const name = appName ?? appPath;
  if (name === null) return null;
  const exe = exeNameFromPath(name);
  return exe === '' ? null : exe;
}

/** "0x1a2c" (1000) or "1a2c" (1002): both hexadecimal process ids. */
function parseHexPid(value: string | null): number | null {
  if (value === null || !/^(0x)?[0-9a-f]{1,8}$/i.test(value)) return null;
  const pid = Number.parseInt(value.replace(/^0x/i, ''), 16);
  return pid > 0 ? pid : null;
}
