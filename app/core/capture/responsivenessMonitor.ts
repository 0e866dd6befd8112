import type { Clock } from '../../common/clock.ts';
import type { Signal } from '../../common/signal.ts';
import type { ProbeTarget, ResponsivenessProbe } from './captureSource.ts';
import { ResponsivenessTracker, type ResponsivenessThresholds, type ResponsivenessVerdict } from './responsivenessTracker.ts';

export interface ProbedClient extends ProbeTarget {
  profile: string;
  thresholds: ResponsivenessThresholds;
}

export interface ResponsivenessMonitorOptions {
  probe: ResponsivenessProbe;
  clock: Clock;
  /** The client processes running now (from the process watcher). */
  targets: () => readonly ProbedClient[];
  onSignal: (signal: Signal) => void;
  /** Once a second by default, as the issue asks. */
  intervalMs?: number;
  /** No answer within this long is "hung" (default 5 s, Windows' own IsHungAppWindow threshold). */
  hungAfterMs?: number;
  onDiagnostic?: (message: string) => void;
}

/**
 * Probes each running client's UI round trip once a second and turns the trackers' verdicts into
 * 'window' signals: slow (sustained latency), hang (no answer), responsive. Probes of one client
 * never overlap: a probe of a hung client takes the full timeout and the next one waits for it.
 */
export class ResponsivenessMonitor {
  private readonly options: ResponsivenessMonitorOptions;
  private readonly trackers = new Map<number, ResponsivenessTracker>();
  private readonly inFlight = new Map<number, Promise<unknown>>();
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(options: ResponsivenessMonitorOptions) {
    this.options = options;
  }

  start(): void {
    this.timer = setInterval(() => this.probeAll(), this.options.intervalMs ?? 1000);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.inFlight.values()]);
    this.options.probe.close?.();
  }

  /** Starts a probe of every running client that has none under way. */
  probeAll(): void {
    const targets = this.options.targets();
    const live = new Set(targets.map((t) => t.pid));
    for (const pid of this.trackers.keys()) if (!live.has(pid)) this.trackers.delete(pid);
    for (const target of targets) {
      if (this.inFlight.has(target.pid)) continue;
      const run = this.probeOne(target).finally(() => this.inFlight.delete(target.pid));
      this.inFlight.set(target.pid, run);
    }
  }

  async probeOne(target: ProbedClient): Promise<ResponsivenessVerdict | null> {
    let tracker = this.trackers.get(target.pid);
    if (!tracker) this.trackers.set(target.pid, (tracker = new ResponsivenessTracker(target.thresholds)));
    let verdict: ResponsivenessVerdict | null;
    try {
      const result = await this.options.probe.probe(target, this.options.hungAfterMs ?? 5000);
      verdict = tracker.observe(result, this.options.clock.now());
    } catch (err) {
      this.options.onDiagnostic?.(`responsiveness probe failed: ${(err as Error).message}`);
      return null;
    }
    if (verdict) this.options.onSignal(toSignal(verdict, target, this.options.clock.now(), this.options.hungAfterMs ?? 5000));
    return verdict;
  }
}

function toSignal(verdict: ResponsivenessVerdict, target: ProbedClient, at: number, hungAfterMs: number): Signal {
  const who = `${target.processName} (pid ${target.pid})`;
  const base = { source: 'window' as const, app: target.processName, profile: target.profile, pid: target.pid };
  switch (verdict.kind) {
    case 'slow':
      return { ...base, kind: 'slow', at, latencyMs: verdict.latencyMs, detail: `${who} UI answered in ${Math.round(verdict.latencyMs)} ms, slower than ${target.thresholds.uiLatencyMs} ms for ${Math.round((at - verdict.sinceMs) / 1000)} s` };
    case 'hang':
      return { ...base, kind: 'hang', at, detail: verdict.why === 'no-answer' ? `${who} UI did not answer within ${hungAfterMs / 1000} s` : `${who} window is hung (Windows says Not Responding)` };
    case 'responsive':
      return { ...base, kind: 'responsive', at, latencyMs: verdict.latencyMs, detail: `${who} UI is answering again (${Math.round(verdict.latencyMs)} ms)` };
  }
}
