import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../app/common/clock.ts';
import type { ProbeResult, ResponsivenessProbe } from '../../../../app/core/capture/captureSource.ts';
import { ResponsivenessMonitor } from '../../../../app/core/capture/responsivenessMonitor.ts';
import { ResponsivenessTracker } from '../../../../app/core/capture/responsivenessTracker.ts';
import type { Signal } from '../../../../app/common/signal.ts';
import { waitFor } from '../../../support/waitFor.ts';

const answer = (latencyMs: number | null, extra: Partial<ProbeResult> = {}): ProbeResult => ({ latencyMs, hungByOs: false, noWindow: false, ...extra });

describe('ResponsivenessTracker', () => {
  it('slow only after latency stays over the threshold for the sustained time, repeated while it lasts', () => {
    const t = new ResponsivenessTracker({ uiLatencyMs: 1000, sustainedMs: 10_000, repeatMs: 10_000 });
    const verdicts: Array<[number, string | null]> = [];
    for (let s = 0; s <= 30; s++) verdicts.push([s, t.observe(answer(1500), s * 1000)?.kind ?? null]);
    expect(verdicts.filter(([, v]) => v !== null)).toEqual([[9, 'slow'], [19, 'slow'], [29, 'slow']]);
  });

  it('one quick answer in between restarts the count: a blip is not slow', () => {
    const t = new ResponsivenessTracker({ uiLatencyMs: 1000, sustainedMs: 5000 });
    const kinds: Array<string | null> = [];
    for (let s = 0; s < 12; s++) kinds.push(t.observe(answer(s === 4 ? 20 : 1200), s * 1000)?.kind ?? null);
    // The new stretch began when the 5 s probe was sent (5000 - 1200 ms): 5 s later is 8.8 s, seen at 9 s.
    expect(kinds.indexOf('slow')).toBe(9);
    expect(kinds.slice(0, 9).every((k) => k === null)).toBe(true);
  });

  it('no answer, or Windows calling the window hung, is one hang; the next answer is responsive', () => {
    const t = new ResponsivenessTracker({ uiLatencyMs: 1000, sustainedMs: 10_000 });
    expect(t.observe(answer(30), 0)).toBeNull();
    expect(t.observe(answer(null), 6000)).toEqual({ kind: 'hang', why: 'no-answer' });
    expect(t.observe(answer(null), 11_000)).toBeNull();
    expect(t.observe(answer(40, { hungByOs: true }), 12_000)).toBeNull();
    expect(t.observe(answer(25), 13_000)).toEqual({ kind: 'responsive', latencyMs: 25 });
    const os = new ResponsivenessTracker({ uiLatencyMs: 1000, sustainedMs: 10_000 });
    expect(os.observe(answer(4000, { hungByOs: true }), 0)).toEqual({ kind: 'hang', why: 'os-says-hung' });
  });

  it('no window is no verdict', () => {
    const t = new ResponsivenessTracker({ uiLatencyMs: 1000, sustainedMs: 0 });
    expect(t.observe(answer(null, { noWindow: true }), 0)).toBeNull();
    expect(t.isHung).toBe(false);
  });
});

describe('ResponsivenessMonitor', () => {
  it('turns verdicts into window signals for the right profile and pid, one probe per client at a time', async () => {
    const clock = new ManualClock();
    const queue: ProbeResult[] = [answer(2500), answer(2500), answer(null), answer(15)];
    let inFlight = 0;
    let maxInFlight = 0;
    let answered = 0;
    const probe: ResponsivenessProbe = {
      name: 'scripted',
      async probe() {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        answered++;
        return queue.shift() ?? answer(15);
      },
    };
    const signals: Signal[] = [];
    const target = { pid: 77, processName: 'emisweb.exe', profile: 'emis-web', thresholds: { uiLatencyMs: 1000, sustainedMs: 2000 } };
    const monitor = new ResponsivenessMonitor({ probe, clock, targets: () => [target], onSignal: (s) => signals.push(s) });
    for (let i = 0; i < 4; i++) {
      clock.advance(1000);
      monitor.probeAll();
      monitor.probeAll(); // a second call while one is in flight starts nothing
      await waitFor(() => answered === i + 1 && inFlight === 0, { what: `probe ${i + 1}` });
      await new Promise((r) => setImmediate(r)); // the verdict is handed on after the probe resolves
    }
    expect(maxInFlight).toBe(1);
    expect(signals.map((s) => [s.source, s.kind, s.profile, s.pid])).toEqual([
      ['window', 'slow', 'emis-web', 77],
      ['window', 'hang', 'emis-web', 77],
      ['window', 'responsive', 'emis-web', 77],
    ]);
    expect(signals[0]!.latencyMs).toBe(2500);
    expect(signals[1]!.detail).toBe('emisweb.exe (pid 77) UI did not answer within 5 s');
  });
});
