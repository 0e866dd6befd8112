import type { RecoveryGroup } from '../../common/api.ts';
import type { Incident } from '../../common/incident.ts';
import { groupsForIncidents, incidentMayCostNotes, incidentWindow } from '../recovery/noteBeforeIncident.ts';
import type { TouchedDraft, VaultReader } from '../vault/vault.ts';

/** The most drafts Recovery lists outside any incident's group (the newest). */
const UNGROUPED_LIMIT = 500;

/**
 * Recovery's groups: for each crash, hang or unexplained exit, its notes from before it by the one
 * rule (recovery/noteBeforeIncident.ts), newest incident first, each note listed once, the
 * offered one first; then the other recent notes, "not near any incident".
 */
export function groupDraftsByIncident(vault: VaultReader, incidents: readonly Incident[]): RecoveryGroup[] {
  // Each incident reads only the drafts saved in its own window; a draft in two windows is merged.
  const touched = new Map<string, TouchedDraft>();
  for (const incident of incidents) {
    if (!incidentMayCostNotes(incident.kind)) continue;
    const { from, to } = incidentWindow(incident);
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
