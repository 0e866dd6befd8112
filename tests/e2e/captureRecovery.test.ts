import { describe, expect, it } from 'vitest';
import { incidentsOf } from '../support/simHarness.ts';
import { waitFor } from '../support/waitFor.ts';
import { accessibilityProblems } from './support/a11y.ts';
import { harnessInBrowser } from './support/harnessInBrowser.ts';
import { screenshot } from './support/screenshot.ts';

const session = harnessInBrowser();

describe('text captured from the clinical client, in the browser', () => {
  it('Recovery offers the note typed in the client under the crash, marked and with the check-the-patient warning; Settings explains capture', async () => {
    const harness = await session.startHarness({ captureIntervals: { captureMs: 200 } });
    const client = await harness.startClient();
    await waitFor(() => harness.runtime.health().state === 'ok', { what: 'client start' });
    client.type('Telephone consultation. Asthma review: peak flow 420, inhaler technique checked.');
    await waitFor(() => harness.runtime.vault.list().some((d) => d.origin === 'capture'), { what: 'captured draft' });
    client.send('crash');
    await waitFor(() => incidentsOf(harness, 'crash').length === 1, { what: 'crash' });
    const server = await session.serve(harness);
    const { page } = session.browser();
    await page.goto(server.url);
    await page.goto(new URL('#/recovery', server.url).toString());
    const item = page.getByRole('button', { name: /read from the clinical system/ });
    await item.waitFor({ timeout: 10_000 });
    expect(await page.getByRole('region', { name: /Before the crash at/ }).getByRole('button', { name: /read from the clinical system/ }).count()).toBe(1);
    await item.click();
    await page.getByTestId('captured-warning').waitFor();
    expect(await page.getByTestId('captured-warning').textContent()).toMatch(/Check it is the right patient before you paste it back/);
    expect(await page.getByTestId('recovered-text').textContent()).toBe('Telephone consultation. Asthma review: peak flow 420, inhaler technique checked.');
    // The window title named the patient; nothing on the page does.
    expect(await page.content()).not.toMatch(/EXAMPLE|Jane|943 476 5919/);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'recovery-captured');

    await page.goto(new URL('#/settings', server.url).toString());
    const description = page.getByTestId('capture-description');
    await description.waitFor();
    expect(await description.textContent()).toMatch(/never reads password boxes/);
    const toggle = page.getByRole('checkbox', { name: /Keep what I type in the clinical system’s own note box/ });
    expect(await toggle.isChecked()).toBe(true);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'settings-capture', { fullPage: true });
    // Applied at once, no Save button to forget.
    await toggle.uncheck();
    await page.getByText('Saved: reading the clinical system’s note box is off.').waitFor();
    expect(harness.runtime.settings.get().clientCapture.enabled).toBe(false);
  }, 90_000);
});
