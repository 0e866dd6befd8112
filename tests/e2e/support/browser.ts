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
export interface LaunchOptions {
  width?: number;
  height?: number;
  /** The OS theme the page sees (prefers-color-scheme). */
  colorScheme?: 'light' | 'dark';
  /** The computer's time zone; default this machine's. */
  timezoneId?: string;
  /** E.g. clipboard-read / clipboard-write for the copy tests. */
  permissions?: string[];
}

export async function launchBrowser(options: LaunchOptions = {}): Promise<BrowserSession> {
  const profile = mkdtempSync(join(tmpdir(), 'lifeboat-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ARGS,
    headless: true,
    viewport: { width: options.width ?? 1280, height: options.height ?? 860 },
    deviceScaleFactor: 1,
    locale: 'en-GB',
    reducedMotion: 'reduce',
    colorScheme: options.colorScheme ?? 'light',
    acceptDownloads: true,
    ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
    ...(options.permissions ? { permissions: options.permissions } : {}),
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

/** The hash route the page shows. */
export const hashOf = (page: Page): string => new URL(page.url()).hash;

/** Presses Tab until the focused element matches, as a keyboard user would; fails after `max` presses. */
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

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Whether two boxes share any area (touching edges do not count). */
export const intersects = (a: Box, b: Box): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Whether the box lies wholly inside the viewport as it is scrolled now: seen without scrolling. */
export function inViewport(box: Box, viewport: { width: number; height: number }): boolean {
  return box.x >= 0 && box.y >= 0 && box.x + box.width <= viewport.width && box.y + box.height <= viewport.height;
}
