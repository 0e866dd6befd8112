import type { RecoveryGroup } from '../../common/api.ts';
import type { Incident } from '../../common/incident.ts';
import type { VaultReader } from '../vault/vault.ts';

/** A draft written within this long before an incident is offered as "before the crash". */
export const RECOVERY_LOOKBACK_MS = 30 * 60_000;

/**
 * Groups drafts around the incidents that may have cost the GP their work: for each crash or
 * hang, the drafts whose newest save before it fell within the lookback, with how many seconds
 * before the incident that save was ("recovered note from 09:41:07, 3 s before the crash").
 */
export function groupDraftsByIncident(vault: VaultReader, incidents: readonly Incident[]): RecoveryGroup[] {
  const drafts = vault.list({ limit: 500 }).filter((d) => d.state !== 'discarded');
  const troubling = incidents.filter((i) => i.kind === 'crash' || i.kind === 'hang').sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt));
  const claimed = new Set<string>();
  // Revision times are read once per draft, and only for drafts an incident asks about.
  const timesOf = new Map<string, number[]>();
  const revisionTimes = (id: string): number[] => {
    let times = timesOf.get(id);
    if (!times) timesOf.set(id, (times = vault.revisionTimes(id)));
    return times;
  };
  const groups: RecoveryGroup[] = [];
  for (const incident of troubling) {
    const at = Date.parse(incident.startedAt);
    const members: RecoveryGroup['drafts'] = [];
    for (const draft of drafts) {
      if (claimed.has(draft.id)) continue;
      const updated = Date.parse(draft.updatedAt);
      const lastBefore = updated <= at ? updated : (revisionTimes(draft.id).filter((t) => t <= at).at(-1) ?? null);
      if (lastBefore === null || at - lastBefore > RECOVERY_LOOKBACK_MS) continue;
      claimed.add(draft.id);
      members.push({ ...draft, lastSavedBeforeIncident: new Date(lastBefore).toISOString(), secondsBeforeIncident: Math.round((at - lastBefore) / 1000) });
    }
    if (members.length > 0) groups.push({ incident, drafts: members });
  }
  const rest = drafts.filter((d) => !claimed.has(d.id)).map((d) => ({ ...d, lastSavedBeforeIncident: null, secondsBeforeIncident: null }));
  if (rest.length > 0) groups.push({ incident: null, drafts: rest });
  return groups;
}
