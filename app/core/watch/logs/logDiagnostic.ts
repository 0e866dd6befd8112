import { diagnostic, type Diagnostic } from '../../../common/diagnostic.ts';

/**
 * What the log tailer tells practice IT, never as an exception. Paths, byte counts and OS error
 * codes only: log text can hold patient data, so it never goes in a diagnostic.
 * - binary: a region of junk (NUL bytes, invalid text) was skipped
 * - line-cut: a line over the length limit was cut; `bytes` were skipped
 * - rotated: a followed file was renamed away (its remaining lines are still read)
 * - truncated / copytruncate: a file shrank; with copytruncate its copy supplied the unread tail
 * - lost: a file disappeared with `bytes` never read (deleted before we got to them)
 * - read-error / watch-error: the OS refused (EBUSY, EPERM, ...): retried at the next check
 * - state-corrupt / state-write-error: the offset state file could not be read / written
 * - handler-error: the onRecord callback threw; the record counts as handed off
 * The diagnostic's code is `log-<kind>`.
 */
export type LogDiagnosticKind =
  | 'binary'
  | 'line-cut'
  | 'rotated'
  | 'truncated'
  | 'copytruncate'
  | 'lost'
  | 'read-error'
  | 'watch-error'
  | 'state-corrupt'
  | 'state-write-error'
  | 'handler-error';

/** `rotated in C:\…\emis.log`, `read-error in C:\…\emis.log (EBUSY)`, `lost in … (120 bytes)`. */
export function logDiagnostic(kind: LogDiagnosticKind, path: string, detail: { bytes?: number; osCode?: string } = {}): Diagnostic {
  const notes = [detail.osCode, detail.bytes !== undefined ? `${detail.bytes} bytes` : undefined].filter((n) => n !== undefined);
  return diagnostic('log', `log-${kind}`, `${kind} in ${path}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`);
}

export function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : 'UNKNOWN';
}
