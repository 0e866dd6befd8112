// A practice policy Lifeboat cannot read: the GP sees one plain sentence on Status and Settings
// (notes are still kept; tell IT), IT sees the file, line and column under "Details for IT", and
// every setting is read-only until the policy is fixed; the fix shows without restarting Lifeboat.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GP_POLICY_PROBLEM } from '../../app/core/config/failSafeConfig.ts';
import { accessibilityProblems } from './support/a11y.ts';
import { launchBrowser, type BrowserSession } from './support/browser.ts';
import { buildRenderer } from './support/build.ts';
import { startServeProcess, type ServeProcess } from './support/serveProcess.ts';

let root: string;
let policyPath: string;
let browser: BrowserSession;
let serve: ServeProcess;

const poll = <T>(fn: () => T | Promise<T>, options: { timeout?: number } = {}) => expect.poll(fn, { timeout: 15_000, ...options });

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'lifeboat-e2e-config-'));
  policyPath = join(root, 'policy.json');
  // A typo IT made: a missing comma on line 3.
  writeFileSync(policyPath, '{\n  "settings": {\n    "retentionDays": 30\n    "capture": false\n  }\n}\n');
  await buildRenderer();
  serve = await startServeProcess({ vaultDir: join(root, 'vault'), policyPath, env: { LIFEBOAT_CONFIG: join(root, 'config.json'), LIFEBOAT_DATA_DIR: join(root, 'data') } });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('a broken practice policy, as the GP and IT see it', () => {
  it('Status: the plain sentence for the GP, and the file, line and column for IT', async () => {
    const { page } = browser;
    await page.goto(serve.url);
    const notice = page.getByTestId('config-problem');
    await poll(() => notice.locator('.config-problem-text').textContent()).toBe(GP_POLICY_PROBLEM);
    await notice.getByText('Details for IT').click();
    const details = await notice.locator('.config-problem-details').textContent();
    expect(details).toContain(`${policyPath}, line 4, column 5`);
    expect(details).toContain('most restrictive settings apply');
    await poll(() => accessibilityProblems(page)).toEqual([]);
  });

  it('Settings: the same sentence, and every setting read-only', async () => {
    const { page } = browser;
    await page.goto(`${serve.origin}/#/settings`);
    const notice = page.getByTestId('config-problem');
    await poll(() => notice.locator('.config-problem-text').textContent()).toBe(GP_POLICY_PROBLEM);
    await poll(() => page.getByLabel(/Keep notes for/).isDisabled()).toBe(true);
    expect(await page.getByLabel(/Show a notification/).isDisabled()).toBe(true);
    expect(await page.getByLabel('Profile').isDisabled()).toBe(true);
    expect(browser.errors).toEqual([]);
  });

  it('the fixed policy takes effect without a restart: the notice goes, the policy’s lock stays', async () => {
    const { page } = browser;
    writeFileSync(policyPath, JSON.stringify({ settings: { retentionDays: 30 } }));
    await poll(
      async () => {
        await page.reload();
        await page.getByRole('heading', { name: 'Settings' }).waitFor();
        await page.getByLabel(/Keep notes for/).waitFor();
        return page.getByTestId('config-problem').count();
      },
      { timeout: 30_000 },
    ).toBe(0);
    expect(await page.getByLabel(/Keep notes for/).inputValue()).toBe('30');
    expect(await page.getByLabel(/Keep notes for/).isDisabled()).toBe(true);
    expect(await page.getByLabel(/Show a notification/).isDisabled()).toBe(false);
  });
});
