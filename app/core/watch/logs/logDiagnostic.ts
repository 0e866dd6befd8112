/**
 * Something the log tailer or scanner wants practice IT to know about, never an exception.
 * Paths and byte counts only: log text can hold patient data, so it never goes in here.
 * - binary: a region of junk (NUL bytes, invalid text) was skipped
 * - line-cut: a line over the length limit was cut; `bytes` were skipped
 * - rotated: a followed file was renamed away (its remaining lines are still read)
 * - truncated / copytruncate: a file shrank; with copytruncate its copy supplied the unread tail
 * - lost: a file disappeared with `bytes` never read (deleted before we got to them)
 * - read-error / watch-error: the OS refused (EBUSY, EPERM, ...): retried at the next check
 * - state-corrupt / state-write-error: the offset state file could not be read / written
 * - handler-error: the onRecord callback threw; the record counts as handed off
 */
export const LOG_DIAGNOSTIC_KINDS = [
  'binary',
  'line-cut',
  'rotated',
  'truncated',
  'copytruncate',
  'lost',
  'read-error',
  'watch-error',
  'state-corrupt',
  'state-write-error',
  'handler-error',
] as const;
export type LogDiagnosticKind = (typeof LOG_DIAGNOSTIC_KINDS)[number];

export interface LogDiagnostic {
  path: string;
  kind: LogDiagnosticKind;
  bytes?: number;
  /** An OS error code such as EBUSY, never a message that could quote file content. */
  code?: string;
}

export function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : 'UNKNOWN';
}
