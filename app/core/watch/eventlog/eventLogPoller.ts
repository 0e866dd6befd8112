import { systemClock, type Clock } from '../../../common/clock.ts';
import type { Signal } from '../../../common/signal.ts';
import type { ProfileApps } from '../wer/profileApps.ts';
import type { EventLogSource } from './eventLogReader.ts';
import { eventSignal } from './eventSignal.ts';

export interface EventLogDiagnostic {
  message: string;
  error: unknown;
}

export interface EventLogPollerOptions {
  source: EventLogSource;
  profiles: readonly ProfileApps[];
  onSignal: (signal: Signal) => void;
  onDiagnostic?: (diagnostic: EventLogDiagnostic) => void;
  /** Default 2000 ms. */
  intervalMs?: number;
  /** Events created before this are never emitted; default: the clock's now at construction. */
  sinceMs?: number;
  /**
   * Each query reaches back this far behind the newest event seen (default 5 s): events are not
   * always committed in TimeCreated order, and the record-id memory makes the overlap harmless.
   */
  overlapMs?: number;
  clock?: Clock;
}

/**
 * Polls an EventLogSource and emits each crash or hang event of a watched client once.
 * Keeps a high-water mark (newest TimeCreated seen) and remembers the events inside the overlap.
 */
export class EventLogPoller {
  private readonly options: EventLogPollerOptions;
  private readonly since: number;
  private highWater: number;
  /** "recordId@timeCreated" → timeCreated; the time makes a cleared log's reused ids distinct. */
  private readonly seen = new Map<string, number>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private polling: Promise<unknown> | null = null;

  constructor(options: EventLogPollerOptions) {
    this.options = options;
    this.since = options.sinceMs ?? (options.clock ?? systemClock).now();
    this.highWater = this.since;
  }

  start(): void {
    if (this.timer !== null) return;
    const loop = (): void => {
      this.polling = this.pollOnce()
        .catch((error: unknown) => this.options.onDiagnostic?.({ message: `event log poll failed: ${error instanceof Error ? error.message : String(error)}`, error }))
        .finally(() => {
          if (this.timer !== null) this.timer = setTimeout(loop, this.options.intervalMs ?? 2000);
        });
    };
    this.timer = setTimeout(loop, 0);
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.polling;
  }

  /** One query: emits and returns the new signals. Throws what the source throws. */
  async pollOnce(): Promise<Signal[]> {
    const overlap = this.options.overlapMs ?? 5000;
    const records = await this.options.source.query(Math.max(this.since, this.highWater - overlap));
    const emitted: Signal[] = [];
    for (const record of records) {
      if (record.timeCreated < this.since) continue;
      const key = `${record.recordId}@${record.timeCreated}`;
      if (this.seen.has(key)) continue;
      this.seen.set(key, record.timeCreated);
      this.highWater = Math.max(this.highWater, record.timeCreated);
      const signal = eventSignal(record, this.options.profiles);
      if (signal === null) continue;
      emitted.push(signal);
      this.options.onSignal(signal);
    }
    for (const [key, time] of this.seen) if (time < this.highWater - overlap) this.seen.delete(key);
    return emitted;
  }
}
