import { describeIssues } from '../../common/describeIssues.ts';
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../common/clock.ts';
import {
  SaveDraftInputSchema,
  type AuditAction,
  type AuditEntry,
  type DraftDetail,
  type DraftInfo,
  type DraftOrigin,
  type DraftState,
  type RevisionInfo,
  type RevisionReason,
  type SaveDraftInput,
  type SaveResult,
} from '../../common/draft.ts';
import type { Incident } from '../../common/incident.ts';
import { toFtsQuery } from './ftsQuery.ts';
import { openVaultDatabase, type OpenVaultOptions } from './openVaultDatabase.ts';
import { changedCharacters, planRevision } from './revisionPolicy.ts';
import { translateSqliteError } from './sqliteErrors.ts';
import { asWriteConnection, type WriteConnection } from './vaultHandles.ts';
import { iso, toInfo, VaultQueries, type DraftRow } from './vaultReads.ts';
import { DiskFullError, DraftNotFoundError, VaultBusyError, VaultInputError } from './vaultErrors.ts';

export type { TouchedDraft, VaultReader } from './vaultReads.ts';

/** Characters of a draft's text read for a list preview: enough for a first line, never the note. */
export const LIST_HEAD_CHARS = 400;

/** What a list shows of a draft besides its summary: when it began, its reference, its first characters. */
export interface DraftFacts {
  createdAt: string;
  patientRef: string | null;
  clientProfile: string | null;
  /** The first LIST_HEAD_CHARS characters of the current text. */
  head: string;
}

/**
 * Reads that show note text in a list, and so write an audit row: only the vault writer has them
 * (a ReadOnlyVault cannot audit).
 */
export interface AuditedReads {
  listFacts(ids: readonly string[]): Map<string, DraftFacts>;
  snippets(text: string, ids: readonly string[], marks: { start: string; end: string }): Map<string, string>;
}

export interface ExportedDraft extends DraftInfo {
  body: string;
  revisionHistory: Array<RevisionInfo & { body: string }>;
}

export interface VaultOpenOptions extends OpenVaultOptions {
  /** Told after every write that committed: the checkpoint scheduler waits for a pause in these. */
  onWrite?: () => void;
}

/** SQLite's answer to wal_checkpoint: frames in the WAL, and how many are now in the database file. */
export interface CheckpointResult {
  busy: boolean;
  logFrames: number;
  checkpointedFrames: number;
}

/** Statements that write: prepared only on the writer's connection. */
function prepareWriteStatements(db: WriteConnection) {
  return {
    insertDraft: db.prepare(
      `INSERT INTO drafts (id, client_profile, patient_ref, title, body, created_at, updated_at, origin)
       VALUES (@id, @clientProfile, @patientRef, @title, @body, @now, @now, @origin)`,
    ),
    updateBody: db.prepare(
      `UPDATE drafts SET body = @body, title = @title, patient_ref = @patientRef, updated_at = @now,
         pending_changes = @pending WHERE rowid = @rowid`,
    ),
    insertRevision: db.prepare('INSERT INTO revisions (draft_rowid, seq, at, reason, body) VALUES (?, ?, ?, ?, ?)'),
    bumpRevision: db.prepare('UPDATE drafts SET revision_count = revision_count + 1, last_revision_seq = ?, pending_changes = ? WHERE rowid = ?'),
    setState: db.prepare('UPDATE drafts SET state = ? WHERE rowid = ?'),
    // What tells drafts apart in a list: the head of the text only, never all of a long note.
    facts: db.prepare<[string], { created_at: number; patient_ref: string | null; client_profile: string | null; head: string }>(
      `SELECT created_at, patient_ref, client_profile, substr(body, 1, ${LIST_HEAD_CHARS}) AS head FROM drafts WHERE id = ?`,
    ),
    // One draft's words around the match; the MATCH and the rowid keep it to that draft's index entries.
    snippet: db.prepare<[string, string, string, string], { text: string }>(
      `SELECT snippet(drafts_fts, -1, ?, ?, '…', 14) AS text FROM drafts_fts
        WHERE drafts_fts MATCH ? AND rowid = (SELECT rowid FROM drafts WHERE id = ?)`,
    ),
    setPinned: db.prepare('UPDATE drafts SET pinned = ? WHERE rowid = ?'),
    audit: db.prepare('INSERT INTO audit (at, action, draft_id, detail) VALUES (?, ?, ?, ?)'),
    // Every draft still being written: a recovered draft edited on must be checkpointed too.
    openWithPending: db.prepare<[], DraftRow>("SELECT * FROM drafts WHERE pending_changes > 0 AND state <> 'discarded'"),
    purgeable: db.prepare<[number, number], { rowid: number }>('SELECT rowid FROM drafts WHERE pinned = 0 AND updated_at < ? LIMIT ?'),
    deleteDraft: db.prepare('DELETE FROM drafts WHERE rowid = ?'),
    optimizeIndex: db.prepare("INSERT INTO drafts_fts (drafts_fts) VALUES ('optimize')"),
    // A negative page count merges whatever segments there are, a bounded amount per call.
    mergeIndex: db.prepare<[number]>("INSERT INTO drafts_fts (drafts_fts, rank) VALUES ('merge', ?)"),
    totalChanges: db.prepare<[], { n: number }>('SELECT total_changes() AS n'),
    upsertIncident: db.prepare(
      `INSERT INTO incidents (id, kind, app, profile, started_at, ended_at, sources, evidence, signature)
       VALUES (@id, @kind, @app, @profile, @startedAt, @endedAt, @sources, @evidence, @signature)
       ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, ended_at = excluded.ended_at,
         sources = excluded.sources, evidence = excluded.evidence, signature = excluded.signature`,
    ),
  };
}

/**
 * The encrypted draft vault: the only code that opens the database for writing.
 * Every write is one transaction under WAL + synchronous=FULL: when a method returns, it is durable.
 * Reads are VaultQueries' (shared with the read-only ReadOnlyVault of the maintenance worker).
 */
export class Vault extends VaultQueries implements AuditedReads {
  private readonly db: WriteConnection;
  private readonly clock: Clock;
  private readonly stmt: ReturnType<typeof prepareWriteStatements>;
  private readonly onWrite: (() => void) | undefined;
  /** Audit rows for reads made while the vault could not be written (disk full, busy): written with the next write. */
  private readonly deferredAudit: Array<[at: number, action: AuditAction, draftId: string | null, detail: string]> = [];

  static open(options: VaultOpenOptions): Vault {
    const opened = openVaultDatabase(options);
    return new Vault(asWriteConnection(opened.db), opened.paths.db, options.clock, opened.busyTimeoutMs, options.onWrite);
  }

  private constructor(db: WriteConnection, path: string, clock: Clock, busyTimeoutMs: number, onWrite: (() => void) | undefined) {
    super(db, path, busyTimeoutMs);
    this.db = db;
    this.clock = clock;
    this.onWrite = onWrite;
    this.stmt = prepareWriteStatements(db);
  }

  /** Runs a write and turns SQLite's failures into typed vault errors. */
  private write<T>(fn: () => T): T {
    const outermost = !this.db.inTransaction;
    const deferred = outermost ? this.deferredAudit.length : 0;
    let result: T;
    try {
      result = this.db
        .transaction(() => {
          for (let i = 0; i < deferred; i++) this.stmt.audit.run(...this.deferredAudit[i]!);
          return fn();
        })
        .immediate();
      this.deferredAudit.splice(0, deferred);
    } catch (err) {
      throw translateSqliteError(err, this.path, this.busyTimeoutMs);
    }
    if (outermost) this.onWrite?.();
    return result;
  }

  /**
   * Reads text and audits the read. The text comes first: a full disk or another process
   * holding the write lock must never stop a GP reading a saved note. The audit row is then
   * written with the next write that succeeds, with the time of the read.
   */
  private auditedRead<T>(action: AuditAction, draftId: string | null, fn: () => T, detail: (result: T) => AuditEntry['detail']): T {
    const at = this.clock.now();
    const result = this.read(fn);
    const row: [number, AuditAction, string | null, string] = [at, action, draftId, JSON.stringify(detail(result))];
    try {
      this.write(() => this.stmt.audit.run(...row));
    } catch (err) {
      if (!(err instanceof DiskFullError || err instanceof VaultBusyError)) throw err;
      this.deferredAudit.push(row);
    }
    return result;
  }

  private appendRevision(row: Pick<DraftRow, 'rowid' | 'last_revision_seq'>, at: number, reason: RevisionReason, body: string, pendingAfter: number): number {
    const seq = row.last_revision_seq + 1;
    this.stmt.insertRevision.run(row.rowid, seq, at, reason, body);
    this.stmt.bumpRevision.run(seq, pendingAfter, row.rowid);
    return seq;
  }

  private recordAudit(action: AuditAction, draftId: string | null, detail: AuditEntry['detail'] = {}): void {
    this.stmt.audit.run(this.clock.now(), action, draftId, JSON.stringify(detail));
  }

  /**
   * Saves the current body of a draft (creating it when `id` is new or absent) and appends a
   * revision when the coalescing policy or an explicit `reason` asks for one. Durable on return.
   */
  save(input: SaveDraftInput, options: { origin?: DraftOrigin } = {}): SaveResult {
    const parsed = SaveDraftInputSchema.safeParse(input);
    if (!parsed.success) throw new VaultInputError(`not saved: ${describeIssues(parsed.error.issues)}`);
    const { body, title, patientRef, clientProfile, reason } = parsed.data;
    const now = this.clock.now();
    return this.write(() => {
      const existing = parsed.data.id === undefined ? undefined : this.reads.draftById.get(parsed.data.id);
      if (!existing) {
        const id = parsed.data.id ?? randomUUID();
        const info = this.stmt.insertDraft.run({ id, clientProfile: clientProfile ?? null, patientRef: patientRef ?? null, title: title ?? '', body, now, origin: options.origin ?? 'note' });
        const row = { rowid: Number(info.lastInsertRowid), last_revision_seq: 0 };
        const plan = planRevision(null, body.length, now, reason);
        const seq = this.appendRevision(row, now, plan.writeAfter ?? 'typing', body, 0);
        return { id, revision: seq, revisionWritten: true, savedAt: iso(now) };
      }
      const changed = changedCharacters(existing.body, body);
      const newTitle = title ?? existing.title;
      const newPatientRef = patientRef ?? existing.patient_ref;
      if (changed === 0 && reason === undefined && newTitle === existing.title && newPatientRef === existing.patient_ref) {
        return { id: existing.id, revision: existing.last_revision_seq, revisionWritten: false, savedAt: iso(existing.updated_at) };
      }
      const plan = planRevision(
        { revisionCount: existing.revision_count, pendingChanges: existing.pending_changes, updatedAt: existing.updated_at },
        changed,
        now,
        reason,
      );
      let seq = existing.last_revision_seq;
      // New text in a note the GP had dealt with ("Done", saved in the clinical system) is not in
      // the clinical record yet: it is open again, so Recovery counts it after the next crash.
      if (changed > 0 && existing.state === 'saved-in-client') {
        this.stmt.setState.run('open', existing.rowid);
        this.recordAudit('state', existing.id, { from: existing.state, to: 'open', because: 'new text' });
      }
      if (plan.snapshotBeforeAsPause) {
        seq = this.appendRevision({ rowid: existing.rowid, last_revision_seq: seq }, existing.updated_at, 'pause', existing.body, 0);
      }
      this.stmt.updateBody.run({ rowid: existing.rowid, body, title: newTitle, patientRef: newPatientRef, now, pending: plan.pendingAfter });
      if (plan.writeAfter !== null) {
        seq = this.appendRevision({ rowid: existing.rowid, last_revision_seq: seq }, now, plan.writeAfter, body, 0);
      }
      return { id: existing.id, revision: seq, revisionWritten: plan.writeAfter !== null || plan.snapshotBeforeAsPause, savedAt: iso(now) };
    });
  }

  /** The salt for hashing captured window titles (made by migration 0005; never leaves the vault). */
  captureSalt(): Buffer {
    const row = this.read(() => this.reads.metaValue.get('capture-salt'));
    if (!row) throw new Error('the vault has no capture salt: its schema is older than 0005');
    return row.value;
  }

  /**
   * Writes a revision of every open draft that has unrevisioned text: called when the watcher
   * reports trouble (pre-crash) and on shutdown, so the history holds the text of that moment.
   * Each is stamped with the time its text was saved (the draft's updated_at), as a pause revision
   * is: a revision's time is always a save's, so "last typed 3 s before the crash" stays true after
   * the checkpoint, and a checkpoint never makes an older note look typed at the moment of a crash
   * (recovery/noteBeforeIncident.ts reads revision times as save times).
   */
  checkpointOpenDrafts(reason: Extract<RevisionReason, 'pre-crash' | 'shutdown' | 'blur'>): number {
    return this.write(() => {
      const rows = this.stmt.openWithPending.all();
      for (const row of rows) this.appendRevision(row, row.updated_at, reason, row.body, 0);
      return rows.length;
    });
  }

  /** Reads a draft's text (current, or one revision). Audited as a view: when and which, never what. */
  show(id: string, revision?: number): DraftDetail {
    const read = (): DraftDetail => {
      const row = this.rowFor(id);
      if (revision === undefined) {
        return { id: row.id, title: row.title, body: row.body, revision: row.last_revision_seq, updatedAt: iso(row.updated_at) };
      }
      const rev = this.reads.revision.get(row.rowid, revision);
      if (!rev) throw new DraftNotFoundError(id, revision);
      return { id: row.id, title: row.title, body: rev.body, revision: rev.seq, updatedAt: iso(rev.at) };
    };
    // One read transaction, so the row and its revision are from the same moment.
    return this.auditedRead('view', id, () => this.db.transaction(read).deferred(), () => ({ revision: revision ?? null }));
  }

  /** Brings an earlier revision back as the current body, keeping the replaced text as a revision. */
  restore(id: string, revision: number): SaveResult {
    const now = this.clock.now();
    return this.write(() => {
      const row = this.rowFor(id);
      const rev = this.reads.revision.get(row.rowid, revision);
      if (!rev) throw new DraftNotFoundError(id, revision);
      let seq = row.last_revision_seq;
      if (row.pending_changes > 0) seq = this.appendRevision(row, row.updated_at, 'pause', row.body, 0);
      this.stmt.updateBody.run({ rowid: row.rowid, body: rev.body, title: row.title, patientRef: row.patient_ref, now, pending: 0 });
      seq = this.appendRevision({ rowid: row.rowid, last_revision_seq: seq }, now, 'blur', rev.body, 0);
      this.stmt.setState.run('recovered', row.rowid);
      this.recordAudit('restore', id, { fromRevision: revision, newRevision: seq });
      return { id, revision: seq, revisionWritten: true, savedAt: iso(now) };
    });
  }

  setState(id: string, state: DraftState): void {
    this.write(() => {
      const row = this.rowFor(id);
      this.stmt.setState.run(state, row.rowid);
      this.recordAudit('state', id, { from: row.state, to: state });
    });
  }

  /**
   * The first characters of each draft with its start time and reference, for telling drafts apart
   * in a list. Shows text, so it is audited: one view of N drafts. Unknown ids are left out.
   */
  listFacts(ids: readonly string[]): Map<string, DraftFacts> {
    return this.auditedPerDraft(ids, 'listed', (id) => {
      const row = this.stmt.facts.get(id);
      return row && { createdAt: iso(row.created_at), patientRef: row.patient_ref, clientProfile: row.client_profile, head: row.head };
    });
  }

  /**
   * The words around the search match in each draft, matched words between `marks`. The same
   * query rules as search(); audited as one view of N drafts.
   */
  snippets(text: string, ids: readonly string[], marks: { start: string; end: string }): Map<string, string> {
    const query = toFtsQuery(text);
    if (query === null || ids.length === 0) return new Map();
    return this.auditedPerDraft(ids, 'snippets', (id) => this.stmt.snippet.get(marks.start, marks.end, query, id)?.text);
  }

  /** One read per draft (unknown ids left out), audited as a single view of how many were read. */
  private auditedPerDraft<T>(ids: readonly string[], what: string, readOne: (id: string) => T | undefined): Map<string, T> {
    return this.auditedRead(
      'view',
      null,
      () => {
        const out = new Map<string, T>();
        for (const id of ids) {
          const value = readOne(id);
          if (value !== undefined) out.set(id, value);
        }
        return out;
      },
      (result) => ({ [what]: result.size }),
    );
  }

  /**
   * The GP's "Discard": the draft, its history and its index entries are deleted for good (as by
   * purge: secure_delete and the FTS5 secure-delete option zero what it held, the WAL is
   * checkpointed). The audit keeps that it happened, never the text.
   */
  discard(id: string): void {
    this.write(() => {
      const row = this.rowFor(id);
      this.stmt.deleteDraft.run(row.rowid);
      this.recordAudit('state', id, { from: row.state, to: 'discarded', deleted: true });
    });
    this.checkpoint('TRUNCATE');
  }

  setPinned(id: string, pinned: boolean): void {
    this.write(() => {
      this.stmt.setPinned.run(pinned ? 1 : 0, this.rowFor(id).rowid);
    });
  }

  /** Every draft with its full history, for the user's own export. Audited. */
  exportAll(): { exportedAt: string; drafts: ExportedDraft[] } {
    const read = (): { exportedAt: string; drafts: ExportedDraft[] } => {
      const drafts = this.reads.allDrafts.all().map((row) => ({
        ...toInfo(row),
        body: row.body,
        revisionHistory: this.reads.revisionsWithBody.all(row.rowid).map((r) => ({ seq: r.seq, at: iso(r.at), reason: r.reason, length: r.body.length, body: r.body })),
      }));
      return { exportedAt: iso(this.clock.now()), drafts };
    };
    return this.auditedRead('export', null, () => this.db.transaction(read).deferred(), (result) => ({ drafts: result.drafts.length }));
  }

  /**
   * Deletes unpinned drafts not touched for `olderThanMs`, with their revisions and index entries.
   * Merging every FTS segment ('optimize') drops the deleted drafts' tokens from the index,
   * secure_delete zeroes the freed pages and the checkpoint moves them out of the WAL, so the
   * text is really gone, not merely unlinked. One transaction: for the CLI, where nobody is
   * typing; the running service purges in bounded steps from its worker (purgeStep).
   */
  purgeOlderThan(olderThanMs: number): number {
    const cutoff = this.clock.now() - olderThanMs;
    const purged = this.write(() => {
      const rows = this.stmt.purgeable.all(cutoff, Number.MAX_SAFE_INTEGER);
      for (const row of rows) this.stmt.deleteDraft.run(row.rowid);
      if (rows.length > 0) this.stmt.optimizeIndex.run();
      this.recordAudit('purge', null, { drafts: rows.length, olderThanMs });
      return rows.length;
    });
    if (purged > 0) this.checkpoint('TRUNCATE');
    return purged;
  }

  /**
   * One bounded step of a purge: deletes at most `limit` unpinned drafts last touched before
   * `cutoffMs` and returns how many. Each step is its own short transaction, so a save waits at
   * most one step for the write lock. The caller records the purge (recordPurge) when done.
   */
  purgeStep(cutoffMs: number, limit: number): number {
    return this.write(() => {
      const rows = this.stmt.purgeable.all(cutoffMs, limit);
      for (const row of rows) this.stmt.deleteDraft.run(row.rowid);
      return rows.length;
    });
  }

  /** The audit row of a purge made in steps. */
  recordPurge(drafts: number, olderThanMs: number): void {
    this.write(() => this.recordAudit('purge', null, { drafts, olderThanMs }));
  }

  /**
   * One bounded step of merging the full-text index (what 'optimize' does in one go): returns
   * false once there was nothing left to merge. Merged to one segment, the index no longer holds
   * the tokens of purged drafts.
   */
  mergeIndexStep(pages: number): boolean {
    return this.write(() => {
      // SQLite's documented test: the merge did work when total_changes() moved by 2 or more.
      const before = this.stmt.totalChanges.get()!.n;
      this.stmt.mergeIndex.run(-Math.max(1, pages));
      return this.stmt.totalChanges.get()!.n - before >= 2;
    });
  }

  /**
   * Copies the WAL into the database file. PASSIVE never blocks a writer (the maintenance worker
   * runs it when typing pauses); TRUNCATE waits for writers and empties the WAL file (after a
   * purge, so freed pages leave the WAL).
   */
  checkpoint(mode: 'PASSIVE' | 'TRUNCATE'): CheckpointResult {
    const [row] = this.read(() => this.db.pragma(`wal_checkpoint(${mode})`) as Array<{ busy: number; log: number; checkpointed: number }>);
    return { busy: (row?.busy ?? 0) !== 0, logFrames: row?.log ?? 0, checkpointedFrames: row?.checkpointed ?? 0 };
  }

  recordIncident(incident: Incident): void {
    this.write(() => {
      this.stmt.upsertIncident.run({
        id: incident.id,
        kind: incident.kind,
        app: incident.app,
        profile: incident.profile,
        startedAt: Date.parse(incident.startedAt),
        endedAt: incident.endedAt === null ? null : Date.parse(incident.endedAt),
        sources: JSON.stringify(incident.sources),
        evidence: JSON.stringify(incident.evidence),
        signature: incident.signature,
      });
    });
  }

  /** integrity_check: "ok" or the problems SQLite reports. */
  integrityCheck(): string[] {
    return this.read(() => (this.db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check));
  }

  /** Runs many writes as one transaction (bulk import and benchmarks); durable when it returns. */
  batch<T>(fn: () => T): T {
    return this.write(fn);
  }

  close(): void {
    if (!this.db.open) return;
    if (this.deferredAudit.length > 0) {
      try {
        this.write(() => undefined);
      } catch {
        // Still full or busy: those reads go unaudited; closing must not fail because of them.
      }
    }
    this.db.close();
  }
}
