import type { ApiArg, ExportedFile, IncidentView, PracticeView, RecoveryGroupView, SearchHit } from '../../common/api.ts';
import type { DraftSummary } from '../../common/draft.ts';
import type { SiteContext } from '../api/siteContext.ts';
import type { ProfileNames, StatusSummary } from '../api/uiReads.ts';
import type { CheckpointResult, ExportedDraft } from './vault.ts';

/**
 * What the note side asks its maintenance worker (a thread of the same process, with its own
 * connections to the vault). Both ends are this build's own code in one process, so the messages
 * are typed here rather than parsed: nothing outside Lifeboat can put a message on this port.
 * `now` travels with every request that needs the time: the worker has no clock of its own.
 */
export type VaultWorkerRequest =
  | { op: 'list'; limit: number }
  | { op: 'search'; query: string; limit: number; names: ProfileNames }
  | { op: 'listIncidents'; from?: number; to?: number; names: ProfileNames }
  | { op: 'recoveryCandidates'; now: number; names: ProfileNames }
  | { op: 'statusSummary'; now: number; names: ProfileNames }
  | { op: 'exportFile'; arg: ApiArg<'exportFile'>; now: number; site: SiteContext; names: ProfileNames }
  | { op: 'practiceView'; site: SiteContext; now: number }
  | { op: 'exportAll'; now: number }
  | { op: 'checkpoint'; mode: 'PASSIVE' | 'TRUNCATE' }
  | { op: 'purge'; now: number; olderThanMs: number };

export interface VaultWorkerResults {
  list: DraftSummary[];
  search: SearchHit[];
  listIncidents: IncidentView[];
  recoveryCandidates: RecoveryGroupView[];
  statusSummary: StatusSummary;
  exportFile: ExportedFile;
  practiceView: PracticeView;
  exportAll: { exportedAt: string; drafts: ExportedDraft[] };
  checkpoint: CheckpointResult;
  purge: { purged: number };
}

export type VaultWorkerOp = VaultWorkerRequest['op'];

export interface VaultWorkerData {
  dir: string;
  /** The vault key, hex: handed to the worker in memory, never written anywhere. */
  keyHex: string;
  busyTimeoutMs?: number;
}

/** An error as the worker reports it: its code (VaultError, ApiError) and first line survive. */
export interface WorkerError {
  name: string;
  code: string;
  message: string;
}

export type VaultWorkerReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: WorkerError }
  /** The worker could not open the vault: every request will fail the same way. */
  | { id: 0; ok: false; fatal: true; error: WorkerError };
