import { afterAll, beforeAll } from 'vitest';
import { startServe } from '../../../app/core/serve/startServe.ts';
import type { ApiServer } from '../../../app/core/serve/apiServer.ts';
import { startSimHarness, type SimHarness, type SimHarnessOptions } from '../../support/simHarness.ts';
import { launchBrowser, type BrowserSession } from './browser.ts';
import { buildRenderer } from './build.ts';

/**
 * For a test file whose story is a simulated client watched by a live service, seen in Chromium:
 * builds the screens and opens the browser before the tests, closes everything after.
 */
export function harnessInBrowser(): {
  browser: () => BrowserSession;
  startHarness: (options?: SimHarnessOptions) => Promise<SimHarness>;
  serve: (harness: SimHarness) => Promise<ApiServer>;
} {
  let browser: BrowserSession | undefined;
  let harness: SimHarness | undefined;
  let server: ApiServer | undefined;
  beforeAll(async () => {
    await buildRenderer();
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await harness?.close();
  });
  return {
    browser: () => browser!,
    startHarness: async (options) => (harness = await startSimHarness(options)),
    serve: async (h) => (server = await startServe({ handlers: h.runtime.handlers, events: h.runtime.events })),
  };
}
