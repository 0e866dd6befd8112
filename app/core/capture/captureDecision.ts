import type { CaptureReading } from './captureSource.ts';

/** What the sampler remembers per captured draft: the hash of the text it last kept. */
export interface CaptureMemory {
  lastHashByDraft: ReadonlyMap<string, string>;
}

export type CaptureDecision =
  | { action: 'skip'; why: 'not-foreground' | 'no-focus' | 'password' | 'unreadable' | 'unchanged' | 'empty' | 'budget' }
  | { action: 'save'; explicit: boolean };

/**
 * Whether a reading becomes a revision. Pure, so the rules are tested without a clock or a vault:
 * - nothing is read or kept unless the client owns the foreground window and a control has focus;
 * - a password field is never kept (the source does not even read it);
 * - the text is compared by hash: unchanged text writes nothing, except on trouble, when the
 *   vault is asked for an explicit revision (it writes one only if something is new);
 * - an empty control never starts a draft (a blank new consultation is nothing to recover),
 *   but emptying a control that had text is kept: the vault's history holds what came before.
 */
export function decideCapture(reading: CaptureReading, draftId: string | null, hash: string | null, memory: CaptureMemory, trouble: boolean): CaptureDecision {
  if (reading.kind !== 'text') return { action: 'skip', why: reading.kind };
  if (draftId === null || hash === null) return { action: 'skip', why: 'unreadable' };
  const previous = memory.lastHashByDraft.get(draftId);
  if (reading.text === '' && previous === undefined) return { action: 'skip', why: 'empty' };
  if (previous === hash && !trouble) return { action: 'skip', why: 'unchanged' };
  return { action: 'save', explicit: trouble };
}
