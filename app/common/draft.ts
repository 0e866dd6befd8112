import { z } from 'zod';

export const DRAFT_STATES = ['open', 'saved-in-client', 'discarded', 'recovered'] as const;
export const DraftStateSchema = z.enum(DRAFT_STATES);
export type DraftState = z.infer<typeof DraftStateSchema>;

/**
 * Why a revision was written. `typing` and `pause` come from the coalescing policy;
 * the others are explicit moments when the text must be captured at once; `clipboard` is one
 * copy kept by the clipboard journal.
 */
export const REVISION_REASONS = ['typing', 'pause', 'blur', 'shutdown', 'pre-crash', 'clipboard'] as const;
export const RevisionReasonSchema = z.enum(REVISION_REASONS);
export type RevisionReason = z.infer<typeof RevisionReasonSchema>;

/**
 * Where a draft's text came from: the GP's note window, the clinical client's own editor (text
 * capture), or what the GP copied from the client (clipboard journal, opt-in).
 */
export const DRAFT_ORIGINS = ['note', 'capture', 'clipboard'] as const;
export const DraftOriginSchema = z.enum(DRAFT_ORIGINS);
export type DraftOrigin = z.infer<typeof DraftOriginSchema>;

/** A draft id is a UUID chosen by the vault, or by the caller for a new draft. */
export const DraftIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a draft id is 1-64 letters, digits, _ or -');

/**
 * The longest note the vault keeps (characters): far beyond any consultation (text capture
 * reads at most 1 MiB, the vault's own tests round-trip 5 MB), but a bound on memory and disk.
 */
export const MAX_NOTE_CHARS = 16 * 1024 * 1024;
/** The longest note the note window (IPC and the serve bridge) may send: some hundred pages. */
export const MAX_TYPED_NOTE_CHARS = 512 * 1024;

export const SaveDraftInputSchema = z.object({
  id: DraftIdSchema.optional(),
  body: z.string().max(MAX_NOTE_CHARS),
  title: z.string().max(500).optional(),
  patientRef: z.string().max(200).optional(),
  clientProfile: z.string().max(100).optional(),
  reason: RevisionReasonSchema.optional(),
});
export type SaveDraftInput = z.infer<typeof SaveDraftInputSchema>;

export interface SaveResult {
  id: string;
  /** Sequence number of the newest revision after this save. */
  revision: number;
  /** Whether this save appended a revision (false when coalesced into the current body). */
  revisionWritten: boolean;
  savedAt: string;
}

export interface DraftSummary {
  id: string;
  title: string;
  state: DraftState;
  origin: DraftOrigin;
  updatedAt: string;
  revisions: number;
}

export interface DraftDetail {
  id: string;
  title: string;
  body: string;
  revision: number;
  updatedAt: string;
}

export interface DraftInfo extends DraftSummary {
  createdAt: string;
  clientProfile: string | null;
  patientRef: string | null;
  pinned: boolean;
  bodyLength: number;
}

export interface RevisionInfo {
  seq: number;
  at: string;
  reason: RevisionReason;
  length: number;
}

export const AUDIT_ACTIONS = ['view', 'export', 'purge', 'restore', 'state'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  at: string;
  action: AuditAction;
  draftId: string | null;
  /** What happened, never the text: counts, states, revision numbers. */
  detail: Record<string, string | number | boolean | null>;
}
