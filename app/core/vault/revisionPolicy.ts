import type { RevisionReason } from '../../common/draft.ts';

/** A pause this long before a change means the text before it was a resting point worth keeping. */
export const PAUSE_MS = 2000;
/** Roughly this many changed characters since the newest revision make a new one. */
export const SIZE_STEP_CHARS = 200;

/**
 * How many characters differ between two versions, counted cheaply from the common
 * prefix and suffix: exact for one contiguous edit (typing, deleting, pasting), an
 * over-estimate for scattered edits, which only makes revisions a little more frequent.
 */
export function changedCharacters(before: string, after: string): number {
  if (before === after) return 0;
  const shorter = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < shorter && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (
    suffix < shorter - prefix &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  ) {
    suffix++;
  }
  return Math.max(before.length, after.length) - prefix - suffix;
}

export interface DraftRevisionState {
  revisionCount: number;
  /** Characters changed since the newest revision (0: the current body is that revision). */
  pendingChanges: number;
  updatedAt: number;
}

export interface RevisionPlan {
  /** Keep the body as it stood before this save, as a `pause` revision at its own time. */
  snapshotBeforeAsPause: boolean;
  /** Write the new body as a revision, for this reason; null to coalesce it into the current body. */
  writeAfter: RevisionReason | null;
  pendingAfter: number;
}

/**
 * Decides which revisions a save writes. Every save makes the current body durable; revisions
 * are the history: the first save, each pause of at least PAUSE_MS, each SIZE_STEP_CHARS of
 * change, and every explicit moment (blur, shutdown, pre-crash) that has something new.
 */
export function planRevision(state: DraftRevisionState | null, changed: number, now: number, explicit?: RevisionReason): RevisionPlan {
  if (state === null || state.revisionCount === 0) {
    return { snapshotBeforeAsPause: false, writeAfter: explicit ?? 'typing', pendingAfter: 0 };
  }
  const pausedBefore = state.pendingChanges > 0 && changed > 0 && now - state.updatedAt >= PAUSE_MS;
  const pending = (pausedBefore ? 0 : state.pendingChanges) + changed;
  if (explicit !== undefined) {
    return { snapshotBeforeAsPause: pausedBefore, writeAfter: pending > 0 ? explicit : null, pendingAfter: 0 };
  }
  if (pending >= SIZE_STEP_CHARS) return { snapshotBeforeAsPause: pausedBefore, writeAfter: 'typing', pendingAfter: 0 };
  return { snapshotBeforeAsPause: pausedBefore, writeAfter: null, pendingAfter: pending };
}
