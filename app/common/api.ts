import { z } from 'zod';
import { DraftIdSchema, DraftStateSchema, MAX_TYPED_NOTE_CHARS, SaveDraftInputSchema } from './draft.ts';
import type { DraftDetail, DraftInfo, DraftSummary, RevisionInfo, SaveResult } from './draft.ts';
import type { HealthState, Incident, IncidentKind } from './incident.ts';

/**
 * The one way the renderer reaches Lifeboat: a map of named calls, each with a zod schema for
 * its argument (validated at every edge: ipcMain handlers and the serve bridge) and a result type.
 * Electron carries it over ipcRenderer.invoke('lifeboat:<name>'); `lifeboat serve` over
 * POST /api/<name> with the per-launch token. Results travel as ApiResult: never a thrown stack.
 */
/** An IANA zone name as the browser reports it ("Europe/London"); checked again where it is used. */
const TimeZoneSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+){0,2}$/, 'a time zone such as Europe/London').max(64);

export const ApiArgs = {
  getStatus: z.object({}).strict(),
  saveDraft: SaveDraftInputSchema.extend({ body: z.string().max(MAX_TYPED_NOTE_CHARS) }).strict(),
  listDrafts: z.object({ limit: z.number().int().min(1).max(1000).optional() }).strict(),
  searchDrafts: z.object({ query: z.string().max(500), limit: z.number().int().min(1).max(200).optional() }).strict(),
  getDraft: z.object({ id: DraftIdSchema, revision: z.number().int().min(1).optional() }).strict(),
  getDraftInfo: z.object({ id: DraftIdSchema }).strict(),
  listRevisions: z.object({ id: DraftIdSchema }).strict(),
  restoreRevision: z.object({ id: DraftIdSchema, revision: z.number().int().min(1) }).strict(),
  setDraftState: z.object({ id: DraftIdSchema, state: DraftStateSchema }).strict(),
  /** Deletes the draft for good, with its history (the GP said so, once more after asking). Audited. */
  discardDraft: z.object({ id: DraftIdSchema }).strict(),
  listIncidents: z.object({ from: z.string().datetime().optional(), to: z.string().datetime().optional() }).strict(),
  recoveryCandidates: z.object({}).strict(),
  /** A report or an evidence pack as a file: no note text, evidence redacted as by the CLI. */
  exportFile: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('report'), format: z.enum(['html', 'csv', 'json']), from: z.string().datetime(), to: z.string().datetime(), timeZone: TimeZoneSchema.optional() }).strict(),
    z.object({ kind: z.literal('evidence'), incidentId: z.string().min(1).max(200), timeZone: TimeZoneSchema.optional() }).strict(),
  ]),
  /** The practice share merged: every workstation's incidents and the practice-wide outages. */
  practiceView: z.object({}).strict(),
  pauseNotifications: z.object({ minutes: z.number().int().min(0).max(24 * 60) }).strict(),
  getSettings: z.object({}).strict(),
  updateSettings: z
    .object({
      notificationsEnabled: z.boolean().optional(),
      retentionDays: z.number().int().min(1).max(365).optional(),
      activeProfile: z.string().max(100).optional(),
      clientCaptureEnabled: z.boolean().optional(),
      clipboardJournalEnabled: z.boolean().optional(),
    })
    .strict(),
} as const;

export type ApiName = keyof typeof ApiArgs;
export type ApiArg<N extends ApiName> = z.infer<(typeof ApiArgs)[N]>;

/** An incident as the screens show it: with the clinical system's name, not only its profile id. */
export type IncidentView = Incident & {
  /** "EMIS Web": the profile's display name (the profile id when the profile is unknown). */
  clientName: string;
};

/** The newest crash or hang with notes the GP has not dealt with yet: the banner stays until they have. */
export interface AwaitingRecovery {
  incident: IncidentView;
  /** Notes from before it not yet marked done or discarded. */
  drafts: number;
  /** The note to open first: the one saved last before it and not dealt with (the crash notification's). */
  draftId: string | null;
}

export interface StatusView {
  health: HealthState;
  healthSince: string;
  healthReason: string;
  profile: string;
  profileDisplayName: string;
  clientRunning: boolean;
  /** Minutes the client has been up today, from the process watcher. */
  uptimeTodayMinutes: number;
  lastIncidents: IncidentView[];
  notificationsPausedUntil: string | null;
  /** Notes near a crash or hang of the last 7 days that the GP has not yet marked done or discarded. */
  recoverableDrafts: number;
  awaitingRecovery: AwaitingRecovery | null;
  /** Several PCs of the practice in trouble together now (from the practice share), or null. */
  practiceOutage: PracticeOutageView | null;
  /**
   * Why the clinical client is not being watched right now (Lifeboat's watcher keeps failing), in
   * plain words; null or absent while it is. Notes are kept either way.
   */
  watcherProblem?: string | null;
  /** A settings file or policy Lifeboat could not use, and what it does instead; null when all are good. */
  configProblem: ConfigProblemView | null;
}

export interface PracticeOutageView {
  workstations: number;
  since: string;
  /** Computer names, as they appear in the practice share. */
  names: string[];
}

export interface RecoveryGroup {
  /** null: drafts not near any incident. */
  incident: Incident | null;
  drafts: Array<DraftSummary & { lastSavedBeforeIncident: string | null; secondsBeforeIncident: number | null }>;
  /** The note offered back for this incident (the crash notification names the same one); null when none is left to deal with. */
  offeredDraftId: string | null;
}

/** A draft in a list, with what tells it apart from the next without opening it. */
export interface DraftListItem extends DraftSummary {
  createdAt: string;
  /** The note's first words on one line (about 80 characters; a first line equal to the title is skipped). */
  preview: string;
  /** The reference the GP typed in the note window; never set for captured text (its window title is not shown). */
  patientRef: string | null;
  /** The clinical system the text belongs to ("EMIS Web"), when known. */
  clientName: string | null;
}

export interface RecoveryDraftView extends DraftListItem {
  lastSavedBeforeIncident: string | null;
  secondsBeforeIncident: number | null;
}

export interface RecoveryGroupView {
  incident: IncidentView | null;
  drafts: RecoveryDraftView[];
  offeredDraftId: string | null;
}

/** A search result: the words around the match, each matched word between SNIPPET_MARK.start and .end (draftText.ts). */
export interface SearchHit extends DraftListItem {
  snippet: string;
}

/** A file to hand to the GP or IT: base64 for the browser, or already saved by the desktop app. */
export interface ExportedFile {
  fileName: string;
  mimeType: string;
  bytes: number;
  /** Base64 of the file; null when the desktop app has saved it already (savedTo) or the GP cancelled. */
  data: string | null;
  /** Where the desktop app's save dialog put it; null in the browser, or when cancelled. */
  savedTo: string | null;
}

export interface PracticeWorkstationView {
  name: string;
  counts: Record<IncidentKind, number>;
  incidents: number;
  lastSeen: string | null;
  lastIncidentAt: string | null;
  /** + = that PC's clock is ahead of the practice's; null when unknown. */
  clockSkewSeconds: number | null;
  skewCorrected: boolean;
  thisComputer: boolean;
}

export interface PracticeOutageRow {
  /** Stable while the outage grows: derived from where it started. */
  id: string;
  firstSeen: string;
  lastSeen: string;
  affected: number;
  workstations: string[];
  incidents: number;
  kinds: Record<IncidentKind, number>;
}

/** A share file left out of the merge (or partly read), and why. */
export interface PracticeSkippedFile {
  path: string;
  reason: string;
  /** Records still used from a partly damaged file. */
  recordsKept?: number;
}

/** What `lifeboat practice --share` computes, for the Practice page. */
export interface PracticeView {
  /** null: no practice share is set up on this computer. */
  sharePath: string | null;
  generatedAt: string;
  rule: { windowMinutes: number; minWorkstations: number };
  workstations: PracticeWorkstationView[];
  outages: PracticeOutageRow[];
  skipped: PracticeSkippedFile[];
  outageNow: PracticeOutageView | null;
}

/** One log folder of the profile being watched, and whether it exists on this computer. */
export interface LogFolderView {
  /** "EMIS Web" */
  clientName: string;
  /** As this computer writes it: backslashes for Windows paths. */
  path: string;
  found: boolean;
}

/** The settings the GP can change on the Settings page: the one name each has, locks included. */
export const EDITABLE_SETTINGS = ['notificationsEnabled', 'retentionDays', 'activeProfile', 'clientCaptureEnabled', 'clipboardJournalEnabled'] as const;
export type EditableSetting = (typeof EDITABLE_SETTINGS)[number];

/** One config file (or registry key) Lifeboat could not use, in full for IT. */
export interface ConfigProblemDetail {
  /** The practice's policy (file or registry), or the GP's own settings file. */
  layer: 'policy' | 'user';
  /** The file or registry key, as IT would type it. */
  file: string;
  /** 1-based, for a syntax error; null otherwise. */
  line: number | null;
  column: number | null;
  /** The field path ("settings.retentionDays") for a bad value; null otherwise. */
  field: string | null;
  detail: string;
  /** What Lifeboat did instead, in words for IT ("this file is ignored", "the last good policy from … is in force"). */
  instead: string;
}

/**
 * A configuration Lifeboat could not use, as Status and Settings show it: one sentence for the GP
 * (notes are still kept; who to tell) and the details for IT.
 */
export interface ConfigProblemView {
  forGp: string;
  details: ConfigProblemDetail[];
}

export interface SettingsView {
  notificationsEnabled: boolean;
  retentionDays: number;
  activeProfile: string;
  profiles: Array<{ name: string; displayName: string }>;
  /** Settings the practice's machine policy fixes (or a policy that could not be read locks); the UI shows them read-only. */
  lockedByPolicy: EditableSetting[];
  /** The configuration problem in force now, or null. */
  configProblem: ConfigProblemView | null;
  /** The folders of the profile(s) being watched, found or not: never every profile's. */
  logFolders: LogFolderView[];
  clientCapture: ClientCaptureView;
}

/** Text capture from the clinical client, as the Settings page explains it. */
export interface ClientCaptureView {
  /** The GP's (or the policy's) choice: read the note from the client's own editor. */
  enabled: boolean;
  /** Keep text copied from the client (off by default). */
  clipboardJournal: boolean;
  /** Whether this computer can read the client at all (Windows; the simulated client elsewhere). */
  available: boolean;
  clipboardAvailable: boolean;
  /** Why something is not available here, in plain words; null when everything is. */
  unavailableReason: string | null;
  /** What capture reads and keeps, in plain words, for the GP. */
  description: string;
  clipboardDescription: string;
}

export interface ApiResults {
  getStatus: StatusView;
  saveDraft: SaveResult;
  listDrafts: DraftSummary[];
  searchDrafts: SearchHit[];
  getDraft: DraftDetail;
  getDraftInfo: DraftInfo;
  listRevisions: RevisionInfo[];
  restoreRevision: SaveResult;
  setDraftState: { ok: true };
  discardDraft: { ok: true };
  listIncidents: IncidentView[];
  recoveryCandidates: RecoveryGroupView[];
  exportFile: ExportedFile;
  practiceView: PracticeView;
  pauseNotifications: { pausedUntil: string | null };
  getSettings: SettingsView;
  updateSettings: SettingsView;
}

/**
 * Why a call failed, as a code the screens can act on (the message is for people):
 * LOCKED_BY_POLICY for a setting the practice's policy fixes; BAD_ARGUMENT for input the schema or
 * the handler refused; the VAULT_* and DISK_FULL codes from the vault; INTERNAL for the unexpected.
 */
export const API_ERROR_CODES = [
  'UNKNOWN_CALL',
  'BAD_ARGUMENT',
  'LOCKED_BY_POLICY',
  /** The GP's own settings file is broken: a change is not written over it. */
  'SETTINGS_FILE_UNREADABLE',
  'NOT_FOUND',
  'SHARE_UNAVAILABLE',
  'DRAFT_NOT_FOUND',
  'VAULT_ERROR',
  'VAULT_KEY_MISMATCH',
  'VAULT_KEY_MISSING',
  'VAULT_BUSY',
  'VAULT_TOO_NEW',
  'VAULT_CORRUPT',
  'VAULT_NOT_PRIVATE',
  'VAULT_INPUT',
  'DISK_FULL',
  'INTERNAL',
  // From the transport (the loopback server, or the renderer's side of it).
  'UNAUTHORIZED',
  'FORBIDDEN',
  'METHOD',
  'TOO_LARGE',
  'UNREACHABLE',
  'BAD_ANSWER',
  'TRANSPORT',
  // From the desktop app's IPC bridge.
  'FORBIDDEN_SENDER',
  'NOT_SAVED',
] as const;
/** Any HTTP status the loopback server was not expected to answer with ("HTTP_502"). */
const HttpStatusCodeSchema = z.custom<`HTTP_${number}`>((value) => typeof value === 'string' && /^HTTP_\d{3}$/.test(value));
export const ApiErrorCodeSchema = z.union([z.enum(API_ERROR_CODES), HttpStatusCodeSchema]);
export type ApiErrorCode = z.infer<typeof ApiErrorCodeSchema>;

/** Whether a code from the vault or a worker is one the API knows (otherwise it is reported as INTERNAL). */
export function isApiErrorCode(code: unknown): code is ApiErrorCode {
  return ApiErrorCodeSchema.safeParse(code).success;
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: { code: ApiErrorCode; message: string } };

/** What the renderer holds: one async function per call. */
export type LifeboatApi = { [N in ApiName]: (arg: ApiArg<N>) => Promise<ApiResult<ApiResults[N]>> } & {
  /** Live events; returns an unsubscribe function. */
  onEvent(listener: (event: LifeboatEvent) => void): () => void;
};

/** 'watcher': Lifeboat's own watcher keeps failing, so the client is not being watched (notes are still kept). */
export type NotificationKind = 'slow' | 'hung' | 'crashed' | 'recovered' | 'outage' | 'watcher';

export type LifeboatEvent =
  | { type: 'health'; state: HealthState; previous: HealthState; reason: string; at: string }
  | { type: 'incident'; change: 'opened' | 'updated' | 'closed'; incident: Incident }
  | { type: 'notification'; kind: NotificationKind; title: string; body: string; at: string; draftId: string | null; incidentId: string | null };

export const API_NAMES = Object.keys(ApiArgs) as ApiName[];

export const ipcChannel = (name: ApiName): string => `lifeboat:${name}`;
export const IPC_EVENT_CHANNEL = 'lifeboat:event';
