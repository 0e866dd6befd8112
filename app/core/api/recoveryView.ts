import type { AwaitingRecovery, DraftListItem, IncidentView, RecoveryGroup, RecoveryGroupView } from '../../common/api.ts';
import type { DraftSummary } from '../../common/draft.ts';
import { isDealtWith, notePreview } from '../../common/draftText.ts';
import type { Incident } from '../../common/incident.ts';
import type { AuditedReads } from '../vault/vault.ts';

/** Profile id → the name people know it by ("emis-web" → "EMIS Web"). */
export type ClientNames = (profile: string) => string;

export function clientNamesFrom(profiles: ReadonlyArray<{ name: string; displayName: string }>): ClientNames {
  const names = new Map(profiles.map((p) => [p.name, p.displayName]));
  return (profile) => names.get(profile) ?? profile;
}

export const incidentView = (incident: Incident, names: ClientNames): IncidentView => ({ ...incident, clientName: names(incident.profile) });

/**
 * Summaries with what tells them apart (first words, start time, the GP's patient reference),
 * read in one audited call. A captured draft's patientRef is a window-title hash: never shown.
 */
export function withListFacts<T extends DraftSummary>(vault: Pick<AuditedReads, 'listFacts'>, drafts: readonly T[], names: ClientNames): Array<T & DraftListItem> {
  const facts = drafts.length === 0 ? new Map() : vault.listFacts(drafts.map((d) => d.id));
  return drafts.flatMap((draft) => {
    const f = facts.get(draft.id);
    if (!f) return []; // deleted between the two reads
    return [
      {
        ...draft,
        createdAt: f.createdAt,
        preview: notePreview(f.head, draft.title),
        patientRef: draft.origin === 'note' && f.patientRef ? f.patientRef : null,
        clientName: f.clientProfile ? names(f.clientProfile) : null,
      },
    ];
  });
}

/** The groups of recoveryGroups.ts, as the Recovery page lists them. */
export function recoveryGroupViews(vault: Pick<AuditedReads, 'listFacts'>, groups: readonly RecoveryGroup[], names: ClientNames): RecoveryGroupView[] {
  return groups.map((group) => ({
    incident: group.incident ? incidentView(group.incident, names) : null,
    drafts: withListFacts(vault, group.drafts, names),
    offeredDraftId: group.offeredDraftId,
  }));
}

/**
 * What Recovery still asks of the GP: notes from before a crash, hang or unexplained exit not yet marked done (discarded
 * ones are gone), and the newest such incident, which keeps the banner up until they are dealt
 * with, whatever the client's health is now.
 */
export function pendingRecovery(groups: readonly RecoveryGroup[], names: ClientNames): { count: number; awaiting: AwaitingRecovery | null } {
  let count = 0;
  let awaiting: AwaitingRecovery | null = null;
  for (const group of groups) {
    if (!group.incident) continue;
    const pending = group.drafts.filter((d) => !isDealtWith(d.state)).length;
    count += pending;
    // Groups come newest incident first.
    if (pending > 0 && awaiting === null) awaiting = { incident: incidentView(group.incident, names), drafts: pending, draftId: group.offeredDraftId };
  }
  return { count, awaiting };
}
