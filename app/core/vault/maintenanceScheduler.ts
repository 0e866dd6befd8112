import type { VaultWorker } from './vaultWorker.ts';

export interface MaintenanceSchedulerOptions {
  worker: Pick<VaultWorker, 'checkpoint' | 'purge'>;
  /** The injected clock: the purge cutoff is measured from it. */
  now: () => number;
  /** Typing has paused once no write came for this long. Default 2 s (the editor saves every 250 ms while typing). */
  pauseMs?: number;
  /**
   * Writes without a pause before a checkpoint runs anyway: a GP typing for minutes must not grow
   * the WAL without bound. PASSIVE checkpoints never block a writer, so this costs saves nothing
   * but disk bandwidth. Default 1000 (about 4 minutes of non-stop typing).
   */
  maxWritesWithoutCheckpoint?: number;
  onProblem?: (message: string) => void;
}

/**
 * Decides when vault maintenance runs: WAL checkpoints and the retention purge wait for a pause in
 * the GP's typing and then run in the maintenance worker. Nothing here runs on a save: a save only
 * tells the scheduler it happened (noteWrite), which costs a counter and at most one timer.
 */
export class MaintenanceScheduler {
  private readonly options: MaintenanceSchedulerOptions;
  private readonly pauseMs: number;
  private writesSinceCheckpoint = 0;
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<void> | null = null;
  private purgeWanted: number | null = null;
  private stopped = false;
  /** How many checkpoints ran, and why: for tests and the benchmark. */
  readonly counts = { checkpointsAtPause: 0, checkpointsForced: 0, purges: 0 };

  constructor(options: MaintenanceSchedulerOptions) {
    this.options = options;
    this.pauseMs = options.pauseMs ?? 2000;
  }

  /** A write committed (a save, an incident, a capture): typing has not paused. */
  noteWrite(): void {
    if (this.stopped) return;
    this.writesSinceCheckpoint++;
    this.lastWriteAt = performance.now();
    if (this.writesSinceCheckpoint >= (this.options.maxWritesWithoutCheckpoint ?? 1000)) {
      this.run(false);
      return;
    }
    this.arm(this.pauseMs);
  }

  /** The retention purge, at the next pause in typing (at once when nobody is typing). */
  requestPurge(olderThanMs: number): void {
    if (this.stopped) return;
    this.purgeWanted = olderThanMs;
    this.arm(Math.max(0, this.pauseMs - (performance.now() - this.lastWriteAt)));
  }

  /** Resolves once nothing is scheduled or running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running || this.timer) {
      if (this.running) await this.running;
      else await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private arm(delayMs: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.fire(), delayMs);
    this.timer.unref();
  }

  private fire(): void {
    this.timer = null;
    const quietFor = performance.now() - this.lastWriteAt;
    if (quietFor < this.pauseMs) {
      this.arm(this.pauseMs - quietFor);
      return;
    }
    if (this.purgeWanted !== null || this.writesSinceCheckpoint > 0) this.run(true);
  }

  private run(atPause: boolean): void {
    if (this.running) {
      // One at a time; the writes that asked for this are counted again by the next pause.
      this.arm(this.pauseMs);
      return;
    }
    const olderThanMs = atPause ? this.purgeWanted : null;
    if (olderThanMs !== null) this.purgeWanted = null;
    this.writesSinceCheckpoint = 0;
    if (atPause) this.counts.checkpointsAtPause++;
    else this.counts.checkpointsForced++;
    this.running = (async () => {
      try {
        if (olderThanMs !== null) {
          await this.options.worker.purge(this.options.now(), olderThanMs);
          this.counts.purges++;
        }
        await this.options.worker.checkpoint('PASSIVE');
      } catch (err) {
        this.options.onProblem?.(`vault maintenance failed: ${(err as Error).message}`);
      }
    })().finally(() => {
      this.running = null;
    });
  }
}
