import type { DraftState } from '../../common/draft.ts';
import { isDealtWith } from '../../common/draftText.ts';
import type { Incident, IncidentKind } from '../../common/incident.ts';

/**
 * THE rule for "the note from before the crash". The crash notification, the tray, Recovery, the
 * report's "consultations affected" and the demo all ask this module; none decides it itself.
 *
 * - Which incidents: a crash, a hang, or an exit with a non-zero or unknown code (it may be a
 *   crash whose evidence has not arrived). A slowdown costs the GP no text: it has no group.
 * - Which drafts (the group): every draft still in the vault (a discarded note is deleted, so it
 *   cannot be a member) whose last save counted as before the incident falls within
 *   NOTE_LOOKBACK_MS before the incident's start. A note marked done is still a member (Recovery
 *   lists it as done, the report counts it: the consultation was affected), but it is never
 *   *offered*.
 * - "Counted as before": a save at most NOTE_SLACK_MS after the incident's start. The start is the
 *   earliest evidence, and client log times are whole seconds (up to 1 s early), while the note
 *   side's clock stamps saves to the millisecond; text capture reads the client's box once a
 *   second. So a save landing just after the crash signal holds text typed before it.
 * - A save is a revision (each pause of 2 s, each 200 characters, the pre-crash checkpoint, which
 *   the vault stamps with the time its text was saved) or the draft's last update; saves coalesced
 *   between two revisions are not timed one by one, so "last save before" is the newest of those.
 * - The offered note (what the notification names, the tray opens, Recovery opens first): the
 *   member saved last before the incident that is not dealt with (open or recovered), ties to
 *   the lower id so every caller picks the same one. None when every member is done.
 *
 * Pure: the caller reads the drafts touched in incidentWindow(incident) from the vault (a bounded,
 * indexed query: Vault.draftsTouchedBetween) and passes them in.
 */
export const NOTE_LOOKBACK_MS = 30 * 60_000;
export const NOTE_SLACK_MS = 2_000;

const KINDS_THAT_COST_TEXT: ReadonlySet<IncidentKind> = new Set<IncidentKind>(['crash', 'hang', 'exit']);

/** Whether an incident can have cost the GP their note: only those have a "note from before". */
export const incidentMayCostNotes = (kind: IncidentKind): boolean => KINDS_THAT_COST_TEXT.has(kind);

/** A draft as the rule needs it: which one, its state, and when it was saved (ms; any order). */
export interface DraftSaves {
  id: string;
  state: DraftState;
  saveTimes: readonly number[];
}

export interface NoteBeforeMember<D extends DraftSaves> {
  draft: D;
  /** The last save counted as before the incident (ms). */
  lastSavedBefore: number;
  /** Whole seconds from that save to the incident's start; 0 for a save inside the slack. */
  secondsBefore: number;
}

export interface NoteBeforeIncident<D extends DraftSaves> {
  /** Newest save first (ties by id). Empty for an incident that costs no text. */
  group: Array<NoteBeforeMember<D>>;
  /** The member offered back to the GP; null when there is none not yet dealt with. */
  offered: NoteBeforeMember<D> | null;
}

type IncidentTime = Pick<Incident, 'kind' | 'startedAt'>;

/** The saves that can decide an incident's group: read exactly these drafts from the vault. */
export function incidentWindow(incident: Pick<Incident, 'startedAt'>): { from: number; to: number } {
  const at = Date.parse(incident.startedAt);
  return { from: at - NOTE_LOOKBACK_MS, to: at + NOTE_SLACK_MS };
}

/** The last save counted as before `at`, when it lies within the lookback; null otherwise. */
function lastSaveBefore(saveTimes: readonly number[], at: number): number | null {
  let last = -Infinity;
  for (const t of saveTimes) if (t <= at + NOTE_SLACK_MS && t > last) last = t;
  return last >= at - NOTE_LOOKBACK_MS ? last : null;
}

const newestFirst = <D extends DraftSaves>(a: NoteBeforeMember<D>, b: NoteBeforeMember<D>): number =>
  b.lastSavedBefore - a.lastSavedBefore || (a.draft.id < b.draft.id ? -1 : a.draft.id > b.draft.id ? 1 : 0);

/** The group of drafts from before one incident, and the one to offer back. See the rule above. */
export function noteBeforeIncident<D extends DraftSaves>(incident: IncidentTime, drafts: readonly D[]): NoteBeforeIncident<D> {
  const at = Date.parse(incident.startedAt);
  if (!incidentMayCostNotes(incident.kind) || !Number.isFinite(at)) return { group: [], offered: null };
  const group: Array<NoteBeforeMember<D>> = [];
  for (const draft of drafts) {
    if (draft.state === 'discarded') continue;
    const last = lastSaveBefore(draft.saveTimes, at);
    if (last === null) continue;
    group.push({ draft, lastSavedBefore: last, secondsBefore: Math.max(0, Math.round((at - last) / 1000)) });
  }
  group.sort(newestFirst);
  return { group, offered: group.find((m) => !isDealtWith(m.draft.state)) ?? null };
}

export interface IncidentGroup<I extends IncidentTime, D extends DraftSaves> extends NoteBeforeIncident<D> {
  incident: I;
}

/**
 * The groups of several incidents, as Recovery lists them: newest incident first, and a draft in
 * the group of two incidents (a crash, a restart, another crash) listed once, under the newer one,
 * where it stands nearer to what the GP lost last. `offered` is recomputed over what is listed.
 * Incidents that cost no text, and groups left empty, are left out.
 */
export function groupsForIncidents<I extends IncidentTime, D extends DraftSaves>(incidents: readonly I[], drafts: readonly D[]): Array<IncidentGroup<I, D>> {
  const listed = new Set<string>();
  const out: Array<IncidentGroup<I, D>> = [];
  const newestIncidentFirst = incidents
    .filter((i) => incidentMayCostNotes(i.kind))
    .map((incident) => ({ incident, at: Date.parse(incident.startedAt) }))
    .sort((a, b) => b.at - a.at);
  for (const { incident } of newestIncidentFirst) {
    const group = noteBeforeIncident(incident, drafts).group.filter((m) => !listed.has(m.draft.id));
    if (group.length === 0) continue;
    for (const m of group) listed.add(m.draft.id);
    out.push({ incident, group, offered: group.find((m) => !isDealtWith(m.draft.state)) ?? null });
  }
  return out;
}
