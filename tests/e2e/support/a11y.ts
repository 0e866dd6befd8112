import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/** The in-page half, plain browser JavaScript (this project's Node tsconfig has no DOM types). */
const SCAN = readFileSync(new URL('./a11yScan.browser.js', import.meta.url), 'utf8');

export interface A11yProblem {
  rule: string;
  where: string;
}

/**
 * Our own checks (every control has an accessible name, every ARIA id reference points
 * somewhere, one h1, labelled landmarks and images, no duplicate ids) plus axe-core's serious
 * and critical violations.
 */
export async function accessibilityProblems(page: Page): Promise<A11yProblem[]> {
  const problems = (await page.evaluate(SCAN)) as A11yProblem[];
  return [...problems, ...(await axeProblems(page))];
}

/** axe-core's serious and critical findings (WCAG 2.x A and AA rules and best practices). */
async function axeProblems(page: Page): Promise<A11yProblem[]> {
  // @axe-core/playwright types its page against the full playwright package; playwright-core's Page is the same object.
  const result = await new AxeBuilder({ page: page as unknown as ConstructorParameters<typeof AxeBuilder>[0]['page'] }).analyze();
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ rule: `axe:${v.id}`, where: JSON.stringify(v.nodes.map((n) => n.target)).slice(0, 200) }));
}

/** At 200% zoom a 1280-pixel window is 640 CSS pixels wide: nothing may need sideways scrolling. */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
}
