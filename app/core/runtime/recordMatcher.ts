import { Worker } from 'node:worker_threads';
import { SMALL_YOUNG_GENERATION } from './runtimeEntries.ts';
import { diagnostic, type DiagnosticSink } from '../../common/diagnostic.ts';
import type { Signal } from '../../common/signal.ts';
import type { ClientProfile } from '../config/profiles.ts';

/** One profile as the source worker needs it: its patterns (sources, compiled there) and app name. */
export interface MatchProfile {
  name: string;
  app: string;
  patterns: ClientProfile['patterns'];
}

export interface MatchWorkerData {
  profiles: MatchProfile[];
}

export interface MatchJob {
  seq: number;
  profile: string;
  text: string;
  path: string;
  fallbackTime: number;
}

export type MatchReply = { ready: true } | { seq: number; signal: Signal | null };

export interface OverBudget {
  path: string;
  startOffset: number;
  chars: number;
  /** true: the record's first PREFIX_CHARS were matched instead; false: it was skipped. */
  matchedPrefix: boolean;
}

export interface RecordMatcherOptions {
  /** sourceWorker: .ts from the sources, .mjs/.cjs in a bundle. */
  entry: string | URL;
  profiles: readonly MatchProfile[];
  /**
   * Most time one record may take. Default 1 s: the production patterns are linear on a bounded
   * prefix (milliseconds), and the budget is wall time, so it must leave room for a thread that a
   * saturated PC did not run for a while; a pattern that backtracks is stopped all the same.
   */
  budgetMs?: number;
  onOverBudget?: (event: OverBudget) => void;
  /** Told when the worker itself failed (it is started again). */
  onDiagnostic?: DiagnosticSink;
}

interface Job extends MatchJob {
  startOffset: number;
  /** The record's full length; text may be its prefix. */
  chars: number;
  prefixOnly: boolean;
  /** It ran out of time once already: this is the retry on its prefix. */
  overran: boolean;
  resolve: (signal: Signal | null) => void;
}

/** What a record that blew the budget is matched on instead: its first lines, where a crash says so. */
export const PREFIX_CHARS = 8 * 1024;
/** After an overrun, records of at least half its length go straight to their prefix for this long. */
const LONG_RECORD_MEMORY_MS = 10 * 60_000;

/**
 * Matches log records against the profiles' patterns on a worker thread, one at a time and in
 * order, with a budget per record. A record that runs past the budget has its worker terminated
 * (the only way to stop a running regular expression), is matched again on its first 8 KiB, and
 * is skipped if even that overruns; the watcher carries on with the next record in a new worker.
 * So a pattern that backtracks, or a 1 MiB line of junk, costs the watcher a bounded time per
 * record instead of minutes, and never blocks the watcher's own event loop.
 */
export class RecordMatcher {
  private readonly options: RecordMatcherOptions;
  private readonly budgetMs: number;
  private worker: Worker | null = null;
  private ready = false;
  /** Sent to the worker, in order; the first is being matched. */
  private readonly inFlight: Job[] = [];
  /** When the current first job began: the last reply, or the worker becoming ready. */
  private progressAt = 0;
  private watchdog: ReturnType<typeof setInterval> | null = null;
  private nextSeq = 1;
  private closed = false;
  /** Length of records that overran, and until when records that long skip the full match. */
  private longRecord: { chars: number; until: number } | null = null;
  /** Workers that died before they were ready, in a row: three means the entry itself is broken. */
  private failedStarts = 0;
  private brokenBecause: string | null = null;

  constructor(options: RecordMatcherOptions) {
    this.options = options;
    this.budgetMs = options.budgetMs ?? 1000;
  }

  /** The record's signal, or null when it matches nothing (or was skipped over budget). */
  match(profile: string, record: { text: string; path: string; startOffset: number }, fallbackTime: number): Promise<Signal | null> {
    if (this.closed || this.brokenBecause !== null) return Promise.resolve(null);
    return new Promise((resolve) => {
      const long = this.longRecord !== null && performance.now() < this.longRecord.until && record.text.length >= this.longRecord.chars / 2;
      const job: Job = {
        seq: this.nextSeq++,
        profile,
        text: long ? record.text.slice(0, PREFIX_CHARS) : record.text,
        path: record.path,
        fallbackTime,
        startOffset: record.startOffset,
        chars: record.text.length,
        prefixOnly: long,
        overran: false,
        resolve,
      };
      this.inFlight.push(job);
      this.post(job);
    });
  }

  /** Starts the worker now, so the first record is not kept waiting for it to load. */
  start(): void {
    if (!this.closed && this.brokenBecause === null) this.ensureWorker();
  }

  /** Records waiting or being matched. */
  get pending(): number {
    return this.inFlight.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopWatchdog();
    for (const job of this.inFlight.splice(0)) job.resolve(null);
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private post(job: Job): void {
    const worker = this.ensureWorker();
    if (this.ready && this.inFlight.length === 1) this.progressAt = performance.now();
    const message: MatchJob = { seq: job.seq, profile: job.profile, text: job.text, path: job.path, fallbackTime: job.fallbackTime };
    worker.postMessage(message);
    this.startWatchdog();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const data: MatchWorkerData = { profiles: [...this.options.profiles] };
    const worker = new Worker(this.options.entry, { workerData: data, name: 'lifeboat-record-matcher', resourceLimits: SMALL_YOUNG_GENERATION });
    this.ready = false;
    worker.unref();
    worker.on('message', (reply: MatchReply) => {
      if (this.worker !== worker) return;
      if ('ready' in reply) {
        this.ready = true;
        this.failedStarts = 0;
        this.progressAt = performance.now();
        return;
      }
      const job = this.inFlight[0];
      if (!job || job.seq !== reply.seq) return;
      this.inFlight.shift();
      this.progressAt = performance.now();
      if (job.overran) this.options.onOverBudget?.({ path: job.path, startOffset: job.startOffset, chars: job.chars, matchedPrefix: true });
      job.resolve(reply.signal);
      if (this.inFlight.length === 0) this.stopWatchdog();
    });
    const lost = (why: string): void => {
      if (this.worker !== worker || this.closed) return;
      if (!this.ready && ++this.failedStarts >= 3) {
        this.brokenBecause = why;
        this.worker = null;
        this.stopWatchdog();
        this.options.onDiagnostic?.(diagnostic('log', 'log-matcher-failed', `log records are not being matched: the record matcher cannot start (${why})`));
        for (const job of this.inFlight.splice(0)) job.resolve(null);
        return;
      }
      this.options.onDiagnostic?.(diagnostic('log', 'log-matcher-failed', `the record matcher stopped (${why}); started again`));
      // The record it was on is treated as over budget: it may be what killed the worker.
      this.overrun();
    };
    worker.on('error', (err) => lost(err.message.split('\n')[0] ?? 'error'));
    worker.on('exit', (code) => lost(`exit code ${code}`));
    this.worker = worker;
    return worker;
  }

  private startWatchdog(): void {
    if (this.watchdog) return;
    this.watchdog = setInterval(() => this.check(), Math.max(5, Math.floor(this.budgetMs / 4)));
    this.watchdog.unref();
  }

  private stopWatchdog(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
  }

  private check(): void {
    if (!this.ready || this.inFlight.length === 0 || performance.now() - this.progressAt <= this.budgetMs) return;
    // Timers run before messages are delivered: when this thread was itself held up, the answer
    // may be waiting. setImmediate runs after pending messages; only then is it an overrun.
    const head = this.inFlight[0];
    setImmediate(() => {
      if (this.inFlight[0] === head && this.ready && performance.now() - this.progressAt > this.budgetMs) this.overrun();
    });
  }

  /** The first job ran out of time: stop its worker, retry it on its prefix or skip it, re-send the rest. */
  private overrun(): void {
    const stuck = this.inFlight.shift();
    const worker = this.worker;
    this.worker = null;
    this.ready = false;
    void worker?.terminate();
    if (stuck) {
      this.longRecord = { chars: stuck.chars, until: performance.now() + LONG_RECORD_MEMORY_MS };
      if (!stuck.prefixOnly && stuck.text.length > PREFIX_CHARS) {
        this.inFlight.unshift({ ...stuck, text: stuck.text.slice(0, PREFIX_CHARS), prefixOnly: true, overran: true });
      } else {
        this.options.onOverBudget?.({ path: stuck.path, startOffset: stuck.startOffset, chars: stuck.chars, matchedPrefix: false });
        stuck.resolve(null);
      }
    }
    if (this.inFlight.length === 0) {
      this.stopWatchdog();
      return;
    }
    for (const job of this.inFlight) this.post(job);
  }
}
