// The vault's maintenance worker: a thread of the note side's process with its own connections
// to the vault. It answers the long reads (lists, search, incidents, recovery grouping, reports,
// export) through a read-only connection and does the maintenance that used to run inside saves
// (WAL checkpoints, retention purge, merging the full-text index) through a writer connection,
// in short steps, so the thread that saves notes never waits for any of it.
import { parentPort, workerData } from 'node:worker_threads';
import { ApiError } from '../api/apiError.ts';
import { uiReads, type UiReadSource } from '../api/uiReads.ts';
import { ReadOnlyVault } from './readOnlyVault.ts';
import { Vault } from './vault.ts';
import { VaultError } from './vaultErrors.ts';
import { FixedKeySource } from './vaultKey.ts';
import type { VaultWorkerData, VaultWorkerReply, VaultWorkerRequest, VaultWorkerResults, WorkerError } from './vaultWorkerProtocol.ts';

const PURGE_STEP_DRAFTS = 25;
const MERGE_STEP_PAGES = 64;
/** Between two write steps the lock is free this long: a save that was waiting takes it at once. */
const STEP_GAP_MS = 5;

const port = parentPort;
if (!port) throw new Error('vaultWorkerMain runs as a worker thread');
const data = workerData as VaultWorkerData;

/** The worker's only clock: the time the note side sent with the request being handled. */
let requestNow = 0;
const clock = { now: () => requestNow };

/** VaultError and ApiError carry a code the UI shows their message by; anything else is INTERNAL. */
const errorOf = (err: unknown): WorkerError => {
  const code = (err as { code?: unknown } | null)?.code;
  return {
    name: err instanceof Error ? err.name : 'Error',
    code: (err instanceof VaultError || err instanceof ApiError) && typeof code === 'string' ? code : 'INTERNAL',
    message: err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err),
  };
};

let reader: ReadOnlyVault;
let writer: Vault;
try {
  const keySource = new FixedKeySource(Buffer.from(data.keyHex, 'hex'));
  const busy = data.busyTimeoutMs !== undefined ? { busyTimeoutMs: data.busyTimeoutMs } : {};
  writer = Vault.open({ dir: data.dir, keySource, clock, walAutoCheckpoint: false, ...busy });
  reader = ReadOnlyVault.open({ dir: data.dir, keySource, clock, ...busy });
} catch (err) {
  port.postMessage({ id: 0, ok: false, fatal: true, error: errorOf(err) } satisfies VaultWorkerReply);
  throw err;
}

const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, STEP_GAP_MS));

/** Retention in short transactions: a typing GP's save waits at most one step for the lock. */
async function purge(now: number, olderThanMs: number): Promise<{ purged: number }> {
  const cutoff = now - olderThanMs;
  let purged = 0;
  for (;;) {
    const step = writer.purgeStep(cutoff, PURGE_STEP_DRAFTS);
    purged += step;
    if (step < PURGE_STEP_DRAFTS) break;
    await pause();
  }
  if (purged > 0) {
    // The deleted drafts' tokens leave the full-text index only once its segments are merged.
    while (writer.mergeIndexStep(MERGE_STEP_PAGES)) await pause();
  }
  writer.recordPurge(purged, olderThanMs);
  // Freed (zeroed) pages out of the WAL file too, as the one-shot purge does.
  if (purged > 0) writer.checkpoint('TRUNCATE');
  return { purged };
}

/**
 * Plain reads go through the read-only connection; the reads that show note text in a list
 * (listFacts, snippets) write an audit row, so they go through the writer.
 */
const both: UiReadSource = {
  list: (o) => reader.list(o),
  search: (t, o) => reader.search(t, o),
  info: (id) => reader.info(id),
  revisions: (id) => reader.revisions(id),
  revisionTimes: (id) => reader.revisionTimes(id),
  draftsTouchedBetween: (from, to) => reader.draftsTouchedBetween(from, to),
  listIncidents: (o) => reader.listIncidents(o),
  auditTrail: (o) => reader.auditTrail(o),
  listFacts: (ids) => writer.listFacts(ids),
  snippets: (t, ids, marks) => writer.snippets(t, ids, marks),
};

async function handle(request: VaultWorkerRequest): Promise<VaultWorkerResults[VaultWorkerRequest['op']]> {
  if ('now' in request) requestNow = request.now;
  switch (request.op) {
    case 'list':
      return uiReads.list(reader, request.limit);
    case 'search':
      return uiReads.search(both, request.query, request.limit, request.names);
    case 'listIncidents':
      return uiReads.listIncidents(reader, { ...(request.from !== undefined ? { from: request.from } : {}), ...(request.to !== undefined ? { to: request.to } : {}) }, request.names);
    case 'recoveryCandidates':
      return reader.snapshot(() => uiReads.recoveryCandidates(both, request.now, request.names));
    case 'statusSummary':
      return reader.snapshot(() => uiReads.statusSummary(reader, request.now, request.names));
    case 'exportFile':
      return reader.snapshot(() => uiReads.exportFile(reader, request.arg, request.now, request.site, request.names));
    case 'practiceView':
      return uiReads.practiceView(request.site, request.now);
    case 'exportAll':
      // Audited, so through the writer: one read transaction, then the audit row.
      return writer.exportAll();
    case 'checkpoint':
      return writer.checkpoint(request.mode);
    case 'purge':
      return purge(request.now, request.olderThanMs);
  }
}

// One request at a time, in order: maintenance steps never interleave with each other.
let queue: Promise<void> = Promise.resolve();
port.on('message', (message: { id: number; request: VaultWorkerRequest | { op: 'close' } }) => {
  queue = queue.then(async () => {
    if (message.request.op === 'close') {
      // Last connection out: SQLite checkpoints and removes the WAL only when the writer closes too.
      reader.close();
      writer.close();
      port.postMessage({ id: message.id, ok: true, value: null } satisfies VaultWorkerReply);
      port.close();
      return;
    }
    try {
      const value = await handle(message.request as VaultWorkerRequest);
      port.postMessage({ id: message.id, ok: true, value } satisfies VaultWorkerReply);
    } catch (err) {
      port.postMessage({ id: message.id, ok: false, error: errorOf(err) } satisfies VaultWorkerReply);
    }
  });
});
