import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { PACKAGE_ROOT } from '../../../app/core/serve/rendererBundle.ts';

/**
 * Every run writes test-results/screenshots (the test output, ignored by git); with
 * LIFEBOAT_UPDATE_SCREENSHOTS=1 the run refreshes docs/screenshots, which README shows, so an
 * ordinary test run leaves the work tree clean.
 */
export const SCREENSHOT_DIR = join(PACKAGE_ROOT, process.env.LIFEBOAT_UPDATE_SCREENSHOTS === '1' ? 'docs' : 'test-results', 'screenshots');

/**
 * <name>.png of what the viewport shows: small enough to commit, and only ever of invented test
 * notes. Caret and animations are hidden so reruns produce the same picture.
 */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  // From the top, as the page first appears, whatever the test scrolled to.
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path, animations: 'disabled', caret: 'hide', scale: 'css', fullPage: options.fullPage ?? false });
  return path;
}
