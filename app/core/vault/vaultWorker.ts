import { Worker } from 'node:worker_threads';
import { SMALL_YOUNG_GENERATION } from '../runtime/runtimeEntries.ts';
import type { ApiArg } from '../../common/api.ts';
import type { SiteContext } from '../api/siteContext.ts';
import type { AsyncVaultReads, ProfileNames } from '../api/uiReads.ts';
import type { CheckpointResult, ExportedDraft } from './vault.ts';
import { VaultError } from './vaultErrors.ts';
import type { VaultWorkerData, VaultWorkerReply, VaultWorkerRequest, VaultWorkerResults } from './vaultWorkerProtocol.ts';

/** A failure inside the maintenance worker, with the vault error's code and message as it gave them. */
export class VaultWorkerError extends VaultError {
  override readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

export interface VaultWorkerOptions {
  /** vaultWorkerMain: .ts from the sources, .mjs/.cjs in a bundle (see runtimeEntries.ts). */
  entry: string | URL;
  dir: string;
  key: Buffer;
  busyTimeoutMs?: number;
  /** Told when the worker stopped unexpectedly (it is started again by the next request). */
  onProblem?: (message: string) => void;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * The note side's handle on its maintenance worker (vaultWorkerMain.ts): long reads and vault
 * maintenance as promises, answered on another thread with the worker's own connections.
 */
export class VaultWorker implements AsyncVaultReads {
  private readonly options: VaultWorkerOptions;
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(options: VaultWorkerOptions) {
    this.options = options;
  }

  /** Starts the thread now rather than at the first request (opening the vault takes a few ms). */
  start(): void {
    this.ensureWorker();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const data: VaultWorkerData = { dir: this.options.dir, keyHex: this.options.key.toString('hex'), ...(this.options.busyTimeoutMs !== undefined ? { busyTimeoutMs: this.options.busyTimeoutMs } : {}) };
    const worker = new Worker(this.options.entry, { workerData: data, name: 'lifeboat-vault-maintenance', resourceLimits: SMALL_YOUNG_GENERATION });
    // The worker never keeps the process alive on its own: `lifeboat watch` ends on Ctrl-C.
    worker.unref();
    worker.on('message', (reply: VaultWorkerReply) => this.settle(reply));
    worker.on('error', (err) => this.lost(worker, `the vault maintenance worker failed: ${err.message.split('\n')[0]}`));
    worker.on('exit', (code) => this.lost(worker, `the vault maintenance worker stopped (exit code ${code})`));
    this.worker = worker;
    return worker;
  }

  private settle(reply: VaultWorkerReply): void {
    if ('fatal' in reply) {
      for (const [id, p] of this.pending) {
        this.pending.delete(id);
        p.reject(new VaultWorkerError(reply.error.code, reply.error.message));
      }
      return;
    }
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (reply.ok) waiting.resolve(reply.value);
    else waiting.reject(new VaultWorkerError(reply.error.code, reply.error.message));
  }

  private lost(worker: Worker, message: string): void {
    if (this.worker !== worker) return;
    this.worker = null;
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(new VaultWorkerError('VAULT_WORKER_STOPPED', `${message}; try again`));
    }
    if (!this.closed) this.options.onProblem?.(message);
  }

  private request<R extends VaultWorkerRequest>(request: R): Promise<VaultWorkerResults[R['op']]> {
    if (this.closed) return Promise.reject(new VaultWorkerError('VAULT_CLOSED', 'the vault is closed'));
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ id, request });
    });
  }

  list(limit: number) {
    return this.request({ op: 'list', limit });
  }
  search(query: string, limit: number, names: ProfileNames) {
    return this.request({ op: 'search', query, limit, names });
  }
  listIncidents(range: { from?: number; to?: number }, names: ProfileNames) {
    return this.request({ op: 'listIncidents', ...range, names });
  }
  recoveryCandidates(now: number, names: ProfileNames) {
    return this.request({ op: 'recoveryCandidates', now, names });
  }
  statusSummary(now: number, names: ProfileNames) {
    return this.request({ op: 'statusSummary', now, names });
  }
  exportFile(arg: ApiArg<'exportFile'>, now: number, site: SiteContext, names: ProfileNames) {
    return this.request({ op: 'exportFile', arg, now, site, names });
  }
  practiceView(site: SiteContext, now: number) {
    return this.request({ op: 'practiceView', site, now });
  }
  exportAll(now: number): Promise<{ exportedAt: string; drafts: ExportedDraft[] }> {
    return this.request({ op: 'exportAll', now });
  }
  checkpoint(mode: 'PASSIVE' | 'TRUNCATE'): Promise<CheckpointResult> {
    return this.request({ op: 'checkpoint', mode });
  }
  purge(now: number, olderThanMs: number): Promise<{ purged: number }> {
    return this.request({ op: 'purge', now, olderThanMs });
  }

  /** Finishes what was asked, closes the worker's connections and ends the thread. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const worker = this.worker;
    if (worker) {
      const id = this.nextId++;
      const done = new Promise<void>((resolve) => {
        this.pending.set(id, { resolve: () => resolve(), reject: () => resolve() });
        worker.once('exit', () => resolve());
      });
      worker.postMessage({ id, request: { op: 'close' } });
      await done;
    }
    this.worker = null;
  }
}
