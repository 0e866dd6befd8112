// The HTML report rendered by a real browser (Debian's Chromium through playwright-core): it
// loads nothing from anywhere (every request is the file itself), raises no console or CSP
// error, draws its charts, prints to A4 landscape, and leaves docs/screenshots/report.png.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../app/core/report/htmlReport.ts';
import { buildReportData, type DraftActivity } from '../../app/core/report/reportData.ts';
import { generateIncidents } from '../../testing/report/syntheticIncidents.ts';
import { KIND_COLOURS } from '../../app/common/palette.ts';
import { seededRandom } from '../../app/common/seededRandom.ts';
import { accessibilityProblems } from '../e2e/support/a11y.ts';
import { CHROMIUM, launchBrowser, type BrowserSession } from '../e2e/support/browser.ts';
import { screenshot } from '../e2e/support/screenshot.ts';

const FROM = Date.UTC(2026, 0, 5);
const TO = Date.UTC(2026, 1, 2) - 1;
let dir: string;
let file: string;
let session: BrowserSession | undefined;
const requests: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) return;
  dir = mkdtempSync(join(tmpdir(), 'lifeboat-report-html-'));
  file = join(dir, 'report.html');
  const incidents = generateIncidents({ count: 420, from: FROM, to: TO, seed: 11, withPatientData: true, workstation: 'RECEPTION-01' });
  const random = seededRandom(5);
  // Notes typed through the surgery day: a revision every few minutes.
  const draftActivity: DraftActivity[] = Array.from({ length: 600 }, (_, i) => {
    const start = FROM + Math.floor(random() * (TO - FROM));
    return { id: `d${i}`, state: 'open', saveTimes: [start, start + 120_000, start + 300_000] };
  });
  const data = buildReportData({ incidents, draftActivity, workstation: 'RECEPTION-01' }, { from: FROM, to: TO, now: TO, timeZone: 'Europe/London' });
  writeFileSync(file, renderHtmlReport(data, { practiceName: 'Riverside Surgery', odsCode: 'F84012', clientName: () => 'EMIS Web' }));
  session = await launchBrowser({ width: 1280, height: 1500 });
  session.page.on('request', (r) => requests.push(r.url()));
  await session.page.goto(pathToFileURL(file).href);
});

afterAll(async () => {
  await session?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!existsSync(CHROMIUM))('HTML report in Chromium', () => {
  it('requests nothing but itself and logs no error (a CSP violation would be one)', () => {
    expect(requests).toEqual([pathToFileURL(file).href]);
    expect(session!.errors).toEqual([]);
  });

  it('draws the charts: bars per day, a 7 × 24 heatmap, summary tiles', async () => {
    const page = session!.page;
    const sizes = await page.evaluate<Array<{ w: number; h: number }>>(`[...document.querySelectorAll('svg')].map((s) => { const r = s.getBoundingClientRect(); return { w: r.width, h: r.height }; })`);
    expect(sizes).toHaveLength(3);
    for (const s of sizes) {
      expect(s.w).toBeGreaterThan(900);
      expect(s.h).toBeGreaterThan(150);
    }
    expect(await page.locator('svg').nth(0).locator(`rect[fill="${KIND_COLOURS.crash}"]`).count()).toBeGreaterThan(5); // crash bars, the app's red
    expect(await page.locator('svg').nth(2).locator('rect title').count()).toBe(7 * 24);
    expect(await page.locator('.tile').count()).toBe(8);
    expect(await page.getByRole('img', { name: 'Incidents per day by kind' }).count()).toBe(1);
    const body = await page.locator('body').innerText();
    expect(body).not.toMatch(/943[ -]?476[ -]?5919|Jane Example/);
    expect(body).toContain('Consultations affected');
  });

  it('passes axe (no serious or critical finding: the kind labels included) and keeps each incident’s evidence whole in <details>', async () => {
    const page = session!.page;
    const cells = page.locator('td.ev');
    expect(await cells.locator('details').count()).toBe(await cells.count());
    expect(await page.content()).not.toMatch(/more lines? in the CSV/);
    // axe reads every node: a month of 40 incidents (every kind) rather than 420, so it runs in seconds.
    const small = join(dir, 'small.html');
    const incidents = generateIncidents({ count: 40, from: FROM, to: TO, seed: 3, withPatientData: true, workstation: 'RECEPTION-01' });
    writeFileSync(small, renderHtmlReport(buildReportData({ incidents, workstation: 'RECEPTION-01' }, { from: FROM, to: TO, now: TO, timeZone: 'Europe/London' }), { practiceName: 'Riverside Surgery', odsCode: 'F84012' }));
    await page.goto(pathToFileURL(small).href);
    expect(new Set((await page.locator('.kind').allTextContents()).map((k) => k.trim()))).toEqual(new Set(['crash', 'hang', 'slow', 'unexplained exit']));
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.goto(pathToFileURL(file).href);
  }, 120_000);

  it('prints to A4 landscape pages', async () => {
    const page = session!.page;
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    await page.emulateMedia({ media: 'screen' });
    const text = pdf.toString('latin1');
    const pages = text.match(/\/Type\s*\/Page[^s]/g) ?? [];
    expect(pages.length).toBeGreaterThan(1);
    const box = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(text);
    expect(box).not.toBeNull();
    expect(Math.round(Number(box![1]))).toBe(842); // A4 landscape in points
    expect(Math.round(Number(box![2]))).toBe(595);
  });

  it('leaves a screenshot for the docs', async () => {
    const path = await screenshot(session!.page, 'report');
    expect(existsSync(path)).toBe(true);
  });
});
