import type { RecoveryGroup } from '../../../app/common/api.ts';
import type { DraftOrigin, RevisionReason } from '../../../app/common/draft.ts';
import { dayTime, hourMinute, localDateKey } from '../format/time.ts';

const KIND_WORD: Record<string, string> = { crash: 'crash', hang: 'hang', slow: 'slowdown', exit: 'exit' };

/** "Before the crash at 09:41" (with the day when it was not today). */
export function groupHeading(group: RecoveryGroup, now = new Date()): string {
  if (!group.incident) return 'Other recent notes';
  const at = group.incident.startedAt;
  const sameDay = localDateKey(new Date(at)) === localDateKey(now);
  return `Before the ${KIND_WORD[group.incident.kind] ?? group.incident.kind} at ${sameDay ? hourMinute(at) : dayTime(at)}`;
}

export const REASON_TEXT: Record<RevisionReason, string> = {
  typing: 'while typing',
  pause: 'pause in typing',
  blur: 'left the editor',
  shutdown: 'Lifeboat closing',
  'pre-crash': 'trouble detected',
  clipboard: 'copied',
};

/** Where a draft's text came from, as the recovery list says it. */
export const ORIGIN_TEXT: Record<DraftOrigin, string> = {
  note: 'Lifeboat note',
  capture: 'read from the clinical system',
  clipboard: 'copied from the clinical system',
};

export const STATE_TEXT: Record<string, string> = {
  open: 'open',
  'saved-in-client': 'saved in the clinical system',
  discarded: 'discarded',
  recovered: 'recovered',
};
