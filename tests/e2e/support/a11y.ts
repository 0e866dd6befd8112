import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

/** The in-page half, plain browser JavaScript (this project's Node tsconfig has no DOM types). */
const SCAN = readFileSync(new URL('./a11yScan.browser.js', import.meta.url), 'utf8');

export interface A11yProblem {
  rule: string;
  where: string;
}

/**
 * The checks we can make without axe-core: every control has an accessible name, every ARIA id
 * reference points somewhere, one h1, labelled landmarks and images, no duplicate ids.
 * With @axe-core/playwright installed, its serious and critical violations are added too
 * (loaded by a computed name, so this file compiles and runs without it).
 */
export async function accessibilityProblems(page: Page): Promise<A11yProblem[]> {
  const problems = (await page.evaluate(SCAN)) as A11yProblem[];
  return [...problems, ...(await axeProblems(page))];
}

/** axe-core's serious and critical findings, when the package is installed; none otherwise. */
async function axeProblems(page: Page): Promise<A11yProblem[]> {
  const moduleName = '@axe-core/playwright';
  const axe = (await import(moduleName).catch(() => null)) as { default: new (options: { page: Page }) => { analyze(): Promise<{ violations: Array<{ id: string; impact?: string | null; nodes: Array<{ target: unknown }> }> }> } } | null;
  if (!axe) return [];
  const result = await new axe.default({ page }).analyze();
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ rule: `axe:${v.id}`, where: JSON.stringify(v.nodes.map((n) => n.target)).slice(0, 200) }));
}

/** At 200% zoom a 1280-pixel window is 640 CSS pixels wide: nothing may need sideways scrolling. */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
}
