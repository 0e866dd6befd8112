// Cookies are not isolated by port: anything a browser keeps for 127.0.0.1:A it sends to
// 127.0.0.1:B. So another local listener (another user's process on a terminal server, a
// malicious local app) must receive nothing from the browser that lets it read notes.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type BrowserSession } from './support/browser.ts';
import { buildRenderer } from './support/build.ts';
import { startServeProcess, type ServeProcess } from './support/serveProcess.ts';

let root: string;
let browser: BrowserSession;
let serve: ServeProcess;
let listener: Server;
const captured: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'lifeboat-e2e-token-'));
  await buildRenderer();
  browser = await launchBrowser();
  serve = await startServeProcess({ vaultDir: join(root, 'vault'), env: { LIFEBOAT_CONFIG: join(root, 'config.json'), LIFEBOAT_DATA_DIR: join(root, 'data') } });
  listener = createServer((req, res) => {
    captured.push(req.headers);
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<p>someone else</p>');
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  listener?.close();
  rmSync(root, { recursive: true, force: true });
});

/** Every way a captured value could be tried as Lifeboat's credential. */
async function worksAsCredential(value: string): Promise<boolean> {
  const attempts: Array<Record<string, string>> = [{ authorization: `Bearer ${value}` }, { cookie: value }];
  for (const part of value.split(/[;,]\s*/)) {
    const eq = part.indexOf('=');
    if (eq > 0) attempts.push({ authorization: `Bearer ${part.slice(eq + 1)}` });
  }
  for (const headers of attempts) {
    const res = await fetch(`${serve.origin}/api/listDrafts`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });
    if (res.status === 200) return true;
  }
  return false;
}

describe('the API token stays with Lifeboat', () => {
  it('a second listener on another port receives nothing usable, while the page keeps working', async () => {
    const { page, context } = browser;
    const token = new URL(serve.url.replace('#', '?')).searchParams.get('token');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const answered = page.waitForResponse((r) => r.url().endsWith('/api/getStatus') && r.status() === 200);
    await page.goto(serve.url);
    await answered;
    // The token left the address bar (and so history and screenshots).
    expect(page.url()).not.toContain(token);

    // A reload keeps the session (the tab keeps the token), and a call still succeeds.
    const again = page.waitForResponse((r) => r.url().endsWith('/api/getStatus') && r.status() === 200);
    await page.reload();
    await again;

    const other = (listener.address() as AddressInfo).port;
    for (const host of ['127.0.0.1', 'localhost']) {
      const tab = await context.newPage();
      await tab.goto(`http://${host}:${other}/`);
      await tab.close();
    }
    await page.goto(`http://127.0.0.1:${other}/anything`);
    expect(captured.length).toBeGreaterThanOrEqual(3);

    for (const headers of captured) {
      expect(headers.cookie, 'no cookie at all reaches another port').toBeUndefined();
      for (const [name, value] of Object.entries(headers)) {
        const text = Array.isArray(value) ? value.join('; ') : String(value);
        expect(text.includes(token!), `${name} carries the token`).toBe(false);
        expect(await worksAsCredential(text), `${name}: ${text}`).toBe(false);
      }
    }
    expect(browser.errors).toEqual([]);
  });
});
