import { z } from 'zod';
import { DraftIdSchema, DraftStateSchema, MAX_TYPED_NOTE_CHARS, SaveDraftInputSchema } from './draft.ts';
import type { DraftDetail, DraftInfo, DraftSummary, RevisionInfo, SaveResult } from './draft.ts';
import type { HealthState, Incident } from './incident.ts';

/**
 * The one way the renderer reaches Lifeboat: a map of named calls, each with a zod schema for
 * its argument (validated at every edge: ipcMain handlers and the serve bridge) and a result type.
 * Electron carries it over ipcRenderer.invoke('lifeboat:<name>'); `lifeboat serve` over
 * POST /api/<name> with the per-launch token. Results travel as ApiResult: never a thrown stack.
 */
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
  listIncidents: z.object({ from: z.string().datetime().optional(), to: z.string().datetime().optional() }).strict(),
  recoveryCandidates: z.object({}).strict(),
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

export interface StatusView {
  health: HealthState;
  healthSince: string;
  healthReason: string;
  profile: string;
  profileDisplayName: string;
  clientRunning: boolean;
  /** Minutes the client has been up today, from the process watcher. */
  uptimeTodayMinutes: number;
  lastIncidents: Incident[];
  notificationsPausedUntil: string | null;
  recoverableDrafts: number;
  /** Several PCs of the practice in trouble together now (from the practice share), or null. */
  practiceOutage: PracticeOutageView | null;
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
}

export interface SettingsView {
  notificationsEnabled: boolean;
  retentionDays: number;
  activeProfile: string;
  profiles: Array<{ name: string; displayName: string }>;
  /** Settings the practice's machine policy fixes; the UI shows them read-only. */
  lockedByPolicy: string[];
  logFolders: string[];
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
  searchDrafts: DraftSummary[];
  getDraft: DraftDetail;
  getDraftInfo: DraftInfo;
  listRevisions: RevisionInfo[];
  restoreRevision: SaveResult;
  setDraftState: { ok: true };
  listIncidents: Incident[];
  recoveryCandidates: RecoveryGroup[];
  pauseNotifications: { pausedUntil: string | null };
  getSettings: SettingsView;
  updateSettings: SettingsView;
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

/** What the renderer holds: one async function per call. */
export type LifeboatApi = { [N in ApiName]: (arg: ApiArg<N>) => Promise<ApiResult<ApiResults[N]>> } & {
  /** Live events; returns an unsubscribe function. */
  onEvent(listener: (event: LifeboatEvent) => void): () => void;
};

export type NotificationKind = 'slow' | 'hung' | 'crashed' | 'recovered' | 'outage';

export type LifeboatEvent =
  | { type: 'health'; state: HealthState; previous: HealthState; reason: string; at: string }
  | { type: 'incident'; change: 'opened' | 'updated' | 'closed'; incident: Incident }
  | { type: 'notification'; kind: NotificationKind; title: string; body: string; at: string; draftId: string | null; incidentId: string | null };

export const API_NAMES = Object.keys(ApiArgs) as ApiName[];

export const ipcChannel = (name: ApiName): string => `lifeboat:${name}`;
export const IPC_EVENT_CHANNEL = 'lifeboat:event';
