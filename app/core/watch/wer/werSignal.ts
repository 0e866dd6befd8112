import type { Signal, SignalKind } from '../../../common/signal.ts';
import { OTHER_PROFILE, signalOf, type ArtefactVerdict } from '../artefactVerdict.ts';
import { exeNameFromPath, profileFor, type ProfileApps } from './profileApps.ts';
import type { WerReport } from './werReport.ts';
import { werFact, type WerBucket } from './werSignatures.ts';

/** WER event types that mean the program died. BEX/BEX64: a buffer overrun or DEP stop. */
const CRASH_TYPES = new Set(['appcrash', 'clr20r3', 'bex', 'bex64', 'moappcrash']);
/** AppHangB1 (closed while hung), AppHangXProcB1 (hung waiting on another process), AppHangTransient (hung, then recovered). */
const HANG_TYPES = new Set(['apphangb1', 'apphangxprocb1', 'apphangtransient', 'moapphang']);

export function werKind(eventType: string): SignalKind | null {
  const type = eventType.toLowerCase();
  if (CRASH_TYPES.has(type)) return 'crash';
  if (HANG_TYPES.has(type) || type.startsWith('apphang')) return 'hang';
  return null;
}

/**
 * The signal a WER report gives about a watched client: crash or hang, with one evidence line
 * made only of what Windows wrote (exe, versions, module, codes, report id) — never file contents.
 * Null for other programs, for event types that are neither a crash nor a hang, and for a report
 * without EventTime (the watcher substitutes the file's write time before asking).
 */
export function werSignal(report: WerReport, profileApps: readonly ProfileApps[]): Signal | null {
  return signalOf(werVerdict(report, profileApps));
}

/**
 * What a Report.wer says: a signal for a watched client (matched by exe name or by the friendly
 * `AppName=`), a crash of another program, or nothing. With `allApps`, other programs become
 * signals too (profile "unknown"), for a scan of evidence from any machine.
 */
export function werVerdict(report: WerReport, profileApps: readonly ProfileApps[], allApps = false): ArtefactVerdict {
  const kind = werKind(report.eventType);
  if (kind === null || report.exeName === null || report.eventTime === null) return { verdict: 'not-a-crash' };
  const profile = profileFor([report.exeName, report.appName], profileApps) ?? (allApps ? OTHER_PROFILE : null);
  if (profile === null) return { verdict: 'other-app', app: report.exeName, kind };
  const bucket: WerBucket = { eventType: report.eventType, named: report.signatures, positional: report.signatureValues };
  const id = `(report ${report.reportId ?? report.integratorReportId ?? 'without id'})`;
  const { detail, signature } = describeBucket(bucket, kind, report.exeName, 'WER', id);
  const signal: Signal = { source: 'wer', kind, at: report.eventTime, app: report.exeName, profile, detail };
  if (signature !== null) signal.signature = signature;
  const origin = report.origin ?? (report.reportId === null ? undefined : `wer:${report.reportId}`);
  if (origin !== undefined) signal.origin = origin;
  return { verdict: 'signal', signal };
}

/**
 * One evidence line and a signature from a bucket's parameters, for Report.wer and Event 1001
 * alike: "WER APPCRASH emisweb.exe 9.2.1.0 fault module clr.dll exception e0434352 (report …)".
 */
export function describeBucket(bucket: WerBucket, kind: SignalKind, exeName: string, label: string, id: string): { detail: string; signature: string | null } {
  const type = bucket.eventType;
  const version = werFact(bucket, 'appVersion');
  if (type.toLowerCase() === 'clr20r3') {
    const exceptionType = normaliseClrExceptionType(werFact(bucket, 'clrException'));
    const where = werFact(bucket, 'clrWhere');
    const detail = words(label, type, exeName, version, exceptionType && `exception ${exceptionType}`, where && `in ${where}`, id);
    return { detail, signature: exceptionType };
  }
  if (kind === 'hang') return { detail: words(label, type, exeName, version, 'stopped responding', id), signature: null };
  const module = werFact(bucket, 'module');
  const code = normaliseExceptionCode(werFact(bucket, 'exceptionCode'));
  const detail = words(label, type, exeName, version, module && `fault module ${module}`, code && `exception ${code}`, id);
  return { detail, signature: code === null ? null : `${code}@${(module ?? 'unknown').toLowerCase()}` };
}

/** The executable a bucket names (P1, or P2 for Store apps), as a lower-case file name. */
export function bucketExe(bucket: WerBucket): string | null {
  const app = werFact(bucket, 'app');
  if (app === null) return null;
  const exe = exeNameFromPath(app);
  return exe === '' ? null : exe;
}

/** "0xE0434352" / "e0434352" → "e0434352", the form Event 1000 and WER both use. */
export function normaliseExceptionCode(code: string | null): string | null {
  if (code === null) return null;
  const hex = code.trim().replace(/^0x/i, '').toLowerCase();
  return /^[0-9a-f]{1,16}$/.test(hex) ? hex : null;
}

/**
 * CLR20r3 P9 is the exception type, but the CLR strips a trailing "Exception" when the name
 * would exceed WER's parameter length (a recorded report shows "System.Management.Management"
 * for ManagementException). Restore it so WER, Event 1026 and the client's log agree.
 */
export function normaliseClrExceptionType(value: string | null): string | null {
  if (value === null) return null;
  const type = value.trim();
  if (!/^[A-Za-z_][\w.`+]*$/.test(type)) return type;
  return type.endsWith('Exception') ? type : `${type}Exception`;
}

export function words(...parts: (string | null | undefined)[]): string {
  return parts.filter((p): p is string => typeof p === 'string' && p !== '').join(' ');
}
