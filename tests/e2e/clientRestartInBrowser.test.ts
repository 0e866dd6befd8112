// Issue 15 with the real watcher: the simulated clinical client slows, hangs, answers again,
// then crashes and is started again, while Chromium shows Lifeboat's screens.
// 4. One consistent state: when health is back to ok, no incident is left "still going on", the
//    slowdown ended where the hang began, and the state is said once.
// 3. The crash banner survives the client's restart (and a reload) until the GP acts on the note.
import { describe, expect, it } from 'vitest';
import { healthStates, incidentsOf } from '../support/simHarness.ts';
import { waitFor } from '../support/waitFor.ts';
import { accessibilityProblems } from './support/a11y.ts';
import { harnessInBrowser } from './support/harnessInBrowser.ts';
import { screenshot } from './support/screenshot.ts';

const session = harnessInBrowser();
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000 });

describe('the client restarts: one state, and the banner stays until the note is dealt with', () => {
  it('slow → hung → ok closes every episode and says "Running normally" once; a crash banner outlives the restart until Done', async () => {
    const harness = await session.startHarness({ slow: { uiLatencyMs: 500, sustainedMs: 2000 }, captureIntervals: { captureMs: 200, probeMs: 250 }, notificationThrottleMs: 0 });
    const client = await harness.startClient({ uiSlowMs: 900 });
    await waitFor(() => harness.runtime.health().state === 'ok', { what: 'client start' });
    const server = await session.serve(harness);
    const { page } = session.browser();
    await page.goto(server.url);

    // 4. Slow, then hung, then answering again.
    client.send('ui-slow');
    await waitFor(() => harness.runtime.health().state === 'slow', { what: 'slow', timeoutMs: 15_000 });
    client.send('hang');
    await waitFor(() => harness.runtime.health().state === 'hung', { what: 'hung', timeoutMs: 15_000 });
    await poll(() => page.getByTestId('health-banner').textContent()).toMatch(/is not responding/);
    client.resume();
    client.send('normal');
    await waitFor(() => harness.runtime.health().state === 'ok', { what: 'responsive again', timeoutMs: 15_000 });
    expect(healthStates(harness)).toEqual(expect.arrayContaining(['slow', 'hung', 'ok']));

    const slow = incidentsOf(harness, 'slow')[0]!;
    const hang = incidentsOf(harness, 'hang')[0]!;
    expect(slow.endedAt, 'the slowdown ended').not.toBeNull();
    expect(Date.parse(slow.endedAt!)).toBeLessThanOrEqual(Date.parse(hang.startedAt));
    await page.goto(new URL('#/status', server.url).toString());
    await poll(() => page.locator('.badge-large').textContent()).toContain('Running normally');
    await poll(() => page.locator('.incident-list').textContent()).toMatch(/Hang/);
    const lines = await page.locator('.incident-list li').allTextContents();
    expect(lines.filter((l) => /still going on/.test(l)), 'an ongoing incident beside "Running normally"').toEqual([]);
    // Said once: no second badge in the bar, no "Running now: Yes" beside a state.
    expect(await page.locator('.topbar .badge').count()).toBe(0);
    expect(await page.locator('main').textContent()).not.toMatch(/Running now/);
    expect(await page.getByTestId('health-banner').count()).toBe(0);

    // 3. A note typed in the client's own box, then the crash.
    client.type('Telephone consultation. Asthma review: peak flow 420, inhaler technique checked.');
    await waitFor(() => harness.runtime.vault.list().some((d) => d.origin === 'capture'), { what: 'captured draft' });
    client.send('crash');
    await waitFor(() => incidentsOf(harness, 'crash').length === 1, { what: 'crash' });
    const banner = page.getByTestId('health-banner');
    await poll(() => banner.textContent()).toMatch(/Simulated clinical client closed unexpectedly at \d\d:\d\d\. Your note is safe in Lifeboat\..*Recover notes \(1\)/);

    // The client is started again (EMIS relaunches within seconds): health is ok, the banner stays.
    await harness.startClient();
    await waitFor(() => harness.runtime.health().state === 'ok', { what: 'restart', timeoutMs: 15_000 });
    await poll(() => banner.textContent()).toMatch(/closed unexpectedly at \d\d:\d\d\. Your note is safe in Lifeboat\. Simulated clinical client is running again\. Recover notes \(1\)/);
    await page.reload();
    await poll(() => banner.textContent()).toMatch(/running again\. Recover notes \(1\)/);
    await screenshot(page, 'banner-after-restart');
    expect(await accessibilityProblems(page)).toEqual([]);

    // The GP pastes it back and says so: the banner and the count go.
    await banner.getByRole('link', { name: /Recover notes/ }).click();
    await page.getByRole('button', { name: 'Done — pasted back' }).click();
    await poll(() => banner.count()).toBe(0);
    await poll(() => page.getByRole('navigation', { name: 'Lifeboat' }).getByRole('link', { name: /Recover notes/ }).textContent()).toBe('Recover notes');
    expect(session.browser().errors).toEqual([]);
  }, 120_000);
});
