import { z } from 'zod';
import { SignalSourceSchema } from './incident.ts';

/**
 * What a signal source saw. The correlator folds signals into incidents and health.
 * - start / exit: the process appeared / disappeared (exitCode when known; 0 = clean close)
 * - crash: evidence of a crash (log "serious problem" record, WER APPCRASH, Event 1000/1026)
 * - hang / responsive: the UI stopped / resumed answering (tasklist, probe, WER AppHang, Event 1002)
 * - slow: the client is slow (log durations/timeouts, UI latency, memory near its ceiling)
 */
export const SIGNAL_KINDS = ['start', 'exit', 'crash', 'hang', 'responsive', 'slow'] as const;
export const SignalKindSchema = z.enum(SIGNAL_KINDS);
export type SignalKind = z.infer<typeof SignalKindSchema>;

export const SignalSchema = z.object({
  source: SignalSourceSchema,
  kind: SignalKindSchema,
  /** When it happened (ms since epoch, UTC): the event's own time where the source has one. */
  at: z.number(),
  /** Executable name, lower case, e.g. "emisweb.exe". */
  app: z.string(),
  /** Client profile name, e.g. "emis-web". */
  profile: z.string(),
  /** One human-readable evidence line (redacted before it is stored). */
  detail: z.string(),
  pid: z.number().int().optional(),
  exitCode: z.number().int().nullable().optional(),
  /** Normalised error signature, e.g. "System.OutOfMemoryException". */
  signature: z.string().optional(),
  /** UI round-trip or request duration behind a slow signal. */
  latencyMs: z.number().optional(),
  /** Where the evidence came from (file path, report id, event record id). */
  origin: z.string().optional(),
});
export type Signal = z.infer<typeof SignalSchema>;
