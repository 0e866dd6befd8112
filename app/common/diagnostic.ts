import { z } from 'zod';

/**
 * Something practice IT should know about that is not an error of the caller's: a source that
 * stopped, a file that could not be read, a queue that dropped records. One shape for every part
 * of Lifeboat: the watcher sends these over its channel, the service hands them to whoever runs
 * it (tray app, `watch`, `serve`, the demo), and those print `<source>: <message>`.
 *
 * `code` is stable (tests and tools may match on it); `message` is for people and may change.
 * A message names paths, counts and OS error codes, never log or note text (it can hold patient data).
 */

/** Who a diagnostic belongs to: a watcher part, or a part of the note side. */
export const DIAGNOSTIC_SOURCES = ['process', 'log', 'wer', 'eventlog', 'capture', 'practice', 'syslog', 'watcher', 'vault', 'config'] as const;
export type DiagnosticSource = (typeof DIAGNOSTIC_SOURCES)[number];

export const DIAGNOSTIC_CODES = [
  // Log tailer and scanner (what each means: app/core/watch/logs/logDiagnostic.ts).
  'log-binary',
  'log-line-cut',
  'log-rotated',
  'log-truncated',
  'log-copytruncate',
  'log-lost',
  'log-read-error',
  'log-watch-error',
  'log-state-corrupt',
  'log-state-write-error',
  'log-handler-error',
  /** The record matcher worker could not start, or stopped and was started again. */
  'log-matcher-failed',
  /** One record took longer than the match budget. */
  'log-over-budget',
  /** A Report.wer that stayed junk, stayed unreadable, or the WER folder watch failed. */
  'wer-not-a-report',
  'wer-unreadable',
  'wer-watch-error',
  'wer-internal',
  'eventlog-poll-failed',
  /** How the Windows Event Log is read now (subscription, wevtutil, not there), or an event of it skipped. */
  'eventlog-reading',
  /** A crash or hang in another desktop session (a Remote Desktop host): not this GP's. */
  'other-session',
  'process-listing-fallback',
  'process-exit-wait-failed',
  'process-poll-failed',
  /** Text capture, the clipboard journal or the responsiveness probe had trouble. */
  'capture-problem',
  'capture-not-started',
  'capture-snapshot-failed',
  'capture-unnamed',
  'practice-share-unreachable',
  'practice-not-used',
  'practice-cycle-failed',
  'practice-not-queued',
  'syslog-disconnected',
  'syslog-dropped',
  'syslog-not-started',
  'syslog-not-queued',
  /** A source's start failed, or an operation of it is stuck. */
  'source-start-failed',
  'source-stuck',
  'watcher-message-ignored',
  'watcher-restarting',
  /** The config changed in a way only a new watcher applies (another client): restarted, not a failure. */
  'watcher-reconfigured',
  'watcher-recovered',
  'watcher-incidents-not-forwarded',
  'watcher-failed',
  'watcher-slow-start',
  'vault-worker-problem',
  'vault-maintenance-failed',
  'vault-checkpoint-failed',
  'vault-incident-not-stored',
  /** The policy could not be read where it lives (registry), or changed while running. */
  'policy-unavailable',
  'policy-changed',
  'policy-rejected',
  /** The user's settings file cannot be used: ignored, the policy stays in force. */
  'config-file-ignored',
  'config-readable-again',
  'settings-changed',
  /** Windows only: the machine policy's folder came from the environment, not the known-folder call. */
  'policy-place-unverified',
] as const;
export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[number];

/** Messages are cut here: one line for people, never a dump. */
export const MAX_DIAGNOSTIC_CHARS = 2000;

export const DiagnosticSchema = z
  .object({ source: z.enum(DIAGNOSTIC_SOURCES), code: z.enum(DIAGNOSTIC_CODES), message: z.string().max(MAX_DIAGNOSTIC_CHARS) })
  .strict();
export type Diagnostic = z.infer<typeof DiagnosticSchema>;

/** Where a part of Lifeboat sends its diagnostics. */
export type DiagnosticSink = (diagnostic: Diagnostic) => void;

export function diagnostic<S extends DiagnosticSource>(source: S, code: DiagnosticCode, message: string): Diagnostic & { source: S } {
  return { source, code, message: message.slice(0, MAX_DIAGNOSTIC_CHARS) };
}

/** The one line people read: `log: truncated in C:\…\emis.log`. */
export function diagnosticLine(d: Diagnostic): string {
  return `${d.source}: ${d.message}`;
}
