import { defineConfig } from 'vitest/config';

/**
 * The Windows lane: Lifeboat's Windows half under Wine, beside a Win32 test client, on one Xvfb
 * display and one wineserver for the whole run (support/globalSetup.ts). Files run one at a time:
 * each drives real Windows processes, and two cores are shared with the rest of CI.
 */
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['tests/windows/**/*.test.ts'],
    globalSetup: ['tests/windows/support/globalSetup.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 300_000,
    reporters: ['default', './tests/support/summaryReporter.ts'],
  },
});
