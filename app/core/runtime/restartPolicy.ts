export interface RestartPolicyOptions {
  /** Wait before each successive restart (the last repeats). The first is immediate: one crash costs ~1 s. */
  delaysMs?: readonly number[];
  /**
   * A watcher that has been watching this long has recovered: its next failure is restarted at
   * once again. Default 10 s: a kill or a crash now and then costs a second each time; only a
   * watcher that fails within seconds of starting, again and again, backs off.
   */
  stableMs?: number;
  /** A failing watcher counts as recovered (and the GP may be told again later) after this long watching. Default 5 min. */
  recoveredAfterMs?: number;
  /** This many failures within windowMs is "keeps failing": the GP is told, once. */
  failingAfter?: number;
  windowMs?: number;
}

export interface RestartDecision {
  delayMs: number;
  /** Failing now (the GP should know the client is not being watched). */
  failing: boolean;
  /** Became failing with this failure: the moment to tell the GP. */
  newlyFailing: boolean;
}

const DEFAULT_DELAYS = [0, 500, 2000, 5000, 15_000, 30_000];

/**
 * When to start the watcher again after it died or stopped answering, and when to say so. Pure:
 * the supervisor passes the time. Back-off keeps a watcher that dies at once from spinning; a
 * single crash is repaired silently (the GP never needs to know), repeated ones are told once.
 */
export class RestartPolicy {
  private readonly delaysMs: readonly number[];
  private readonly stableMs: number;
  private readonly recoveredAfterMs: number;
  private readonly failingAfter: number;
  private readonly windowMs: number;
  private failures: number[] = [];
  private attempt = 0;
  private startedAt: number | null = null;
  private failingNow = false;

  constructor(options: RestartPolicyOptions = {}) {
    this.delaysMs = options.delaysMs ?? DEFAULT_DELAYS;
    this.stableMs = options.stableMs ?? 10_000;
    this.recoveredAfterMs = options.recoveredAfterMs ?? 5 * 60_000;
    this.failingAfter = options.failingAfter ?? 3;
    this.windowMs = options.windowMs ?? 10 * 60_000;
  }

  get failing(): boolean {
    return this.failingNow;
  }

  /** A watcher answered as ready. */
  started(now: number): void {
    this.startedAt = now;
  }

  /** It died or stopped answering. */
  failed(now: number): RestartDecision {
    if (this.startedAt !== null && now - this.startedAt >= this.stableMs) this.attempt = 0;
    this.startedAt = null;
    this.failures = [...this.failures.filter((t) => now - t < this.windowMs), now];
    const delayMs = this.delaysMs[Math.min(this.attempt, this.delaysMs.length - 1)] ?? 0;
    this.attempt++;
    const failing = this.failures.length >= this.failingAfter;
    const newlyFailing = failing && !this.failingNow;
    this.failingNow = failing;
    return { delayMs, failing, newlyFailing };
  }

  /** Called while the watcher answers: true once, when a failing watcher has been watching again for recoveredAfterMs. */
  recovered(now: number): boolean {
    if (this.startedAt === null || now - this.startedAt < this.stableMs) return false;
    this.attempt = 0;
    if (!this.failingNow || now - this.startedAt < this.recoveredAfterMs) return false;
    this.failingNow = false;
    this.failures = [];
    return true;
  }
}
