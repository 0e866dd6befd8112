// Issue 15, the GP's side, in Chromium: the right patient at a glance (1), nothing over the note
// (2), recovery with an end (3) and words for people (5). A real vault seeded as a morning at a
// practice (a note typed in Lifeboat and two consultations read from EMIS Web's own window before
// a crash), the real API over `startServe`; health and notifications are set by the test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LifeboatEvent } from '../../app/common/api.ts';
import type { ApiServer } from '../../app/core/serve/apiServer.ts';
import type { Vault } from '../../app/core/vault/vault.ts';
import { accessibilityProblems } from './support/a11y.ts';
import { hashOf, inViewport, intersects, launchBrowser, type Box, type BrowserSession } from './support/browser.ts';
import { serveInProcess, type InProcessServe } from './support/inProcessServe.ts';
import { screenshot } from './support/screenshot.ts';
import { CAPTURED_CONSULTATIONS, seedCapturedConsultations, seedPracticeMorning } from './support/seedVault.ts';

let root: string;
let served: InProcessServe;
let vault: Vault;
let server: ApiServer;
let browser: BrowserSession;
let seeded: ReturnType<typeof seedPracticeMorning>;
let captured: string[];

const notify = (kind: 'crashed' | 'slow' | 'hung', title: string, draftId: string | null = null): void =>
  served.events.emit({ type: 'notification', kind, title, body: kind === 'crashed' ? 'Your note from 09:41:07 is safe in Lifeboat.' : 'Your note is being saved as you type.', at: new Date().toISOString(), draftId, incidentId: null } satisfies LifeboatEvent);

const box = async (page: Page, selector: string): Promise<Box> => {
  const b = await page.locator(selector).first().boundingBox();
  if (!b) throw new Error(`${selector} is not on the page`);
  return b;
};

/** A page's data arrives a moment after the page: polled for up to 15 s on a loaded two-core machine. */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000 });

const navCount = (page: Page): Promise<string | null> => page.getByRole('navigation', { name: 'Lifeboat' }).getByRole('link', { name: /Recover notes/ }).textContent();

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'lifeboat-e2e-gp-'));
  const dir = join(root, 'vault');
  seeded = seedPracticeMorning(dir);
  captured = seedCapturedConsultations(dir, seeded.crashAt);
  served = await serveInProcess(dir);
  ({ vault, server } = served);
  // EMIS Web crashed and was restarted: health is ok again, the notes are still waiting.
  served.health.state = 'ok';
  browser = await launchBrowser({ width: 1280, height: 800, permissions: ['clipboard-read', 'clipboard-write'] });
  await browser.page.goto(server.url);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await served?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('1. which patient is this note for', () => {
  it('shows each note’s first words, the patient reference, when it started and when it was last typed; captured notes get a label of their own, never the window title', async () => {
    const { page } = browser;
    await page.goto(`${server.origin}/#/recovery`);
    const group = page.getByRole('region', { name: /^Before the crash at \d\d:\d\d$/ });
    await poll(() => group.locator('.draft-item').count()).toBe(3);

    const note = group.locator('.draft-item', { hasText: 'Chest pain review' });
    const noteText = await note.textContent();
    expect(noteText).toContain('Hx: 2/7 left-sided chest tightness on exertion');
    expect(noteText).toContain('Patient ref EMIS 4471-TEST');
    expect(noteText).toMatch(/started \d\d:\d\d · last typed \d\d:\d\d:\d\d \(3 s before the crash\)/);

    // Two consultations read from EMIS Web: one window title for both in the vault, two labels here.
    const consultations = group.locator('.draft-item', { hasText: 'read from the clinical system' });
    expect(await consultations.count()).toBe(2);
    const headings = await consultations.locator('.draft-title').allTextContents();
    expect(headings.every((h) => /^Consultation in EMIS Web, started \d\d:\d\d$/.test(h))).toBe(true);
    expect(new Set(headings).size).toBe(2);
    expect(await consultations.nth(0).textContent()).toContain(CAPTURED_CONSULTATIONS[1].text.slice(0, 40));
    // The patients named in the window titles appear nowhere on the page.
    expect(await page.content()).not.toMatch(/SMITH|EXAMPLE|943 476 5919|401 023 2137|window:/);

    // The open note's header says the same, above its text.
    await poll(() => page.locator('#draft-heading').textContent()).toBe('Chest pain review');
    expect(await page.locator('.note-facts').textContent()).toMatch(/^Patient ref EMIS 4471-TEST · started \d\d:\d\d · last typed \d\d:\d\d:\d\d \(3 s before the crash\)$/);
    await consultations.nth(1).click();
    await poll(() => page.locator('#draft-heading').textContent()).toBe(headings[1]);
    await poll(() => page.getByTestId('captured-warning').textContent()).toContain(`Check it is the right patient before you paste it back: it begins “${CAPTURED_CONSULTATIONS[0].text.slice(0, 20)}`);
    expect(await accessibilityProblems(page)).toEqual([]);
  });
});

describe('2. nothing covers the note', () => {
  for (const [width, height] of [
    [1280, 800],
    [800, 600],
  ] as const) {
    it(`at ${width}×${height}: no toast over the text, Copy or "Copied"; Copy on the first screen; the crash toast goes when Recovery opens`, async () => {
      const { page } = browser;
      await page.setViewportSize({ width, height });
      await page.goto(`${server.origin}/#/status`);
      await poll(() => server.openEventStreams()).toBeGreaterThan(0);
      notify('crashed', 'EMIS Web has stopped', seeded.noteId);
      await page.getByRole('alert').filter({ hasText: 'EMIS Web has stopped' }).waitFor();
      await page.locator('.toast').getByRole('link', { name: 'Recover note', exact: true }).click();
      await poll(() => hashOf(page)).toBe(`#/recovery?draft=${seeded.noteId}`);
      await poll(() => page.getByTestId('recovered-text').textContent()).toBe(seeded.noteText);
      // The crash toast has done its job once Recovery is open.
      await poll(() => page.locator('.toast').count()).toBe(0);

      // Other notifications keep coming while the GP works: they stack above the page, never on it.
      for (let i = 1; i <= 3; i++) notify('slow', `EMIS Web is running slowly (${i})`);
      // One shows, the others fold into a line: a burst cannot push the note off the screen.
      await poll(() => page.locator('.toast-more').textContent()).toMatch(/^2 more notifications/);
      expect(await page.locator('.toast').count()).toBe(1);
      await page.evaluate('window.scrollTo(0, 0)');
      const copy = await box(page, '[data-testid="copy-note"]');
      expect(inViewport(copy, { width, height }), `Copy at ${JSON.stringify(copy)}`).toBe(true);
      await page.getByTestId('copy-note').click();
      await page.getByText(/^Copied the current text\./).waitFor();
      const covered = [await box(page, '[data-testid="recovered-text"]'), copy, await box(page, '.notice-area .notice')];
      for (const toast of await page.locator('.toast').all()) {
        const t = (await toast.boundingBox())!;
        for (const b of covered) expect(intersects(t, b), `toast ${JSON.stringify(t)} over ${JSON.stringify(b)}`).toBe(false);
      }
      if (width < 900) {
        // One column: the open note (text and Copy) comes before the list.
        expect((await box(page, '.draft-detail-pane')).y).toBeLessThan((await box(page, '.draft-list')).y);
        await screenshot(page, 'recovery-narrow');
      }
      await page.getByRole('button', { name: 'Show all' }).click();
      expect(await page.locator('.toast').count()).toBe(3);
      for (const toast of await page.locator('.toast').all()) expect(intersects((await toast.boundingBox())!, await box(page, '[data-testid="copy-note"]'))).toBe(false);
      await page.getByRole('button', { name: 'Dismiss all' }).click();
      await poll(() => page.locator('.toast').count()).toBe(0);
    });
  }

  it('copies the open note with Alt+C, as its button says', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${server.origin}/#/recovery?draft=${seeded.noteId}`);
    await poll(() => page.getByTestId('recovered-text').textContent()).toBe(seeded.noteText);
    const button = page.getByTestId('copy-note');
    expect(await button.getAttribute('aria-keyshortcuts')).toBe('Alt+C');
    expect(await button.textContent()).toContain('Alt+C');
    await page.evaluate('navigator.clipboard.writeText("")');
    await page.keyboard.press('Alt+C');
    await poll(() => page.evaluate<string>('navigator.clipboard.readText()')).toBe(seeded.noteText);
  });
});

describe('5. words for people', () => {
  it('says what happened with the client’s name; last typed first, revisions behind History; word changes; "1 note matches" with the word marked, and Clear search', async () => {
    const { page } = browser;
    await page.goto(`${server.origin}/#/recovery?draft=${seeded.noteId}`);
    await poll(async () => (await page.getByTestId('health-banner').textContent())?.trim()).toMatch(/^EMIS Web closed unexpectedly at \d\d:\d\d\. Your note is safe in Lifeboat\. EMIS Web is running again\. Recover notes \(3\)$/);
    expect(await page.content()).not.toMatch(/EmisWeb\.exe/i);
    // History is there but closed: the text and what to do with it come first.
    const history = page.locator('details.history');
    expect(await history.getAttribute('open')).toBeNull();
    await history.locator('summary').click();
    await page.getByRole('button', { name: /Revision 3/ }).click();
    await page.getByRole('button', { name: 'Changes', exact: true }).click();
    await poll(() => page.locator('.diff figcaption').textContent()).toMatch(/^Changes from revision 2 to revision 3: \d+ words added, \d+ removed$/);
    expect(await page.locator('ins.diff-add').allTextContents()).toContain('[added: , settles with rest]');
    await page.getByRole('button', { name: 'Text', exact: true }).click();
    await page.getByRole('button', { name: 'Show the current text' }).click();
    await screenshot(page, 'recovery');

    await page.getByLabel('Search all notes').fill('amlodipine');
    const results = page.getByRole('region', { name: 'Search results' });
    await poll(() => results.getByRole('status').textContent()).toBe('1 note matches “amlodipine”');
    expect(await results.locator('mark').allTextContents()).toEqual(['amlodipine']);
    await page.getByRole('button', { name: 'Clear search' }).click();
    expect(await page.getByLabel('Search all notes').inputValue()).toBe('');
    await poll(() => results.count()).toBe(0);
    expect(await accessibilityProblems(page)).toEqual([]);
  });
});

describe('3. recovery has an end', () => {
  it('Done and Discard lower the count; Discard asks once; both are audited; the banner goes with the last note', async () => {
    const { page } = browser;
    await page.goto(`${server.origin}/#/recovery?draft=${seeded.noteId}`);
    await poll(() => navCount(page)).toBe('Recover notes (3)');

    await page.getByRole('button', { name: 'Done — pasted back' }).click();
    await poll(() => navCount(page)).toBe('Recover notes (2)');
    await page.getByText('Marked done: this note no longer counts as one to recover.').waitFor();
    await poll(() => page.locator('.draft-item[aria-current="true"]').textContent()).toContain('Done ✓');

    // Discard asks once, and "Keep it" keeps it.
    await page.locator('.draft-item', { hasText: CAPTURED_CONSULTATIONS[0].text.slice(0, 30) }).click();
    await page.getByRole('button', { name: 'Discard…' }).click();
    await page.getByRole('button', { name: 'Keep it' }).click();
    await poll(() => navCount(page)).toBe('Recover notes (2)');
    await page.getByRole('button', { name: 'Discard…' }).click();
    expect(await page.getByRole('group', { name: /Discard this note\?/ }).textContent()).toContain('deleted from Lifeboat for good');
    await page.getByRole('button', { name: 'Discard for good' }).click();
    await poll(() => navCount(page)).toBe('Recover notes (1)');
    await poll(() => page.locator('.draft-item', { hasText: CAPTURED_CONSULTATIONS[0].text.slice(0, 30) }).count()).toBe(0);

    const trail = vault.auditTrail({ limit: 20 }).filter((a) => a.action === 'state');
    expect(trail.map((a) => [a.draftId, a.detail.to])).toEqual(expect.arrayContaining([[seeded.noteId, 'saved-in-client'], [captured[0], 'discarded']]));

    // The banner stays, across a reload, while one note is still waiting…
    await page.reload();
    await poll(() => page.getByTestId('health-banner').textContent()).toMatch(/Recover notes \(1\)$/);
    await page.locator('.draft-item', { hasText: CAPTURED_CONSULTATIONS[1].text.slice(0, 30) }).click();
    await page.getByRole('button', { name: 'Done — pasted back' }).click();
    // …and goes with it; the count is gone from the navigation, not "(0)".
    await poll(() => page.getByTestId('health-banner').count()).toBe(0);
    await poll(() => navCount(page)).toBe('Recover notes');
    expect(browser.errors).toEqual([]);
  });
});
