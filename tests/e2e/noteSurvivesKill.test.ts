import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type BrowserSession } from './support/browser.ts';
import { buildRenderer } from './support/build.ts';
import { startServeProcess, type ServeProcess } from './support/serveProcess.ts';

// Invented text with what tends to break round trips: blank lines, non-ASCII, symbols, emoji.
const TITLE = 'Sore throat — review';
const BODY = 'Hx: 4/7 sore throat, fever 38.4 °C, no cough.\n\nO/E: tonsillar exudate, tender anterior nodes. FeverPAIN 4.\nPlan: phenoxymethylpenicillin 500 mg QDS 10/7; safety-net given 👍';

let root: string;
let browser: BrowserSession;
const running: ServeProcess[] = [];

function isolatedEnv(): Record<string, string> {
  // Nobody's real settings, policy or vault: everything under this test's temp folder.
  return { LIFEBOAT_CONFIG: join(root, 'config.json'), LIFEBOAT_DATA_DIR: join(root, 'data') };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'lifeboat-e2e-kill-'));
  await buildRenderer();
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  for (const p of running) if (p.child.exitCode === null && p.child.signalCode === null) await p.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('a note typed in the browser survives kill -9 of lifeboat serve', () => {
  it('is there to recover, exactly, after a restart on the same vault', async () => {
    const vaultDir = join(root, 'vault');
    const { page } = browser;

    const first = await startServeProcess({ vaultDir, env: isolatedEnv() });
    running.push(first);
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/);
    await page.goto(first.url);
    // The token left the address bar: the page keeps it in its tab's sessionStorage.
    expect(page.url()).not.toContain('token=');

    await page.getByRole('link', { name: 'Note', exact: true }).click();
    await page.getByLabel('Title (optional)').fill(TITLE);
    const editor = page.getByLabel('Note', { exact: true });
    await editor.click();
    await page.keyboard.type(BODY, { delay: 2 });
    // "Saved HH:MM:SS" is the GP's promise: once it shows, the text is on disk.
    await expect.poll(() => page.locator('#save-status').getAttribute('data-save-state'), { timeout: 10_000 }).toBe('saved');
    expect(await page.locator('#save-status').textContent()).toMatch(/^✓ Saved \d\d:\d\d:\d\d$/);

    expect(browser.errors).toEqual([]);

    await first.crash();
    expect(first.child.signalCode).toBe('SIGKILL');
    // Typing on with Lifeboat gone: the screen says so, in words, instead of pretending.
    await page.keyboard.type(' more');
    await expect.poll(() => page.locator('#save-status').getAttribute('data-save-state'), { timeout: 10_000 }).toBe('error');
    expect(await page.locator('#save-status').textContent()).toContain('Not saved: Lifeboat is not answering');

    const second = await startServeProcess({ vaultDir, env: isolatedEnv() });
    running.push(second);
    expect(second.url).not.toBe(first.url);
    page.once('dialog', (dialog) => void dialog.accept()); // "leave with unsaved text?": yes
    await page.goto(second.url);
    // The old server's dying connections logged their errors; from here on there must be none.
    browser.errors.length = 0;
    await page.getByRole('link', { name: /^Recover notes/ }).first().click();
    await page.getByRole('button', { name: new RegExp(TITLE) }).click();
    const recovered = page.getByTestId('recovered-text');
    await expect.poll(() => recovered.textContent()).toBe(BODY);
    expect(browser.errors).toEqual([]);
    expect(await second.stop()).toBe(0);
  });
});
