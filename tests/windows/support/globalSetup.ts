/**
 * Once per lane run: provision (cached in .tools/windows: Windows Node 22, the prefix, win32 native
 * modules), rebuild the CLI bundle from the current sources, start the lane's Wine session (a private
 * Xvfb display and a persistent wineserver), and give the test files the paths and environment
 * through `inject('wineLane')`.
 */
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { provisionWindows } from '../../../scripts/windows/provision.js';
import type { WineLane } from './wineLane.ts';
import { startWineSession } from './wineSession.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    wineLane: WineLane;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  if (!existsSync('/usr/lib/wine/wine64')) throw new Error('Wine is missing: run scripts/test-prerequisites.sh (apt-get install wine64 xvfb gcc-mingw-w64-x86-64)');
  const paths = await provisionWindows({ rebuildCli: true });
  const session = await startWineSession(paths.prefix);
  process.stdout.write(`windows lane: provisioned and started in ${((Date.now() - started) / 1000).toFixed(1)} s (display ${session.display})\n`);
  project.provide('wineLane', { ...paths, display: session.display, env: session.env });
  return session.stop;
}
