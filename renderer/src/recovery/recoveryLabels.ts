import type { DraftListItem, RecoveryGroupView } from '../../../app/common/api.ts';
import type { DraftOrigin, RevisionReason } from '../../../app/common/draft.ts';
import type { IncidentKind } from '../../../app/common/incident.ts';
import { dayTime, hourMinute, localDateKey, secondsText, whenExact, whenText } from '../format/time.ts';

const KIND_WORD: Record<IncidentKind, string> = { crash: 'crash', hang: 'hang', slow: 'slowdown', exit: 'exit' };

/** "Before the crash at 09:41" (with the day when it was not today). */
export function groupHeading(group: Pick<RecoveryGroupView, 'incident'>, now = new Date()): string {
  if (!group.incident) return 'Other recent notes';
  const at = group.incident.startedAt;
  const sameDay = localDateKey(new Date(at)) === localDateKey(now);
  return `Before the ${KIND_WORD[group.incident.kind]} at ${sameDay ? hourMinute(at) : dayTime(at)}`;
}

/**
 * A note's name in a list and above its text. A note typed in Lifeboat: its title, else its first
 * words. Text read from the clinical system has one title for every patient (its window title
 * names the patient and is never kept), so it is told apart by when the consultation started.
 */
export function draftHeading(d: Pick<DraftListItem, 'origin' | 'title' | 'preview' | 'createdAt' | 'clientName'>): string {
  const client = d.clientName ?? 'the clinical system';
  if (d.origin === 'capture') return `Consultation in ${client}, started ${whenText(d.createdAt)}`;
  if (d.origin === 'clipboard') return `Copied from ${client}, ${whenText(d.createdAt)}`;
  return d.title.trim() || d.preview || 'Untitled note';
}

/** The first words, unless the heading already is them. */
export function draftPreview(d: Pick<DraftListItem, 'origin' | 'title' | 'preview'>): string | null {
  if (d.preview === '') return null;
  if (d.origin === 'note' && d.title.trim() === '') return null;
  return d.preview;
}

/**
 * "started 13:02 · last typed 13:13:06 (3 s before the crash)": how recent the text is, first.
 * With no incident: "started 13:02 · last typed 13:13:06".
 */
export function typedLine(d: Pick<DraftListItem, 'createdAt' | 'updatedAt'> & { lastSavedBeforeIncident?: string | null; secondsBeforeIncident?: number | null }, kind: IncidentKind | null): string {
  const started = `started ${whenText(d.createdAt)}`;
  if (kind && d.lastSavedBeforeIncident && d.secondsBeforeIncident !== null && d.secondsBeforeIncident !== undefined) {
    const since = Date.parse(d.updatedAt) > Date.parse(d.lastSavedBeforeIncident) ? ` · typed again since, last at ${whenExact(d.updatedAt)}` : '';
    return `${started} · last typed ${whenExact(d.lastSavedBeforeIncident)} (${secondsText(d.secondsBeforeIncident)} before the ${KIND_WORD[kind]})${since}`;
  }
  return `${started} · last typed ${whenExact(d.updatedAt)}`;
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
  open: 'not dealt with yet',
  'saved-in-client': 'done: pasted back',
  discarded: 'discarded',
  recovered: 'restored, not dealt with yet',
};

/** Splits a search snippet at its match marks: [text, matched?] pairs. */
export function snippetParts(snippet: string, marks: { start: string; end: string }): Array<{ text: string; match: boolean }> {
  const out: Array<{ text: string; match: boolean }> = [];
  let rest = snippet;
  while (rest !== '') {
    const open = rest.indexOf(marks.start);
    if (open < 0) {
      out.push({ text: rest, match: false });
      break;
    }
    if (open > 0) out.push({ text: rest.slice(0, open), match: false });
    const close = rest.indexOf(marks.end, open + 1);
    const end = close < 0 ? rest.length : close;
    out.push({ text: rest.slice(open + marks.start.length, end), match: true });
    rest = close < 0 ? '' : rest.slice(close + marks.end.length);
  }
  return out.filter((p) => p.text !== '');
}
