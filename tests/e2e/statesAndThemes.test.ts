// Issue 15 for everyone, in Chromium: 9. loading, empty and error states tell the truth (no
// "0" while loading, a message that fits the page, Try again) and 10. a desktop-grade look
// (the OS theme, light and dark, with axe clean in both; focus rings only where they help; one
// heading weight, one control height; the tray's icon set in the window).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEALTH_ICON_ART } from '../../app/common/healthIconArt.ts';
import type { ApiServer } from '../../app/core/serve/apiServer.ts';
import { WINDOW_BACKGROUND } from '../../app/main/windowTheme.ts';
import { accessibilityProblems } from './support/a11y.ts';
import { launchBrowser, tabTo, type BrowserSession } from './support/browser.ts';
import { serveInProcess, type InProcessServe } from './support/inProcessServe.ts';
import { screenshot } from './support/screenshot.ts';
import { seedPracticeMorning } from './support/seedVault.ts';

const PAGES = ['status', 'note', 'recovery', 'incidents', 'practice', 'settings'] as const;
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000 });

let root: string;
const served: InProcessServe[] = [];
let seeded: ApiServer;
let empty: ApiServer;

async function serveVault(dir: string): Promise<ApiServer> {
  const s = await serveInProcess(dir);
  served.push(s);
  return s.server;
}

/** Holds one API call until released: the page shows what it shows while it waits. */
async function holdCall(page: Page, name: string): Promise<() => Promise<void>> {
  let open!: () => void;
  const gate = new Promise<void>((resolveGate) => (open = resolveGate));
  await page.route(`**/api/${name}`, async (route: Route) => {
    await gate;
    // A request the page gave up on meanwhile (a reload) is already closed: nothing to continue.
    await route.continue().catch(() => {});
  });
  return async () => {
    open();
    await page.unroute(`**/api/${name}`);
  };
}

const background = (page: Page): Promise<string> => page.evaluate<string>('getComputedStyle(document.documentElement).backgroundColor');
const rgbOf = (hex: string): string => `rgb(${parseInt(hex.slice(1, 3), 16)}, ${parseInt(hex.slice(3, 5), 16)}, ${parseInt(hex.slice(5, 7), 16)})`;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'lifeboat-e2e-states-'));
  seedPracticeMorning(join(root, 'seeded'));
  seeded = await serveVault(join(root, 'seeded'));
  empty = await serveVault(join(root, 'empty'));
}, 120_000);

afterAll(async () => {
  for (const s of served) await s.close();
  rmSync(root, { recursive: true, force: true });
});

describe('9. loading, empty and error states tell the truth', () => {
  let browser: BrowserSession;
  beforeAll(async () => {
    browser = await launchBrowser({ width: 1280, height: 800 });
  });
  afterAll(async () => browser?.close());

  it('shows a dash, never "0" or "Showing 0 of 0", while the figures are on their way', async () => {
    const { page } = browser;
    await page.goto(empty.url);
    await page.goto(`${seeded.url}`);
    const release = await holdCall(page, 'getStatus');
    await page.reload();
    await page.locator('h1', { hasText: 'Status' }).waitFor();
    expect(await page.getByTestId('recover-count').textContent()).toBe('—Loading');
    expect(await page.locator('main').textContent()).not.toMatch(/\b0\b/);
    expect(await page.getByRole('link', { name: /Recover notes/ }).first().textContent()).toBe('Recover notes');
    await release();
    await poll(() => page.getByTestId('recover-count').textContent()).toBe('1');

    const releaseIncidents = await holdCall(page, 'listIncidents');
    await page.goto(`${seeded.origin}/#/incidents`);
    await page.getByText('Loading incidents…').waitFor();
    expect(await page.locator('main').textContent()).not.toMatch(/Showing 0 of 0|0 incidents/);
    expect(await page.locator('.chart-canvas').count()).toBe(0);
    await releaseIncidents();
    await poll(() => page.locator('main [role="status"]').filter({ hasText: /^Showing \d+ of \d+$/ }).count()).toBe(1);
  });

  it('says so when a screen’s data cannot be read, and Try again reads it', async () => {
    const { page } = browser;
    let refuse = true;
    await page.route('**/api/listIncidents', (route) =>
      refuse ? route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ok: false, error: { code: 'VAULT_BUSY', message: 'the vault is busy with another program' } }) }) : route.continue(),
    );
    await page.goto(`${seeded.origin}/#/status`);
    await page.goto(`${seeded.origin}/#/incidents`);
    const problem = page.getByRole('alert').filter({ hasText: 'The incidents could not be loaded: the vault is busy with another program' });
    await problem.waitFor();
    expect(await page.locator('main').textContent()).not.toMatch(/Showing 0|No incidents/);
    refuse = false;
    await problem.getByRole('button', { name: 'Try again' }).click();
    await poll(() => page.locator('tbody tr').count()).toBeGreaterThan(5);
    await page.unroute('**/api/listIncidents');
  });

  it('when Lifeboat cannot be reached, says what is safe in words that fit the page, and Try again reconnects', async () => {
    const { page } = browser;
    await page.goto(`${seeded.origin}/#/status`);
    await page.route('**/api/getStatus', (route) => route.abort('connectionrefused'));
    await page.reload();
    const banner = page.locator('.banner[role="alert"]');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('Notes it has already saved are safe in its vault on this computer.');
    expect(await banner.textContent()).not.toContain('still on this screen');
    expect(await page.getByTestId('recover-count').textContent()).toBe('—Loading');
    await page.goto(`${seeded.origin}/#/note`);
    await poll(() => banner.textContent()).toContain('Your text is still on this screen');
    await page.unroute('**/api/getStatus');
    await banner.getByRole('button', { name: 'Try again' }).click();
    await poll(() => banner.count()).toBe(0);
  });

  it('an empty Incidents page says there were none, and that Lifeboat is watching', async () => {
    const { page } = browser;
    await page.goto(empty.url);
    await page.goto(`${empty.origin}/#/incidents`);
    await poll(() => page.locator('main [role="status"]').last().textContent()).toBe('No incidents in the last 7 days. Lifeboat is watching EMIS Web.');
    expect(await page.locator('table').count()).toBe(0);
    await page.goto(`${empty.origin}/#/recovery`);
    await page.getByText('No notes in Lifeboat yet.').waitFor();
  });
});

describe('10. a desktop-grade look', () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(`${scheme}: follows the OS theme, and every page has no axe violation`, async () => {
      const browser = await launchBrowser({ width: 1280, height: 800, colorScheme: scheme });
      try {
        const { page } = browser;
        await page.goto(seeded.url);
        expect(await background(page)).toBe(rgbOf(WINDOW_BACKGROUND[scheme]));
        for (const name of PAGES) {
          await page.goto(`${seeded.origin}/#/${name}`);
          await page.locator('main h1').waitFor();
          await poll(() => page.locator('main [aria-busy="true"], main .chart-pending').count()).toBe(0);
          await expect.poll(() => accessibilityProblems(page), { message: `${scheme} ${name}`, timeout: 15_000 }).toEqual([]);
        }
        if (scheme === 'dark') {
          await page.goto(`${seeded.origin}/#/recovery`);
          await page.getByTestId('recovered-text').waitFor();
          await screenshot(page, 'recovery-dark');
        }
        expect(browser.errors).toEqual([]);
      } finally {
        await browser.close();
      }
      // axe reads every node of six pages: minutes when the machine is busy.
    }, 240_000);
  }

  it('a 2 px accent border for the field being typed in, the thick ring only for keyboard focus; one heading weight; one control height; the tray’s icons', async () => {
    const browser = await launchBrowser({ width: 1280, height: 800 });
    try {
      const { page } = browser;
      await page.goto(seeded.url);
      await page.goto(`${seeded.origin}/#/note`);
      const editor = page.getByLabel('Note', { exact: true });
      await editor.click();
      const editorStyle = await page.evaluate<{ outline: string; shadow: string }>(`(() => { const s = getComputedStyle(document.activeElement); return { outline: s.outlineStyle, shadow: s.boxShadow }; })()`);
      expect(editorStyle.outline).toBe('none');
      expect(editorStyle.shadow).toMatch(/1px$/);
      await tabTo(page, (el) => el.tag === 'button' && el.text === 'New note');
      expect(await page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle')).toBe('solid');
      expect(await page.evaluate<string>('getComputedStyle(document.activeElement).outlineWidth')).toBe('3px');
      await page.getByRole('link', { name: 'Incidents' }).click();
      await page.locator('main h1', { hasText: 'Incidents' }).waitFor();
      await page.locator('tbody tr').first().waitFor();
      const weights = await page.evaluate<string[]>(`[...document.querySelectorAll('h1, h2, h3, legend')].map((h) => getComputedStyle(h).fontWeight)`);
      expect(new Set(weights)).toEqual(new Set(['600']));
      const heights = await page.evaluate<number[]>(`[...document.querySelectorAll('main select, main input[type=date]')].map((e) => e.getBoundingClientRect().height)`);
      expect(new Set(heights.map(Math.round)).size).toBe(1);
      expect(await page.evaluate<string>(`getComputedStyle(document.querySelector('table')).fontVariantNumeric`)).toBe('tabular-nums');
      // The window's state icon is the tray's: the same shape and colour for the state.
      const badge = page.locator('.topbar .badge svg.health-icon');
      const art = HEALTH_ICON_ART.ok;
      expect(await badge.locator('circle').first().getAttribute('fill')).toBe(`rgb(${art.fill[0]} ${art.fill[1]} ${art.fill[2]})`);
    } finally {
      await browser.close();
    }
  });
});
