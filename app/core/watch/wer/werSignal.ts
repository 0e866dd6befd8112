import type { Signal, SignalKind } from '../../../common/signal.ts';
import { profileForExe, type ProfileApps } from './profileApps.ts';
import type { WerReport } from './werReport.ts';
import { problemSignature, signatureValue } from './werSignatures.ts';

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
  const kind = werKind(report.eventType);
  if (kind === null || report.exeName === null) return null;
  const profile = profileForExe(report.exeName, profileApps);
  if (profile === null || report.eventTime === null) return null;

  const { detail, signature } = describe(report, kind);
  const signal: Signal = { source: 'wer', kind, at: report.eventTime, app: report.exeName, profile, detail };
  if (signature !== null) signal.signature = signature;
  const origin = report.origin ?? (report.reportId === null ? undefined : `wer:${report.reportId}`);
  if (origin !== undefined) signal.origin = origin;
  return signal;
}

function describe(report: WerReport, kind: SignalKind): { detail: string; signature: string | null } {
  const sigs = report.signatures;
  const type = report.eventType;
  const id = `(report ${report.reportId ?? report.integratorReportId ?? 'without id'})`;

  if (type.toLowerCase() === 'clr20r3') {
    const version = problemSignature(sigs, 2);
    const exceptionType = normaliseClrExceptionType(problemSignature(sigs, 9));
    const where = problemSignature(sigs, 4);
    const detail = words('WER', type, report.exeName, version, exceptionType && `exception ${exceptionType}`, where && `in ${where}`, id);
    return { detail, signature: exceptionType };
  }

  const version = signatureValue(sigs, 'Application Version');
  if (kind === 'hang') {
    return { detail: words('WER', type, report.exeName, version, 'stopped responding', id), signature: null };
  }
  const module = signatureValue(sigs, 'Fault Module Name');
  const code = normaliseExceptionCode(signatureValue(sigs, 'Exception Code'));
  const detail = words('WER', type, report.exeName, version, module && `fault module ${module}`, code && `exception ${code}`, id);
  return { detail, signature: code === null ? null : `${code}@${(module ?? 'unknown').toLowerCase()}` };
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

function words(...parts: (string | null | undefined)[]): string {
  return parts.filter((p): p is string => typeof p === 'string' && p !== '').join(' ');
}
