import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type BrowserSession } from './support/browser.ts';
import { buildRenderer } from './support/build.ts';
import { screenshot } from './support/screenshot.ts';
import { LIFEBOAT_BIN } from '../support/runCli.ts';

let root: string;
let browser: BrowserSession;
let demo: ChildProcess | null = null;
let output = '';

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'lifeboat-e2e-demo-'));
  await buildRenderer();
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (demo && demo.exitCode === null) {
    demo.kill('SIGTERM');
    await new Promise((r) => demo!.once('exit', r));
  }
  rmSync(root, { recursive: true, force: true });
});

describe('lifeboat demo in the browser: the simulated client really crashes', () => {
  it('turns the status to crashed, shows a toast, offers the note in Recovery and the crash in Incidents', async () => {
    const env = { ...process.env, LIFEBOAT_CONFIG: join(root, 'config.json') };
    demo = spawn(process.execPath, [LIFEBOAT_BIN, 'demo', '--speed', '2', '--dir', join(root, 'work')], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    demo.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const deadline = Date.now() + 30_000;
    while (!/Lifeboat UI: (\S+)/.test(output) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const url = /Lifeboat UI: (\S+)/.exec(output)![1]!;
    const { page } = browser;
    await page.goto(url);

    // The scenario runs on its own: slow, hang, then the crash.
    await page.getByTestId('health-banner').filter({ hasText: /Simulated clinical client closed unexpectedly at \d\d:\d\d\./ }).waitFor({ timeout: 60_000 });
    const toast = page.getByRole('region', { name: 'Notifications' }).getByRole('alert').filter({ hasText: 'has stopped' });
    await toast.first().waitFor({ timeout: 10_000 });
    expect(await toast.first().textContent()).toMatch(/your note from \d\d:\d\d:\d\d is safe/i);
    await screenshot(page, 'demo-crashed');

    await page.goto(new URL('#/recovery', url).toString());
    const group = page.getByRole('region', { name: /Before the crash at \d\d:\d\d/ });
    await group.waitFor({ timeout: 10_000 });
    expect(await group.textContent()).toContain('Demo consultation');
    expect(await group.textContent()).toMatch(/\d+ s before/);

    await page.goto(new URL('#/incidents', url).toString());
    const chart = page.getByRole('img', { name: /incident/ });
    await chart.waitFor({ timeout: 10_000 });
    expect(await chart.getAttribute('aria-label')).toMatch(/\d+ crash/);
    await screenshot(page, 'demo-incidents');
    expect(browser.errors).toEqual([]);
  }, 120_000);
});
