import { afterEach, describe, expect, it } from 'vitest';
import { healthStates, incidentsOf, startSimHarness, type SimHarness } from '../support/simHarness.ts';
import { waitFor } from '../support/waitFor.ts';

let harness: SimHarness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

const notifications = (h: SimHarness) => h.events.filter((e) => e.type === 'notification');

describe('responsiveness probe: the simulated client answering its heartbeat late, then not at all', () => {
  it('slow UI (nothing in the log) → slow signal → notification; no answer → hung → notification; answer again → ok', async () => {
    harness = await startSimHarness({ slow: { uiLatencyMs: 500, sustainedMs: 2000 }, captureIntervals: { probeMs: 250 }, notificationThrottleMs: 0 });
    const client = await harness.startClient({ uiSlowMs: 900 });
    await waitFor(() => harness!.runtime.health().state === 'ok', { what: 'client start' });
    // A few quick answers first: a healthy client is not slow.
    expect(harness.runtime.service.captureStatus()).toMatchObject({ probeAvailable: true, textCaptureAvailable: true, clipboardAvailable: false });
    await new Promise((r) => setTimeout(r, 1000));
    expect(harness.signals.filter((s) => s.source === 'window')).toEqual([]);

    client.send('ui-slow');
    await waitFor(() => harness!.runtime.health().state === 'slow', { what: 'slow from the probe', timeoutMs: 10_000 });
    const slow = harness.signals.find((s) => s.source === 'window' && s.kind === 'slow')!;
    expect(slow.latencyMs).toBeGreaterThanOrEqual(900);
    expect(harness.signals.filter((s) => s.kind === 'slow').every((s) => s.source === 'window')).toBe(true);
    expect(incidentsOf(harness, 'slow')[0]!.sources).toEqual(['window']);
    await waitFor(() => notifications(harness!).some((n) => n.type === 'notification' && n.kind === 'slow'), { what: 'slow notification' });

    client.send('hang');
    // The process probe sees SIGSTOP at once; the window probe needs its 5 s timeout.
    await waitFor(() => incidentsOf(harness!, 'hang').some((i) => i.sources.includes('window')), { what: 'hang from the window probe', timeoutMs: 12_000 });
    expect(harness.signals.find((s) => s.source === 'window' && s.kind === 'hang')!.detail).toMatch(/UI did not answer within 5 s/);
    expect(healthStates(harness)).toContain('hung');
    await waitFor(() => notifications(harness!).some((n) => n.type === 'notification' && n.kind === 'hung'), { what: 'hung notification' });

    client.resume();
    client.send('normal');
    await waitFor(() => harness!.runtime.health().state === 'ok', { what: 'responsive again', timeoutMs: 10_000 });
    await waitFor(() => harness!.signals.some((s) => s.source === 'window' && s.kind === 'responsive'), { what: 'window responsive' });
    expect(incidentsOf(harness, 'hang')).toHaveLength(1);
  }, 40_000);
});
