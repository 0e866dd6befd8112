import type { Signal } from '../../common/signal.ts';

const dayKey = (ms: number): string => new Date(ms).toDateString();

/**
 * How long the clinical client has been up today (Status shows it), from the process watcher's
 * start and exit signals: time up is added at each exit, and the day starts again at local midnight.
 */
export class UptimeTracker {
  private day: string;
  private upMs = 0;
  private runningSince: number | null = null;

  constructor(now: number) {
    this.day = dayKey(now);
  }

  /** A process signal: a start begins counting (once, however many instances), an exit adds what ran. */
  record(signal: Pick<Signal, 'kind' | 'at'>): void {
    this.rollDay(signal.at);
    if (signal.kind === 'start' && this.runningSince === null) this.runningSince = signal.at;
    if (signal.kind === 'exit') this.stopped(signal.at);
  }

  /** No client is watched from now on (another profile was chosen): what ran so far counts. */
  stopped(at: number): void {
    this.rollDay(at);
    if (this.runningSince === null) return;
    this.upMs += at - this.runningSince;
    this.runningSince = null;
  }

  todayMs(now: number): number {
    this.rollDay(now);
    return this.upMs + (this.runningSince !== null ? now - this.runningSince : 0);
  }

  private rollDay(now: number): void {
    const today = dayKey(now);
    if (today === this.day) return;
    const midnight = new Date(now);
    midnight.setHours(0, 0, 0, 0);
    this.day = today;
    this.upMs = 0;
    if (this.runningSince !== null) this.runningSince = Math.max(this.runningSince, midnight.getTime());
  }
}
