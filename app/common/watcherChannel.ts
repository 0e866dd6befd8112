import { z } from 'zod';
import { DiagnosticSchema } from './diagnostic.ts';
import { DraftIdSchema, SaveDraftInputSchema } from './draft.ts';
import { IncidentSchema } from './incident.ts';
import { SignalSchema } from './signal.ts';

/**
 * The typed channel between the note side (the process that keeps the vault, the notify policy,
 * the tray and the UI) and the watcher process (every source that reads the clinical client, its
 * logs, WER, the Event Log, the practice share, and syslog). Each side parses every message it
 * receives with these schemas: the watcher reads hostile input all day, and a message it sends is
 * input to the note side like any other.
 *
 * Node's child_process IPC (serve, watch, demo) and Electron's utilityProcess port (the tray app)
 * both carry these objects as they are: plain JSON values, no Buffers, no functions.
 */

/** Who a diagnostic or a busy operation belongs to. */
export const WATCHER_PARTS = ['process', 'log', 'wer', 'eventlog', 'capture', 'practice', 'syslog', 'watcher'] as const;
export const WatcherPartSchema = z.enum(WATCHER_PARTS);
export type WatcherPart = z.infer<typeof WatcherPartSchema>;

const text = (max: number) => z.string().max(max);
const path = text(4096);

export const CaptureSwitchesSchema = z.object({ enabled: z.boolean(), clipboardJournal: z.boolean() }).strict();
export type CaptureSwitches = z.infer<typeof CaptureSwitchesSchema>;

/** What this computer can capture, as the watcher found its sources. */
export const CaptureStatusSchema = z
  .object({ textCaptureAvailable: z.boolean(), clipboardAvailable: z.boolean(), probeAvailable: z.boolean(), unavailable: text(1000).nullable() })
  .strict();
export type CaptureStatus = z.infer<typeof CaptureStatusSchema>;

/**
 * Everything the watcher needs to start. The config part is checked again by the watcher with the
 * config schemas themselves (app/core/config), which this layer cannot import.
 */
export const WatcherInitSchema = z
  .object({
    config: z
      .object({
        settings: z.record(z.string(), z.unknown()),
        active: z.array(z.record(z.string(), z.unknown())).max(50),
        logFolders: z.record(z.string(), z.array(path).max(50)),
        simSocketDirs: z.record(z.string(), path),
      })
      .strict(),
    stateDir: path.min(1),
    platform: text(20),
    workstation: text(255),
    werRoots: z.array(path).max(50),
    /** 'platform': wevtutil on Windows, nothing elsewhere; or a saved export polled like the live log. */
    eventLog: z.union([z.literal('platform'), z.literal('none'), z.object({ exportFile: path }).strict()]),
    logStartAt: z.enum(['end', 'beginning']),
    /**
     * WER reports and events are read from this time on: the first watcher's start, so a restarted
     * watcher reads what happened while none was running (the note side drops what it has seen).
     */
    sinceMs: z.number(),
    practiceIntervalMs: z.number().int().positive().optional(),
    captureIntervals: z.object({ captureMs: z.number().int().positive(), probeMs: z.number().int().positive(), clipboardMs: z.number().int().positive() }).partial().strict(),
    /** The vault's salt for hashing window titles, hex (captured drafts' ids depend on it). */
    captureSalt: z.string().regex(/^[0-9a-f]*$/).max(256),
    capture: CaptureSwitchesSchema,
    heartbeatMs: z.number().int().positive(),
    /** How long one log record may take to match before it is cut short (see recordMatcher.ts). */
    matchBudgetMs: z.number().int().positive(),
    /** An operation of a source busy this long is reported as stuck. */
    stuckAfterMs: z.number().int().positive(),
    sourceWorkerEntry: path,
  })
  .strict();
export type WatcherInit = z.infer<typeof WatcherInitSchema>;

export const IncidentChangeSchema = z.enum(['opened', 'updated', 'closed']);

/** Note side → watcher. */
export const ToWatcherSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('init'), init: WatcherInitSchema }).strict(),
  /** The GP or the policy switched capture on or off. */
  z.object({ type: z.literal('capture-settings'), capture: CaptureSwitchesSchema }).strict(),
  /** Health changed for the worse: keep what the client's editor holds now. */
  z.object({ type: z.literal('snapshot-now') }).strict(),
  /** An incident to forward to syslog and the practice share; acknowledged by `incident-done`. */
  z.object({ type: z.literal('incident'), seq: z.number().int().nonnegative(), incident: IncidentSchema, change: IncidentChangeSchema }).strict(),
  /** The answer to `captured`: null when the text is durable in the vault, else why not. */
  z.object({ type: z.literal('saved'), requestId: z.number().int().nonnegative(), error: text(500).nullable() }).strict(),
  z.object({ type: z.literal('stop') }).strict(),
]);
export type ToWatcher = z.infer<typeof ToWatcherSchema>;

export const RunningClientSchema = z.object({ pid: z.number().int(), name: text(260), profile: text(100) }).strict();
export type RunningClient = z.infer<typeof RunningClientSchema>;

export const BusyOperationSchema = z.object({ part: WatcherPartSchema, what: text(300), forMs: z.number().nonnegative() }).strict();
export type BusyOperation = z.infer<typeof BusyOperationSchema>;

/** Text captured from the client's editor or copied from it: the note side's vault writer keeps it. */
export const CapturedDraftSchema = SaveDraftInputSchema.extend({
  // Only drafts the watcher itself names: a watcher taken over by hostile input cannot write over
  // a note the GP typed in Lifeboat's own window (those ids are UUIDs).
  id: DraftIdSchema.refine((id) => /^(cap|clip)-/.test(id), 'a captured draft id starts with cap- or clip-'),
}).strict();

/** Watcher → note side. */
export const FromWatcherSchema = z.discriminatedUnion('type', [
  /** Sources started (those still starting are named): the watcher is watching. */
  z.object({ type: z.literal('ready'), capture: CaptureStatusSchema, starting: z.array(text(300)).max(50) }).strict(),
  /**
   * Alive. `processPolls`: process listings completed since start (from the first, `running` is
   * the truth about which clients run); `busy`: operations under way, the longest first.
   */
  z
    .object({
      type: z.literal('heartbeat'),
      seq: z.number().int().nonnegative(),
      processPolls: z.number().int().nonnegative(),
      running: z.array(RunningClientSchema).max(100),
      busy: z.array(BusyOperationSchema).max(50),
    })
    .strict(),
  /** `key`: the same evidence seen again (a log record re-read after a restart) carries the same key. */
  z.object({ type: z.literal('signal'), signal: SignalSchema, key: text(200).optional() }).strict(),
  z.object({ type: z.literal('captured'), requestId: z.number().int().nonnegative(), draft: CapturedDraftSchema, origin: z.enum(['capture', 'clipboard']) }).strict(),
  z
    .object({
      type: z.literal('outage'),
      outage: z.object({ id: text(200), workstations: z.number().int().nonnegative(), since: z.number(), names: z.array(text(100)).max(1000) }).strict().nullable(),
    })
    .strict(),
  /** The watcher speaks for its own parts only, never for the vault or the note side. */
  z.object({ type: z.literal('diagnostic'), diagnostic: DiagnosticSchema.extend({ source: WatcherPartSchema }).strict() }).strict(),
  z.object({ type: z.literal('incident-done'), seq: z.number().int().nonnegative() }).strict(),
  z.object({ type: z.literal('stopped') }).strict(),
]);
export type FromWatcher = z.infer<typeof FromWatcherSchema>;

/** One line for a message that failed its schema: the first problems, never the message itself. */
export function channelProblem(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || 'message'}: ${i.message}`)
    .join('; ');
}
