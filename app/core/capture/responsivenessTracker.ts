import type { ProbeResult } from './captureSource.ts';

export interface ResponsivenessThresholds {
  /** Round trip (ms) above which the UI counts as slow (profile slow.uiLatencyMs, default 1000). */
  uiLatencyMs: number;
  /** How long it must stay above before it is "slow", not a blip (profile slow.sustainedMs, default 10 s). */
  sustainedMs: number;
  /** While slow lasts, repeat the slow signal this often so the episode stays open (default 10 s). */
  repeatMs?: number;
}

export type ResponsivenessVerdict =
  | { kind: 'slow'; latencyMs: number; sinceMs: number }
  | { kind: 'hang'; why: 'no-answer' | 'os-says-hung' }
  | { kind: 'responsive'; latencyMs: number };

/**
 * Turns a client's UI round trips into verdicts. Pure: observe(result, now) → verdict or null.
 * - hung: no answer within the probe's timeout (5 s), or IsHungAppWindow true; said once.
 * - responsive: the first answer after a hang.
 * - slow: every round trip above uiLatencyMs for sustainedMs; repeated every repeatMs while it
 *   lasts (the correlator closes a slow episode after 30 s without a signal), never while hung.
 * A probe with no window says nothing either way.
 */
export class ResponsivenessTracker {
  private readonly thresholds: ResponsivenessThresholds;
  private overSince: number | null = null;
  private lastSlowAt: number | null = null;
  private hung = false;

  constructor(thresholds: ResponsivenessThresholds) {
    this.thresholds = thresholds;
  }

  get isHung(): boolean {
    return this.hung;
  }

  observe(result: ProbeResult, now: number): ResponsivenessVerdict | null {
    if (result.noWindow) return null;
    if (result.latencyMs === null || result.hungByOs) {
      this.overSince = null;
      this.lastSlowAt = null;
      if (this.hung) return null;
      this.hung = true;
      return { kind: 'hang', why: result.latencyMs === null ? 'no-answer' : 'os-says-hung' };
    }
    const latency = result.latencyMs;
    if (this.hung) {
      this.hung = false;
      this.overSince = latency > this.thresholds.uiLatencyMs ? now : null;
      return { kind: 'responsive', latencyMs: latency };
    }
    if (latency <= this.thresholds.uiLatencyMs) {
      this.overSince = null;
      this.lastSlowAt = null;
      return null;
    }
    // The slow stretch began when the answer was asked for, not when it came back.
    this.overSince ??= now - latency;
    if (now - this.overSince < this.thresholds.sustainedMs) return null;
    if (this.lastSlowAt !== null && now - this.lastSlowAt < (this.thresholds.repeatMs ?? 10_000)) return null;
    this.lastSlowAt = now;
    return { kind: 'slow', latencyMs: latency, sinceMs: this.overSince };
  }
}
