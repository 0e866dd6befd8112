import type { Signal } from '../../../common/signal.ts';
import { exeNameFromPath, profileForExe, type ProfileApps } from '../wer/profileApps.ts';
import { normaliseExceptionCode } from '../wer/werSignal.ts';
import type { EventRecord } from './eventLogXml.ts';

/**
 * Application Error 1000, in EventData order. Windows 11 / Server 2025 name them; older builds
 * write the same values unnamed, so each is looked up by name, then by position.
 */
const APPLICATION_ERROR_FIELDS = [
  'AppName', 'AppVersion', 'AppTimeStamp', 'ModuleName', 'ModuleVersion', 'ModuleTimeStamp', 'ExceptionCode',
  'FaultingOffset', 'ProcessId', 'ProcessCreationTime', 'AppPath', 'ModulePath', 'IntegratorReportId',
  'PackageFullName', 'PackageRelativeAppId',
] as const;

/**
 * Application Hang 1002, in EventData order (message: "The program %1 version %2 stopped interacting
 * with Windows and was closed ... Process ID: %3, Start Time: %4, Termination Time: %5, Application
 * Path: %6, Report Id: %7, Faulting package full name: %8, ...relative application ID: %9, Hang type: %10").
 */
const APPLICATION_HANG_FIELDS = [
  'AppName', 'AppVersion', 'ProcessID', 'StartTime', 'TerminationTime', 'AppPath', 'ReportID',
  'PackageFullName', 'PackageRelativeAppId', 'HangType',
] as const;

/**
 * The signal an Application-log event gives about a watched client: 1000 (Application Error) and
 * 1026 (.NET Runtime) are crashes, 1002 (Application Hang) a hang. Other providers and ids, and
 * programs no profile watches, give null. The detail holds only what Windows wrote about the
 * program (names, versions, codes, types) — never exception messages, which may quote data.
 */
export function eventSignal(record: EventRecord, profileApps: readonly ProfileApps[]): Signal | null {
  const provider = record.provider.toLowerCase();
  if (record.eventId === 1000 && provider === 'application error') return applicationError(record, profileApps);
  if (record.eventId === 1002 && provider === 'application hang') return applicationHang(record, profileApps);
  if (record.eventId === 1026 && provider === '.net runtime') return dotNetRuntime(record, profileApps);
  return null;
}

function applicationError(record: EventRecord, profiles: readonly ProfileApps[]): Signal | null {
  const get = fieldReader(record, APPLICATION_ERROR_FIELDS);
  const app = exeOf(get('AppName'), get('AppPath'));
  const profile = app === null ? null : profileForExe(app, profiles);
  if (app === null || profile === null) return null;
  const module = get('ModuleName');
  const code = normaliseExceptionCode(get('ExceptionCode'));
  const reportId = get('IntegratorReportId');
  const detail = words(
    'Event 1000 Application Error', app, get('AppVersion'),
    module && `fault module ${module}`, code && `exception ${code}`,
    `(${reportId ? `report ${reportId}, ` : ''}record ${record.recordId})`,
  );
  const signal = base(record, 'crash', app, profile, detail);
  if (code !== null) signal.signature = `${code}@${(module ?? 'unknown').toLowerCase()}`;
  const pid = parseHexPid(get('ProcessId'));
  if (pid !== null) signal.pid = pid;
  return signal;
}

function applicationHang(record: EventRecord, profiles: readonly ProfileApps[]): Signal | null {
  const get = fieldReader(record, APPLICATION_HANG_FIELDS);
  const app = exeOf(get('AppName'), get('AppPath'));
  const profile = app === null ? null : profileForExe(app, profiles);
  if (app === null || profile === null) return null;
  const detail = words('Event 1002 Application Hang', app, get('AppVersion'), 'stopped interacting with Windows and was closed', `(record ${record.recordId})`);
  const signal = base(record, 'hang', app, profile, detail);
  const pid = parseHexPid(get('ProcessID'));
  if (pid !== null) signal.pid = pid;
  return signal;
}

function dotNetRuntime(record: EventRecord, profiles: readonly ProfileApps[]): Signal | null {
  const report = parseDotNetRuntimeText(record.data.join('\n') || record.message || '');
  const app = report.application === null ? null : exeNameFromPath(report.application);
  const profile = app === null || app === '' ? null : profileForExe(app, profiles);
  if (app === null || profile === null) return null;
  const signature = report.outerException ?? (report.failFast ? 'FailFast' : null);
  const inner = report.innerException !== null && report.innerException !== report.outerException ? `(inner ${report.innerException})` : null;
  const detail = words('Event 1026 .NET Runtime', app, signature && `unhandled ${signature}`, inner, `(record ${record.recordId})`);
  const signal = base(record, 'crash', app, profile, detail);
  if (signature !== null) signal.signature = signature;
  return signal;
}

export interface DotNetRuntimeReport {
  application: string | null;
  /** The exception that reached the top: what CLR20r3 records as P9 (e.g. XamlParseException). */
  outerException: string | null;
  /** The first exception listed: the root cause when exceptions were wrapped. */
  innerException: string | null;
  failFast: boolean;
}

/**
 * Reads the text of a .NET Runtime 1026 event ("Application: X.exe / Framework Version: ... /
 * Description: ... / Exception Info: System.OutOfMemoryException / at ..."). .NET Framework lists
 * wrapped exceptions innermost first, one "Exception Info:" line each; CoreCLR adds ": message"
 * after the type, which is dropped here.
 */
export function parseDotNetRuntimeText(text: string): DotNetRuntimeReport {
  let application: string | null = null;
  const exceptions: string[] = [];
  let failFast = false;
  for (const line of text.split(/\r\n|\n|\r/)) {
    const trimmed = line.trim();
    const app = /^Application:\s*(.+)$/i.exec(trimmed);
    if (app && application === null) application = app[1]?.trim() ?? null;
    const exception = /^Exception Info:\s*([^\s:]+)/i.exec(trimmed);
    if (exception?.[1]) exceptions.push(exception[1]);
    if (/^Description:.*FailFast/i.test(trimmed)) failFast = true;
  }
  return { application, outerException: exceptions.at(-1) ?? null, innerException: exceptions[0] ?? null, failFast };
}

function base(record: EventRecord, kind: 'crash' | 'hang', app: string, profile: string, detail: string): Signal {
  return { source: 'eventlog', kind, at: record.timeCreated, app, profile, detail, origin: `eventlog:${record.channel ?? 'Application'}:${record.recordId}` };
}

function fieldReader(record: EventRecord, fields: readonly string[]): (name: string) => string | null {
  return (name) => {
    const value = record.namedData[name] ?? record.data[fields.indexOf(name)];
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

function words(...parts: (string | null | undefined)[]): string {
  return parts.filter((p): p is string => typeof p === 'string' && p !== '').join(' ');
}
