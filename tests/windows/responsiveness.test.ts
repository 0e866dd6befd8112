/**
 * Proof 3 of the Windows lane: the WM_NULL probe of the bundled `lifeboat watch` times the real
 * Win32 client's UI thread. A UI thread that takes 1.5 s per message is slow; a blocked one is hung
 * within 6 s; answering again is ok.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAndWatch, type LifeboatEventLine, type LifeboatRun, type TestClient } from './support/wineLane.ts';

let client: TestClient;
let watch: LifeboatRun;

const fromProbe = (kind: string) => (e: LifeboatEventLine) => e.type === 'signal' && e.source === 'window' && e.kind === kind;
const health = (state: string) => (e: LifeboatEventLine) => e.type === 'health' && e.state === state;

beforeAll(async () => {
  // The profile calls a UI slow above 300 ms for 1 s (the defaults, 1000 ms for 10 s, would only make the test longer).
  ({ client, watch } = await clientAndWatch('probe'));
});

afterAll(async () => {
  await watch?.stop();
  client?.kill();
});

describe('the responsiveness probe against a real Win32 window under Wine', () => {
  it('3. slow UI → a slow signal from the window probe; blocked UI → hung within 6 s; answering again → ok', async () => {
    await client.send('slow 1500');
    const slow = await watch.waitForEvent(fromProbe('slow'), 'a slow signal from the window probe', 30_000);
    expect(slow.latencyMs).toBeGreaterThanOrEqual(1400);
    await watch.waitForEvent(health('slow'), 'health slow');
    await client.send('slow 0');

    const blockedFrom = watch.events().length;
    const blockedAt = Date.now();
    await client.send('hang');
    const hang = await watch.waitForEvent(fromProbe('hang'), 'a hang signal', 15_000, blockedFrom);
    // The signal's own time (Windows' clock is the machine's): within 6 s of the UI thread blocking.
    expect((hang.at as number) - blockedAt).toBeLessThanOrEqual(6000);
    await watch.waitForEvent(health('hung'), 'health hung', 20_000, blockedFrom);

    const from = watch.events().length;
    await client.send('resume');
    await watch.waitForEvent(fromProbe('responsive'), 'a responsive signal', 20_000, from);
    await watch.waitForEvent(health('ok'), 'health ok again', 20_000, from);
  });
});
