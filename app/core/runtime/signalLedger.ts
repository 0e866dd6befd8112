/**
 * The evidence the note side has already taken in, by key, so that evidence seen again is taken
 * in once: a restarted watcher re-reads log records after the last offset it saved, rescans WER
 * reports and re-queries events since the first start. Bounded in count and age.
 */
export class SignalLedger {
  private readonly seen = new Map<string, number>();
  private readonly maxKeys: number;
  private readonly maxAgeMs: number;

  constructor(options: { maxKeys?: number; maxAgeMs?: number } = {}) {
    this.maxKeys = options.maxKeys ?? 50_000;
    this.maxAgeMs = options.maxAgeMs ?? 6 * 3_600_000;
  }

  /** True the first time a key is offered (within the bounds); false for a repeat. */
  firstTime(key: string, now: number): boolean {
    if (this.seen.has(key)) return false;
    this.seen.set(key, now);
    // Insertion order is age order: drop from the front.
    for (const [old, at] of this.seen) {
      if (this.seen.size <= this.maxKeys && now - at <= this.maxAgeMs) break;
      this.seen.delete(old);
    }
    return true;
  }

  get size(): number {
    return this.seen.size;
  }
}
