import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LifeboatEvent } from '../../app/common/api.ts';
import type { LifeboatEvents } from '../../app/core/api/apiBackend.ts';
import type { ApiServer } from '../../app/core/serve/apiServer.ts';
import type { Vault } from '../../app/core/vault/vault.ts';
import { hashOf, launchBrowser, type BrowserSession } from './support/browser.ts';
import type { HandHealth } from './support/handHealth.ts';
import { serveInProcess, type InProcessServe } from './support/inProcessServe.ts';
import { screenshot } from './support/screenshot.ts';

/** A page's data arrives a moment after the page: polled for up to 15 s on a loaded two-core machine. */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000 });

let root: string;
let served: InProcessServe;
let vault: Vault;
let server: ApiServer;
let events: LifeboatEvents;
let health: HandHealth;
let browser: BrowserSession;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'lifeboat-e2e-toasts-'));
  // In-process: the events come from this test. startServe is the same wiring `lifeboat serve` uses.
  served = await serveInProcess(root);
  ({ vault, server, events, health } = served);
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await served?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('notifications in the page: toasts and the health banner', () => {
  it('shows a crash as a banner and a toast, leading to the note to recover', async () => {
    const { page } = browser;
    const note = vault.save({ body: 'Otitis media, L ear. Amoxicillin 500 mg TDS 5/7.', title: 'Earache', reason: 'blur' });
    await page.goto(server.url);
    // The Status page says the state once, large; the top bar does not repeat it there.
    await poll(() => page.locator('.badge-large').textContent()).toContain('Running normally');
    expect(await page.locator('.topbar .badge').count()).toBe(0);
    // Waiting until the page holds the event stream: an event emitted before it would be missed.
    await poll(() => server.openEventStreams()).toBe(1);

    // What the watcher service does on a crash: record the incident, change health, notify.
    health.state = 'crashed';
    health.since = new Date(Date.now() + 3000).toISOString();
    vault.recordIncident({ id: 'inc-e2e-crash', kind: 'crash', app: 'EmisWeb.exe', profile: 'emis-web', startedAt: health.since, endedAt: null, sources: ['process'], evidence: ['process: EmisWeb.exe exited with code 0xE0434352'], signature: null });
    health.reason = 'EmisWeb.exe exited with code 0xE0434352';
    const crash: LifeboatEvent = { type: 'health', state: 'crashed', previous: 'ok', reason: health.reason, at: health.since };
    const notification: LifeboatEvent = { type: 'notification', kind: 'crashed', title: 'EMIS Web has stopped', body: 'Your note from 09:41:07 is safe in Lifeboat.', at: health.since, draftId: note.id, incidentId: null };
    events.emit(crash);
    events.emit(notification);

    await poll(() => page.locator('.banner').textContent()).toMatch(/EMIS Web closed unexpectedly at \d\d:\d\d\. Your note is safe in Lifeboat\./);
    await poll(() => page.locator('.big-number').textContent()).toBe('1');
    const toast = page.getByRole('alert').filter({ hasText: 'EMIS Web has stopped' });
    await poll(() => toast.count()).toBe(1);
    expect(await page.locator('.badge-large').textContent()).toContain('Crashed');

    // The same notification again refreshes the toast instead of stacking a copy.
    events.emit(notification);
    await poll(() => page.locator('.toast-repeats').textContent()).toBe(' (×2)');
    expect(await page.locator('.toast').count()).toBe(1);
    await screenshot(page, 'crash-toast');

    await toast.getByRole('link', { name: 'Recover note' }).click();
    await poll(() => hashOf(page)).toBe(`#/recovery?draft=${note.id}`);
    await poll(() => page.getByTestId('recovered-text').textContent()).toBe('Otitis media, L ear. Amoxicillin 500 mg TDS 5/7.');
    expect(await page.locator('.toast').count()).toBe(0);
    expect(browser.errors).toEqual([]);
  });

  it('lets a passing notification go by itself; the crash banner stays after the client is back, until the note is dealt with', async () => {
    const { page } = browser;
    health.state = 'ok';
    events.emit({ type: 'health', state: 'ok', previous: 'crashed', reason: 'EMIS Web is running again', at: new Date().toISOString() });
    events.emit({ type: 'notification', kind: 'recovered', title: 'EMIS Web is back', body: 'It is responding normally again.', at: new Date().toISOString(), draftId: null, incidentId: null });
    await poll(() => page.getByRole('status').filter({ hasText: 'EMIS Web is back' }).count()).toBe(1);
    // Back, but the note from before the crash is not pasted back yet: the banner says so.
    await poll(() => page.locator('.banner').textContent()).toMatch(/closed unexpectedly at \d\d:\d\d\. Your note is safe in Lifeboat\. EMIS Web is running again\. Recover notes \(1\)/);
    await page.getByRole('button', { name: /Dismiss notification: EMIS Web is back/ }).click();
    await poll(() => page.locator('.toast').count()).toBe(0);
    await page.getByRole('button', { name: 'Done — pasted back' }).click();
    await poll(() => page.locator('.banner').count()).toBe(0);
    expect(browser.errors).toEqual([]);
  });
});
