// Issue 15, the IT lead's side, in Chromium against a real `lifeboat serve` child process:
// 6. evidence inside the app (report and evidence-pack downloads, details beside their row, the
//    Practice page from a share), 7. honest data (one client, its name, local times, the folders
//    really watched) and 8. the HTML report as the app shows it (axe, zone, evidence, title).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../app/common/clock.ts';
import { safeWorkstationName } from '../../app/core/practice/shareFormat.ts';
import { ShareWriter } from '../../app/core/practice/shareWriter.ts';
import { LIFEBOAT_VERSION } from '../../app/core/report/machineFacts.ts';
import { Vault } from '../../app/core/vault/vault.ts';
import { headlessKeySource } from '../../app/core/vault/vaultKey.ts';
import { incidentAt } from '../support/incidentAt.ts';
import { accessibilityProblems } from './support/a11y.ts';
import { launchBrowser, type BrowserSession } from './support/browser.ts';
import { buildRenderer } from './support/build.ts';
import { screenshot } from './support/screenshot.ts';
import { seedPracticeMorning, SEED_NOTE_STEPS } from './support/seedVault.ts';
import { startServeProcess, type ServeProcess } from './support/serveProcess.ts';

const ZONE = 'America/New_York';
const MIN = 60_000;
/** Words of the seeded notes: none may be in anything IT downloads. */
const NOTE_WORDS = ['tightness', 'Chest pain review', 'EMIS 4471-TEST', 'amlodipine', 'GTN spray'];

let root: string;
let browser: BrowserSession;
let serve: ServeProcess;
let logs: string;
const now = Date.now();
const werAt = now - 50 * MIN;

const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000 });
const localClock = (iso: string): string => new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(new Date(iso));

async function download(page: Page, click: () => Promise<void>): Promise<{ name: string; path: string }> {
  const [file] = await Promise.all([page.waitForEvent('download') as Promise<Download>, click()]);
  const path = join(root, 'downloads', file.suggestedFilename());
  await file.saveAs(path);
  return { name: file.suggestedFilename(), path };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'lifeboat-e2e-it-'));
  mkdirSync(join(root, 'downloads'));
  const vaultDir = join(root, 'vault');
  seedPracticeMorning(vaultDir, now);
  // One client, seen by WER as "EmisWeb.exe" and by the process list as "emisweb"; evidence as the correlator writes it (UTC).
  const vault = Vault.open({ dir: vaultDir, keySource: headlessKeySource(vaultDir), clock: systemClock });
  vault.recordIncident(incidentAt('inc-wer', 'crash', werAt, { app: 'EmisWeb.exe', sources: ['wer', 'process'], evidence: [`${new Date(werAt).toISOString()} wer: APPCRASH EmisWeb.exe 9.2.1.4410 clr.dll c0000005`, `${new Date(werAt + 900).toISOString()} process: emisweb exited with code 0xC0000005`] }));
  vault.recordIncident(incidentAt('inc-proc', 'exit', now - 55 * MIN, { app: 'emisweb', sources: ['process'], evidence: [`${new Date(now - 55 * MIN).toISOString()} process: emisweb exited (exit code unknown)`] }));
  vault.close();

  const share = join(root, 'share');
  mkdirSync(share);
  for (const [name, kind] of [['RECEPTION-1', 'crash'], ['ROOM-2', 'hang'], ['ROOM-4', 'crash']] as const) {
    const writer = ShareWriter.open({ shareDir: share, workstation: name, outboxDir: join(root, `outbox-${name}`), clock: systemClock });
    writer.record(incidentAt(`inc-${name}`, kind, now - 3 * MIN));
    expect((await writer.flush()).ok).toBe(true);
  }
  logs = join(root, 'emis-logs');
  mkdirSync(logs);
  // The practice's policy: its name and ODS code, the share, EMIS Web only, a log folder that exists and one that does not.
  writeFileSync(
    join(root, 'policy.json'),
    JSON.stringify({
      settings: { activeProfiles: ['emis-web'], sharePath: share, practice: { name: 'Riverside Surgery', odsCode: 'F84012' } },
      profiles: [{ name: 'emis-web', logs: [{ dir: logs }, { dir: '%LOCALAPPDATA%\\EMIS\\EMIS Web\\Logs' }] }],
    }),
  );
  await buildRenderer();
  serve = await startServeProcess({ vaultDir, policyPath: join(root, 'policy.json'), env: { LIFEBOAT_CONFIG: join(root, 'config.json'), LIFEBOAT_DATA_DIR: join(root, 'data'), LOCALAPPDATA: '' } });
  browser = await launchBrowser({ width: 1280, height: 860, timezoneId: ZONE });
  await browser.page.goto(serve.url);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('6. evidence inside the app', () => {
  it('downloads the HTML, CSV and JSON report of the period: the incidents, the practice, no note text', async () => {
    const { page } = browser;
    await page.goto(`${serve.origin}/#/incidents`);
    await poll(() => page.locator('tbody tr').count()).toBeGreaterThan(5);
    for (const [label, ext] of [['HTML report', 'html'], ['CSV', 'csv'], ['JSON', 'json']] as const) {
      const file = await download(page, () => page.getByRole('button', { name: label, exact: true }).click());
      expect(file.name).toMatch(new RegExp(`^lifeboat-report-\\d{4}-\\d{2}-\\d{2}-to-\\d{4}-\\d{2}-\\d{2}\\.${ext}$`));
      const text = readFileSync(file.path, 'utf8');
      expect(text).toContain('c0000005');
      for (const words of NOTE_WORDS) expect(text, `${words} in ${file.name}`).not.toContain(words);
      for (const step of SEED_NOTE_STEPS) expect(text).not.toContain(step.slice(20, 60));
    }
    await page.getByText(/^Downloaded lifeboat-report-.*\.json \(\d+ KB\)\. It holds no note text\.$/).waitFor();
  });

  it('opens an incident’s details under its own row, and saves its evidence pack without note text', async () => {
    const { page } = browser;
    const row = page.locator('tbody tr', { hasText: 'Windows Error Reporting, process watcher' });
    await row.getByRole('button', { name: /^Details/ }).click();
    expect(await row.getByRole('button', { name: /^Hide details/ }).getAttribute('aria-expanded')).toBe('true');
    // Beside the incident, not below the table: the very next row.
    const next = page.locator('tr.row-open + tr.details-row');
    await next.getByTestId('incident-details').waitFor();
    expect(await next.locator('h3').textContent()).toMatch(/^Crash: EMIS Web, /);
    const pack = await download(page, () => next.getByRole('button', { name: 'Save evidence pack for this incident' }).click());
    expect(pack.name).toMatch(/^lifeboat-evidence-\d{4}-\d{2}-\d{2}-crash-emisweb\.zip$/);
    const unzip = spawnSync('unzip', ['-p', pack.path], { encoding: 'utf8' });
    expect(unzip.status).toBe(0);
    expect(unzip.stdout).toContain('APPCRASH EmisWeb.exe 9.2.1.4410');
    for (const words of NOTE_WORDS) expect(unzip.stdout).not.toContain(words);
    await screenshot(page, 'incident-details');
  });

  it('Practice: every computer on the share, its incidents, last heard from, and the outage', async () => {
    const { page } = browser;
    await page.goto(`${serve.origin}/#/practice`);
    const table = page.getByRole('region', { name: 'Computers and their incidents' });
    // The three other PCs, and this one (the running service writes its own folder on the share).
    await poll(() => table.locator('tbody tr').count()).toBe(4);
    const names = await table.locator('tbody th').allTextContents();
    expect(names).toEqual(expect.arrayContaining(['RECEPTION-1', 'ROOM-2', 'ROOM-4', `${safeWorkstationName(hostname())} (this computer)`]));
    expect(await table.locator('tbody tr', { hasText: 'ROOM-2' }).locator('td').first().textContent()).toBe('0');
    expect(await table.locator('tbody tr', { hasText: 'ROOM-2' }).locator('td').nth(1).textContent()).toBe('1');
    expect(await page.locator('main').textContent()).toMatch(/4 computers on .*share/);
    await poll(() => page.getByTestId('practice-outage').textContent()).toMatch(/Practice-wide problem: 3 computers have had trouble since .* \(RECEPTION-1, ROOM-2, ROOM-4\)/);
    expect(await page.locator('#outages-heading + ul li').count()).toBe(1);
    expect(await accessibilityProblems(page)).toEqual([]);
    await screenshot(page, 'practice', { fullPage: true });
  });
});

describe('7. honest data', () => {
  it('one client under its own name (never two programs, never the profile id), evidence in local time', async () => {
    const { page } = browser;
    await page.goto(`${serve.origin}/#/incidents`);
    await poll(() => page.locator('tbody tr').count()).toBeGreaterThan(5);
    const clients = await page.locator('tbody tr td:nth-child(3)').allTextContents();
    expect(new Set(clients)).toEqual(new Set(['EMIS Web']));
    const table = (await page.locator('table').textContent()) ?? '';
    expect(table).not.toMatch(/emis-web|\.exe/i);
    await page.locator('tbody tr', { hasText: 'Windows Error Reporting, process watcher' }).getByRole('button', { name: /^Details/ }).click();
    const evidence = page.getByRole('list', { name: 'Evidence lines' });
    await evidence.waitFor();
    // Stored in UTC, shown in this computer's zone beside the table's local times.
    expect(await evidence.locator('li').first().textContent()).toBe(`${localClock(new Date(werAt).toISOString())} Windows Error Reporting: APPCRASH EmisWeb.exe 9.2.1.4410 clr.dll c0000005`);
    expect(await evidence.textContent()).not.toMatch(/\d{4}-\d\d-\d\dT/);
  });

  it('Settings lists the folders of the client really watched, found or not, Windows paths with backslashes', async () => {
    const { page } = browser;
    await page.goto(`${serve.origin}/#/settings`);
    const folders = page.getByTestId('log-folders');
    await poll(() => folders.locator('li').count()).toBe(2);
    expect(await folders.locator('li').allTextContents()).toEqual([`${logs} found`, '%LOCALAPPDATA%\\EMIS\\EMIS Web\\Logs not found on this computer']);
    expect(await page.locator('main').textContent()).not.toContain('LIFEBOAT_SIM_LOG_DIR');
  });
});

describe('8. the HTML report matches the app', () => {
  it('local times with the zone named, full evidence in <details>, the practice and Lifeboat’s version in the title, no axe violation', async () => {
    const { page } = browser;
    await page.goto(`${serve.origin}/#/incidents`);
    await poll(() => page.locator('tbody tr').count()).toBeGreaterThan(5);
    const file = await download(page, () => page.getByRole('button', { name: 'HTML report', exact: true }).click());
    await page.goto(pathToFileURL(file.path).href);
    expect(await page.title()).toMatch(new RegExp(`^Incident report: Riverside Surgery, ODS F84012, .+, \\d{1,2} \\w{3} \\d{4} to \\d{1,2} \\w{3} \\d{4} · Lifeboat ${LIFEBOAT_VERSION.replace(/\./g, '\\.')}$`));
    expect(await page.locator('p.meta').first().textContent()).toMatch(/times in America\/New_York \(GMT-[45](\/GMT-[45])?\)/);
    // Every incident's evidence, whole, behind a <details>, its times local.
    const details = page.locator('td.ev details');
    expect(await details.count()).toBe(await page.locator('td.ev').count());
    await details.first().locator('summary').click();
    const ev = page.locator('td.ev', { hasText: /APPCRASH EmisWeb\.exe 9\.2/ });
    await ev.locator('summary').click();
    expect(await ev.locator('li').count()).toBe(2);
    expect(await ev.locator('li .at').first().textContent()).toBe(localClock(new Date(werAt).toISOString()));
    // The downtime axis in whole units: no tick label twice.
    const ticks = await page.locator('svg').nth(1).locator('text.tick').allTextContents();
    const yTicks = ticks.filter((t) => /^\d+(\.\d+)?$/.test(t));
    expect(new Set(yTicks).size).toBe(yTicks.length);
    expect(await accessibilityProblems(page)).toEqual([]);
  });
});
