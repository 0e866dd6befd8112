import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.LIFEBOAT_CHROMIUM ?? '/usr/bin/chromium';

/** Debian's Chromium, told not to reach the internet (this machine refuses it, and it retries forever). */
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--lang=en-GB'];

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions (a CSP violation shows up here). */
  errors: string[];
  close(): Promise<void>;
}

/** A fresh profile each time: no cookie or storage from an earlier run can make a test pass. */
export async function launchBrowser(options: { width?: number; height?: number } = {}): Promise<BrowserSession> {
  const profile = mkdtempSync(join(tmpdir(), 'lifeboat-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ARGS,
    headless: true,
    viewport: { width: options.width ?? 1280, height: options.height ?? 860 },
    deviceScaleFactor: 1,
    locale: 'en-GB',
    reducedMotion: 'reduce',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return {
    context,
    page,
    errors,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Presses Tab until the focused element matches, as a keyboard user would; fails after `max` presses. */
/** The hash route the page shows. */
export const hashOf = (page: Page): string => new URL(page.url()).hash;

export async function tabTo(page: Page, matches: (el: { tag: string; text: string; href: string | null }) => boolean, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    // A string, evaluated in the page: the Node-side tsconfig has no DOM types.
    const focused = await page.evaluate<{ tag: string; text: string; href: string | null }>(
      `(() => { const el = document.activeElement; return { tag: el ? el.tagName.toLowerCase() : '', text: (el && el.textContent || '').trim(), href: el ? el.getAttribute('href') : null }; })()`,
    );
    if (matches(focused)) return;
  }
  throw new Error(`Tab never reached the element within ${max} presses`);
}
