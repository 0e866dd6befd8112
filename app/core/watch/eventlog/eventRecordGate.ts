import type { Signal } from '../../../common/signal.ts';
import type { ProfileApps } from '../wer/profileApps.ts';
import type { EventRecord } from './eventLogXml.ts';
import { eventSignal } from './eventSignal.ts';

export interface EventRecordGateOptions {
  profiles: readonly ProfileApps[];
  /** Events created before this are never emitted. */
  sinceMs: number;
  /**
   * How far a query reaches back behind the newest event seen: events are not always committed in
   * TimeCreated order, and the record-id memory makes the overlap harmless. Default 5 s.
   */
  overlapMs?: number;
  onSignal: (signal: Signal) => void;
}

/**
 * What lets an Application-log event through to a signal, however it was read (a wevtutil poll or
 * an EvtSubscribe push): created at or after `sinceMs`, not seen before (record id and creation
 * time), a crash or hang of a watched client. Keeps the newest creation time seen, so a reader
 * that switches (subscription failed → wevtutil) asks only for what follows.
 */
export class EventRecordGate {
  private readonly options: EventRecordGateOptions;
  readonly sinceMs: number;
  private highWater: number;
  /** "recordId@timeCreated" → timeCreated; the time makes a cleared log's reused ids distinct. */
  private readonly seen = new Map<string, number>();

  constructor(options: EventRecordGateOptions) {
    this.options = options;
    this.sinceMs = options.sinceMs;
    this.highWater = options.sinceMs;
  }

  private get overlapMs(): number {
    return this.options.overlapMs ?? 5000;
  }

  /** Where the next query starts: a little before the newest event seen, never before `sinceMs`. */
  queryFrom(): number {
    return Math.max(this.sinceMs, this.highWater - this.overlapMs);
  }

  /** Emits (and returns) the signals of the records not let through before. */
  admit(records: readonly EventRecord[]): Signal[] {
    const emitted: Signal[] = [];
    for (const record of records) {
      if (record.timeCreated < this.sinceMs) continue;
      const key = `${record.recordId}@${record.timeCreated}`;
      if (this.seen.has(key)) continue;
      this.seen.set(key, record.timeCreated);
      this.highWater = Math.max(this.highWater, record.timeCreated);
      const signal = eventSignal(record, this.options.profiles);
      if (signal === null) continue;
      emitted.push(signal);
      this.options.onSignal(signal);
    }
    for (const [key, time] of this.seen) if (time < this.highWater - this.overlapMs) this.seen.delete(key);
    return emitted;
  }
}
