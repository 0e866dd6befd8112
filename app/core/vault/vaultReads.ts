import type { AuditAction, AuditEntry, DraftInfo, DraftOrigin, DraftState, DraftSummary, RevisionInfo, RevisionReason } from '../../common/draft.ts';
import type { Incident } from '../../common/incident.ts';
import { toFtsQuery } from './ftsQuery.ts';
import { translateSqliteError } from './sqliteErrors.ts';
import type { ReadConnection } from './vaultHandles.ts';
import { DraftNotFoundError } from './vaultErrors.ts';

export interface DraftRow {
  rowid: number;
  id: string;
  client_profile: string | null;
  patient_ref: string | null;
  title: string;
  body: string;
  created_at: number;
  updated_at: number;
  state: DraftState;
  origin: DraftOrigin;
  pinned: 0 | 1;
  revision_count: number;
  last_revision_seq: number;
  pending_changes: number;
}

interface SummaryRow {
  id: string;
  title: string;
  state: DraftState;
  origin: DraftOrigin;
  updated_at: number;
  revision_count: number;
}

interface IncidentRow {
  id: string;
  kind: Incident['kind'];
  app: string;
  profile: string;
  started_at: number;
  ended_at: number | null;
  sources: string;
  evidence: string;
  signature: string | null;
}

export const iso = (ms: number): string => new Date(ms).toISOString();

export const toInfo = (row: DraftRow): DraftInfo => ({
  id: row.id,
  title: row.title,
  state: row.state,
  origin: row.origin,
  updatedAt: iso(row.updated_at),
  createdAt: iso(row.created_at),
  revisions: row.revision_count,
  clientProfile: row.client_profile,
  patientRef: row.patient_ref,
  pinned: row.pinned === 1,
  bodyLength: row.body.length,
});

const toSummary = (row: SummaryRow): DraftSummary => ({
  id: row.id,
  title: row.title,
  state: row.state,
  origin: row.origin,
  updatedAt: iso(row.updated_at),
  revisions: row.revision_count,
});

const toIncident = (row: IncidentRow): Incident => ({
  id: row.id,
  kind: row.kind,
  app: row.app,
  profile: row.profile,
  startedAt: iso(row.started_at),
  endedAt: row.ended_at === null ? null : iso(row.ended_at),
  sources: JSON.parse(row.sources) as Incident['sources'],
  evidence: JSON.parse(row.evidence) as string[],
  signature: row.signature,
});

/** Every statement that only reads: prepared on a ReadConnection, so a read-only connection can hold them. */
function prepareReadStatements(db: ReadConnection) {
  return {
    draftById: db.prepare<[string], DraftRow>('SELECT * FROM drafts WHERE id = ?'),
    list: db.prepare<[number, number], SummaryRow>(
      'SELECT id, title, state, origin, updated_at, revision_count FROM drafts ORDER BY updated_at DESC, rowid DESC LIMIT ? OFFSET ?',
    ),
    // Ranks inside the FTS index first and reads only the top rows of drafts: joining every
    // match before the LIMIT read each matching draft's row (body included), ~0.5 s for a
    // common word at 100k drafts (tests/bench/vaultScale.bench.ts). Ties at the cut-off go
    // to the newer draft.
    search: db.prepare<[string, number], SummaryRow>(
      `SELECT d.id, d.title, d.state, d.origin, d.updated_at, d.revision_count
         FROM (SELECT rowid, bm25(drafts_fts, 5.0, 1.0) AS score FROM drafts_fts
                WHERE drafts_fts MATCH ? ORDER BY score, rowid DESC LIMIT ?) AS hit
         JOIN drafts d ON d.rowid = hit.rowid
        ORDER BY hit.score, d.updated_at DESC`,
    ),
    revision: db.prepare<[number, number], { seq: number; at: number; body: string }>('SELECT seq, at, body FROM revisions WHERE draft_rowid = ? AND seq = ?'),
    revisionTimes: db.prepare<[number], { at: number }>('SELECT at FROM revisions WHERE draft_rowid = ? ORDER BY seq'),
    revisionsWithBody: db.prepare<[number], { seq: number; at: number; reason: RevisionReason; body: string }>(
      'SELECT seq, at, reason, body FROM revisions WHERE draft_rowid = ? ORDER BY seq',
    ),
    // The two halves of draftsTouchedBetween, each on its own time index (revisions_at, drafts_updated).
    // Every revision is stamped with the time its text was saved (checkpoints included), so its
    // time is a save time.
    revisionsBetween: db.prepare<[number, number], SummaryRow & { at: number }>(
      `SELECT d.id, d.title, d.state, d.origin, d.updated_at, d.revision_count, r.at
         FROM revisions r JOIN drafts d ON d.rowid = r.draft_rowid
        WHERE r.at >= ? AND r.at <= ?`,
    ),
    updatedBetween: db.prepare<[number, number], SummaryRow>(
      'SELECT id, title, state, origin, updated_at, revision_count FROM drafts WHERE updated_at >= ? AND updated_at <= ?',
    ),
    allDrafts: db.prepare<[], DraftRow>('SELECT * FROM drafts ORDER BY updated_at DESC'),
    auditTrail: db.prepare<[number], { at: number; action: AuditAction; draft_id: string | null; detail: string }>(
      'SELECT at, action, draft_id, detail FROM audit ORDER BY id DESC LIMIT ?',
    ),
    metaValue: db.prepare<[string], { value: Buffer }>('SELECT value FROM vault_meta WHERE key = ?'),
    incidents: db.prepare<[number, number], IncidentRow>('SELECT * FROM incidents WHERE started_at >= ? AND started_at <= ? ORDER BY started_at'),
  };
}

export type ReadStatements = ReturnType<typeof prepareReadStatements>;

/** A draft with the times it was saved inside a window: what the "note before the crash" rule reads. */
export interface TouchedDraft extends DraftSummary {
  saveTimes: number[];
}

/** What only reads: code that gets a VaultReader cannot change the vault. */
export interface VaultReader {
  list(options?: { limit?: number; offset?: number }): DraftSummary[];
  search(text: string, options?: { limit?: number }): DraftSummary[];
  info(id: string): DraftInfo;
  revisions(id: string): RevisionInfo[];
  /** When each revision was written (ms), oldest first: no text is read. */
  revisionTimes(id: string): number[];
  /**
   * The drafts saved in [from, to] (ms, inclusive) with those save times (their revisions' times
   * and their last update, when inside): no text is read, and only the window's rows are, by index.
   */
  draftsTouchedBetween(from: number, to: number): TouchedDraft[];
  listIncidents(options?: { from?: number; to?: number }): Incident[];
  auditTrail(options?: { limit?: number }): AuditEntry[];
}

/**
 * The vault's reads, over any connection that can read: the writer (Vault) and the read-only
 * connection of the maintenance worker (ReadOnlyVault) share them, so a query is written once.
 */
export abstract class VaultQueries implements VaultReader {
  readonly path: string;
  protected readonly busyTimeoutMs: number;
  protected readonly reads: ReadStatements;

  protected constructor(db: ReadConnection, path: string, busyTimeoutMs: number) {
    this.path = path;
    this.busyTimeoutMs = busyTimeoutMs;
    this.reads = prepareReadStatements(db);
  }

  protected read<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw translateSqliteError(err, this.path, this.busyTimeoutMs);
    }
  }

  protected rowFor(id: string): DraftRow {
    const row = this.reads.draftById.get(id);
    if (!row) throw new DraftNotFoundError(id);
    return row;
  }

  list(options: { limit?: number; offset?: number } = {}): DraftSummary[] {
    return this.read(() => this.reads.list.all(options.limit ?? 1000, options.offset ?? 0).map(toSummary));
  }

  search(text: string, options: { limit?: number } = {}): DraftSummary[] {
    const query = toFtsQuery(text);
    if (query === null) return [];
    return this.read(() => this.reads.search.all(query, options.limit ?? 50).map(toSummary));
  }

  info(id: string): DraftInfo {
    return this.read(() => toInfo(this.rowFor(id)));
  }

  revisionTimes(id: string): number[] {
    return this.read(() => this.reads.revisionTimes.all(this.rowFor(id).rowid).map((r) => r.at));
  }

  draftsTouchedBetween(from: number, to: number): TouchedDraft[] {
    return this.read(() => {
      const byId = new Map<string, TouchedDraft>();
      const touched = (row: SummaryRow, at: number): void => {
        let draft = byId.get(row.id);
        if (!draft) byId.set(row.id, (draft = { ...toSummary(row), saveTimes: [] }));
        if (!draft.saveTimes.includes(at)) draft.saveTimes.push(at);
      };
      for (const row of this.reads.revisionsBetween.all(from, to)) touched(row, row.at);
      for (const row of this.reads.updatedBetween.all(from, to)) touched(row, row.updated_at);
      return [...byId.values()];
    });
  }

  revisions(id: string): RevisionInfo[] {
    return this.read(() => {
      const row = this.rowFor(id);
      // The length is taken in JS: SQL length() counts code points and stops at a NUL, while
      // bodyLength and the export count the UTF-16 units of the whole text.
      return this.reads.revisionsWithBody.all(row.rowid).map((r) => ({ seq: r.seq, at: iso(r.at), reason: r.reason, length: r.body.length }));
    });
  }

  listIncidents(options: { from?: number; to?: number } = {}): Incident[] {
    return this.read(() => this.reads.incidents.all(options.from ?? 0, options.to ?? Number.MAX_SAFE_INTEGER).map(toIncident));
  }

  auditTrail(options: { limit?: number } = {}): AuditEntry[] {
    return this.read(() =>
      this.reads.auditTrail.all(options.limit ?? 100).map((r) => ({ at: iso(r.at), action: r.action, draftId: r.draft_id, detail: JSON.parse(r.detail) as AuditEntry['detail'] })),
    );
  }
}
