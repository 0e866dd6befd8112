import type { ApiArg, AwaitingRecovery, ExportedFile, IncidentView, PracticeView, RecoveryGroupView, SearchHit } from '../../common/api.ts';
import { SNIPPET_MARK } from '../../common/draftText.ts';
import type { DraftSummary } from '../../common/draft.ts';
import type { AuditedReads, VaultReader } from '../vault/vault.ts';
import { exportFile } from './exportFiles.ts';
import { practiceView } from './practiceView.ts';
import { groupDraftsByIncident } from './recoveryGroups.ts';
import { clientNamesFrom, incidentView, pendingRecovery, recoveryGroupViews, withListFacts } from './recoveryView.ts';
import type { SiteContext } from './siteContext.ts';

/** The Status page's incidents: those of the last week. */
export const RECENT_INCIDENT_WINDOW_MS = 7 * 24 * 3_600_000;

/** The client profiles' names, as plain data (a function cannot cross to a worker thread). */
export type ProfileNames = ReadonlyArray<{ name: string; displayName: string }>;

export interface StatusSummary {
  lastIncidents: IncidentView[];
  recoverableDrafts: number;
  awaitingRecovery: AwaitingRecovery | null;
}

/**
 * The screens' reads that can take long on a big vault (search, lists, incidents, recovery
 * grouping, reports and evidence packs, the practice share): the running service answers them in
 * its maintenance worker (VaultWorker), so the thread that saves notes never runs them.
 */
export interface AsyncVaultReads {
  list(limit: number): Promise<DraftSummary[]>;
  search(query: string, limit: number, names: ProfileNames): Promise<SearchHit[]>;
  listIncidents(range: { from?: number; to?: number }, names: ProfileNames): Promise<IncidentView[]>;
  recoveryCandidates(now: number, names: ProfileNames): Promise<RecoveryGroupView[]>;
  statusSummary(now: number, names: ProfileNames): Promise<StatusSummary>;
  exportFile(arg: ApiArg<'exportFile'>, now: number, site: SiteContext, names: ProfileNames): Promise<ExportedFile>;
  practiceView(site: SiteContext, now: number): Promise<PracticeView>;
}

/** The vault as these reads need it: plain reads, and the audited list reads (the writer's). */
export type UiReadSource = VaultReader & AuditedReads;

/** Each read, written once: the worker runs them on its own connections, inThreadReads on the caller's. */
export const uiReads = {
  list: (vault: VaultReader, limit: number): DraftSummary[] => vault.list({ limit }),
  search: (vault: UiReadSource, query: string, limit: number, names: ProfileNames): SearchHit[] => {
    const hits = withListFacts(vault, vault.search(query, { limit }), clientNamesFrom(names));
    const snippets = vault.snippets(query, hits.map((h) => h.id), SNIPPET_MARK);
    return hits.map((h) => ({ ...h, snippet: snippets.get(h.id) ?? h.preview }));
  },
  listIncidents: (vault: VaultReader, range: { from?: number; to?: number }, names: ProfileNames): IncidentView[] => {
    const clientNames = clientNamesFrom(names);
    return vault.listIncidents(range).map((i) => incidentView(i, clientNames));
  },
  recoveryCandidates: (vault: UiReadSource, now: number, names: ProfileNames): RecoveryGroupView[] =>
    recoveryGroupViews(vault, groupDraftsByIncident(vault, vault.listIncidents({ from: now - RECENT_INCIDENT_WINDOW_MS })), clientNamesFrom(names)),
  statusSummary: (vault: VaultReader, now: number, names: ProfileNames): StatusSummary => {
    const clientNames = clientNamesFrom(names);
    const incidents = vault.listIncidents({ from: now - RECENT_INCIDENT_WINDOW_MS });
    const pending = pendingRecovery(groupDraftsByIncident(vault, incidents), clientNames);
    return { lastIncidents: incidents.slice(-5).reverse().map((i) => incidentView(i, clientNames)), recoverableDrafts: pending.count, awaitingRecovery: pending.awaiting };
  },
  exportFile: (vault: VaultReader, arg: ApiArg<'exportFile'>, now: number, site: SiteContext, names: ProfileNames): ExportedFile => exportFile(arg, { vault, now, site, names: clientNamesFrom(names) }),
  practiceView: (site: SiteContext, now: number): Promise<PracticeView> => practiceView(site, now),
};

/**
 * The same reads on the caller's own thread: for one-shot commands and tests that have no
 * worker, where nobody types while they run.
 */
export function inThreadReads(vault: UiReadSource): AsyncVaultReads {
  return {
    list: async (limit) => uiReads.list(vault, limit),
    search: async (query, limit, names) => uiReads.search(vault, query, limit, names),
    listIncidents: async (range, names) => uiReads.listIncidents(vault, range, names),
    recoveryCandidates: async (now, names) => uiReads.recoveryCandidates(vault, now, names),
    statusSummary: async (now, names) => uiReads.statusSummary(vault, now, names),
    exportFile: async (arg, now, site, names) => uiReads.exportFile(vault, arg, now, site, names),
    practiceView: (site, now) => uiReads.practiceView(site, now),
  };
}
