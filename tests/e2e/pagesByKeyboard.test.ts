import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityProblems, horizontalOverflow } from './support/a11y.ts';
import { hashOf, launchBrowser, tabTo, type BrowserSession } from './support/browser.ts';
import { buildRenderer } from './support/build.ts';
import { screenshot } from './support/screenshot.ts';
import { seedPracticeMorning } from './support/seedVault.ts';
import { startServeProcess, type ServeProcess } from './support/serveProcess.ts';

const PAGES = [
  { link: 'Status', hash: '#/status', heading: 'Status' },
  { link: 'Note', hash: '#/note', heading: 'Consultation note' },
  { link: 'Recover notes', hash: '#/recovery', heading: 'Recover notes' },
  { link: 'Incidents', hash: '#/incidents', heading: 'Incidents' },
  { link: 'Practice', hash: '#/practice', heading: 'Practice' },
  { link: 'Settings', hash: '#/settings', heading: 'Settings' },
] as const;

let root: string;
let browser: BrowserSession;
let serve: ServeProcess;
let seeded: ReturnType<typeof seedPracticeMorning>;

/** A page's data arrives a moment after the page: polled for up to 15 s on a loaded two-core machine. */
const poll = <T>(fn: () => T | Promise<T>, options: { message?: string; timeout?: number } = {}) => expect.poll(fn, { timeout: 15_000, ...options });

const heading = (page: Page): Promise<string | null> => page.locator('main h1').textContent();

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'lifeboat-e2e-pages-'));
  const vaultDir = join(root, 'vault');
  seeded = seedPracticeMorning(vaultDir);
  // The practice's policy fixes retention: Settings must show it read-only.
  writeFileSync(join(root, 'policy.json'), JSON.stringify({ settings: { retentionDays: 30 } }));
  await buildRenderer();
  serve = await startServeProcess({ vaultDir, policyPath: join(root, 'policy.json'), env: { LIFEBOAT_CONFIG: join(root, 'config.json'), LIFEBOAT_DATA_DIR: join(root, 'data') } });
  browser = await launchBrowser();
  await browser.page.goto(serve.url);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('every page by keyboard alone', () => {
  it('reaches each page with Tab and Enter, lands on its heading, and has no unlabelled control', async () => {
    const { page } = browser;
    for (const target of PAGES) {
      await tabTo(page, (el) => el.tag === 'a' && el.href === target.hash);
      await page.keyboard.press('Enter');
      await poll(() => hashOf(page)).toBe(target.hash);
      await poll(() => heading(page)).toBe(target.heading);
      // Focus moved into the new page (its heading, or the editor on Note).
      expect(await page.locator('main:focus, main :focus').count(), target.link).toBe(1);
      // Polled: a page's data arrives a moment after its heading.
      await poll(() => accessibilityProblems(page), { message: target.link, timeout: 15_000 }).toEqual([]);
    }
    expect(browser.errors).toEqual([]);
    // axe reads every node of six pages: minutes when the machine is busy.
  }, 240_000);

  it('shows a visible focus ring on the focused control', async () => {
    const { page } = browser;
    await tabTo(page, (el) => el.tag === 'a' && el.href === '#/status');
    const outline = await page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle');
    expect(outline).toBe('solid');
  });
});

describe('what each page shows (and docs/screenshots)', () => {
  it('Status: health in words, recoverable notes, last incidents', async () => {
    const { page } = browser;
    await page.goto(`${serve.origin}/#/status`);
    await poll(() => page.locator('.badge-large').textContent()).toContain('Not running');
    await poll(() => page.locator('.big-number').textContent()).toBe('1');
    expect(await page.locator('.incident-list li').count()).toBe(5);
    await page.getByRole('button', { name: 'Pause notifications for 1 hour' }).click();
    await poll(() => page.getByRole('button', { name: 'Resume notifications' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Resume notifications' }).click();
    await screenshot(page, 'status');
  });

  it('Recovery: the note from before the crash, its timeline and a diff', async () => {
    const { page } = browser;
    await page.goto(`${serve.origin}/#/recovery`);
    await poll(() => page.locator('.group-incident').first().textContent()).toMatch(/^Before the crash at (\d{1,2} \w{3}, )?\d\d:\d\d$/);
    await poll(() => page.locator('.draft-item').first().textContent()).toMatch(/3 s before/);
    // Nothing chosen: the note nearest before the crash is open.
    await poll(() => page.getByTestId('recovered-text').textContent()).toBe(seeded.noteText);
    await page.locator('details.history summary').click();
    await page.getByRole('button', { name: /Revision 3/ }).click();
    await page.getByRole('button', { name: 'Changes', exact: true }).click();
    await poll(() => page.locator('.diff figcaption').textContent()).toMatch(/from revision 2 to revision 3: \d+ words? added, \d+ removed/);
    expect(await page.locator('.diff-add').count()).toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Restore revision 3 as the current text' }).click();
    await poll(() => page.locator('.notice').first().textContent()).toMatch(/Revision 3 is now the current text/);
    await page.getByRole('button', { name: 'Text', exact: true }).click();
    await poll(() => page.getByTestId('recovered-text').textContent()).toBe(seedStep(2));
    await screenshot(page, 'recovery-history');
  });

  it('Recovery: a restored note opens in the editor and goes on saving into the same draft', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Open in the note editor' }).click();
    await poll(() => hashOf(page)).toBe('#/note');
    const editor = page.getByLabel('Note', { exact: true });
    await poll(() => editor.inputValue()).toBe(seedStep(2));
    expect(await page.getByLabel('Patient reference (optional)').inputValue()).toBe('EMIS 4471-TEST');
    await editor.press('Control+End');
    await page.keyboard.type('\nAddendum: pt called back, pain settled.');
    await poll(() => page.locator('#save-status').getAttribute('data-save-state')).toBe('saved');
    await page.goto(`${serve.origin}/#/recovery?draft=${seeded.noteId}`);
    await poll(() => page.getByTestId('recovered-text').textContent()).toBe(`${seedStep(2)}\nAddendum: pt called back, pain settled.`);
  });

  it('Recovery: full-text search finds a note by a word in it', async () => {
    const { page } = browser;
    await page.goto(`${serve.origin}/#/recovery`);
    await page.getByLabel('Search all notes').fill('amlodipine');
    await poll(() => page.getByRole('region', { name: 'Search results' }).locator('.draft-item').count()).toBe(1);
    await poll(() => page.getByRole('region', { name: 'Search results' }).textContent()).toContain('Prescription query');
  });

  it('Incidents: chart, filter and details with evidence', async () => {
    const { page } = browser;
    await page.goto(`${serve.origin}/#/incidents`);
    await poll(() => page.locator('.chart-canvas svg').getAttribute('aria-label')).toMatch(/^8 incidents in the last 7 days: 3 crashes, 2 hangs, 3 slowdowns, 1 exits\.$|^9 incidents/);
    expect(await page.locator('.chart rect.bar-crash').count()).toBeGreaterThan(0);
    await page.getByLabel('Kind').selectOption('crash');
    await poll(() => page.locator('tbody tr').count()).toBe(3);
    await page.locator('tbody tr').first().getByRole('button').click();
    await poll(() => page.locator('.evidence li').count()).toBe(4);
    expect(await page.locator('.evidence').textContent()).toContain('OutOfMemoryException');
    await screenshot(page, 'incidents', { fullPage: true });
  });

  it('Settings: the policy-locked setting is read-only and says why; a toggle applies at once', async () => {
    const { page } = browser;
    await page.goto(`${serve.origin}/#/settings`);
    const retention = page.getByLabel(/Keep notes for/);
    await poll(() => retention.inputValue()).toBe('30');
    expect(await retention.isDisabled()).toBe(true);
    expect(await page.locator('.policy-note').first().textContent()).toContain('Set by your practice');
    expect(await page.getByRole('button', { name: /Save/ }).count()).toBe(0);
    await page.getByLabel(/Show a notification/).uncheck();
    await poll(() => page.locator('.notice').first().textContent()).toBe('Saved: notifications off.');
    // Applied, not just ticked: a fresh load of the page reads it back from Lifeboat.
    await page.reload();
    await poll(() => page.getByLabel(/Show a notification/).isChecked()).toBe(false);
    await page.getByLabel(/Show a notification/).check();
    await poll(() => page.locator('.notice').first().textContent()).toBe('Saved: notifications on.');
    await screenshot(page, 'settings');
  });

  it('Note: a fresh note autosaves and says so', async () => {
    const { page } = browser;
    await page.goto(`${serve.origin}/#/note?new=1`);
    await poll(() => hashOf(page)).toBe('#/note');
    await page.getByLabel('Title (optional)').fill('Asthma review');
    await page.getByLabel('Patient reference (optional)').fill('EMIS 2290-TEST');
    await page.getByLabel('Note', { exact: true }).click();
    await page.keyboard.type('Asthma annual review.\nACT score 22, no night waking.\nInhaler technique checked: good.\nPlan: continue current regime; review 12/12.');
    await poll(() => page.locator('#save-status').getAttribute('data-save-state')).toBe('saved');
    await screenshot(page, 'note');
  });

  it('works at 200% zoom: one column, no sideways scrolling', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 640, height: 430 });
    for (const target of PAGES) {
      await page.goto(`${serve.origin}/${target.hash}`);
      await poll(() => heading(page)).toBe(target.heading);
      expect(await horizontalOverflow(page), target.link).toBeLessThanOrEqual(0);
    }
    await page.setViewportSize({ width: 1280, height: 860 });
    expect(browser.errors).toEqual([]);
  });
});

function seedStep(index: number): string {
  // Revision 3 of the seeded note is its third step (revision 1 is the first save).
  return [
    'Chest pain review\n\nHx: 2/7 left-sided chest tightness on exertion.',
    'Chest pain review\n\nHx: 2/7 left-sided chest tightness on exertion.\nNo radiation. No SOB at rest.\nFHx: father MI at 58.',
    'Chest pain review\n\nHx: 2/7 left-sided chest tightness on exertion, settles with rest.\nNo radiation. No SOB at rest.\nFHx: father MI at 58.\n\nO/E: BP 148/92, HR 84 reg. HS normal, chest clear.\nECG: sinus rhythm, no acute changes.',
  ][index]!;
}
