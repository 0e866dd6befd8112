import type { RecoveryGroup } from '../../common/api.ts';
import type { Incident } from '../../common/incident.ts';
import { groupsForIncidents, incidentMayCostNotes, incidentWindow } from '../recovery/noteBeforeIncident.ts';
import type { TouchedDraft, VaultReader } from '../vault/vault.ts';

/** The most drafts Recovery lists outside any incident's group (the newest). */
const UNGROUPED_LIMIT = 500;

/** The incidents' windows (incidentWindow), overlapping ones joined, in time order. */
function mergedWindows(incidents: readonly Incident[]): Array<{ from: number; to: number }> {
  const windows = incidents
    .filter((i) => incidentMayCostNotes(i.kind))
    .map(incidentWindow)
    .filter((w) => Number.isFinite(w.from))
    .sort((a, b) => a.from - b.from);
  const merged: Array<{ from: number; to: number }> = [];
  for (const w of windows) {
    const last = merged.at(-1);
    if (last && w.from <= last.to) last.to = Math.max(last.to, w.to);
    else merged.push({ ...w });
  }
  return merged;
}

/**
 * Recovery's groups: for each crash, hang or unexplained exit, its notes from before it by the one
 * rule (recovery/noteBeforeIncident.ts), newest incident first, each note listed once, the
 * offered one first; then the other recent notes, "not near any incident".
 */
export function groupDraftsByIncident(vault: VaultReader, incidents: readonly Incident[]): RecoveryGroup[] {
  // Only the drafts saved in the incidents' windows are read: overlapping windows (a client that
  // crashes again and again) are read once, as one range; a draft in two ranges is merged.
  const touched = new Map<string, TouchedDraft>();
  for (const { from, to } of mergedWindows(incidents)) {
    for (const draft of vault.draftsTouchedBetween(from, to)) {
      const known = touched.get(draft.id);
      if (known) known.saveTimes.push(...draft.saveTimes);
      else touched.set(draft.id, draft);
    }
  }
  const groups: RecoveryGroup[] = groupsForIncidents(incidents, [...touched.values()]).map(({ incident, group, offered }) => ({
    incident,
    drafts: group.map(({ draft: { saveTimes: _times, ...summary }, lastSavedBefore, secondsBefore }) => ({
      ...summary,
      lastSavedBeforeIncident: new Date(lastSavedBefore).toISOString(),
      secondsBeforeIncident: secondsBefore,
    })),
    offeredDraftId: offered?.draft.id ?? null,
  }));
  const grouped = new Set(groups.flatMap((g) => g.drafts.map((d) => d.id)));
  const rest = vault
    .list({ limit: UNGROUPED_LIMIT })
    .filter((d) => d.state !== 'discarded' && !grouped.has(d.id))
    .map((d) => ({ ...d, lastSavedBeforeIncident: null, secondsBeforeIncident: null }));
  if (rest.length > 0) groups.push({ incident: null, drafts: rest, offeredDraftId: null });
  return groups;
}
