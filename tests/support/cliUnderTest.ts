import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The test entry of the `lifeboat` command (see lifeboatUnderTest.ts). */
export const CLI_UNDER_TEST = join(fileURLToPath(new URL('.', import.meta.url)), 'lifeboatUnderTest.ts');

/** Arguments for `node`: the command with the machine policy at `policyPath`, then `args`. */
export function cliUnderTest(policyPath: string, ...args: string[]): string[] {
  return [CLI_UNDER_TEST, '--machine-policy', policyPath, ...args];
}
