/**
 * Once per lane run: provision (cached in .tools/windows: Windows Node 22, the prefix, win32 native
 * modules), rebuild the CLI bundle from the current sources, start a private Xvfb display and a
 * persistent wineserver (so each Windows program starts in about a second, not three), and give the
 * test files the paths and environment through `inject('wineLane')`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { provisionWindows, WINE64, WINESERVER, wineEnv } from '../../../scripts/windows/provision.js';
import type { WineLane } from './wineLane.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    wineLane: WineLane;
  }
}

function freeDisplay(): number {
  for (let n = 90; n < 190; n++) if (!existsSync(`/tmp/.X${n}-lock`) && !existsSync(`/tmp/.X11-unix/X${n}`)) return n;
  throw new Error('no free X display number between :90 and :189');
}

async function startXvfb(): Promise<{ display: string; process: ChildProcess }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const n = freeDisplay();
    const xvfb = spawn('Xvfb', [`:${n}`, '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
    const started = await new Promise<boolean>((resolve) => {
      const deadline = Date.now() + 10_000;
      const check = (): void => {
        if (xvfb.exitCode !== null) resolve(false);
        else if (existsSync(`/tmp/.X11-unix/X${n}`)) resolve(true);
        else if (Date.now() > deadline) resolve(false);
        else setTimeout(check, 50);
      };
      check();
    });
    if (started) return { display: `:${n}`, process: xvfb };
    xvfb.kill();
  }
  throw new Error('Xvfb did not start (is the xvfb package installed? scripts/test-prerequisites.sh)');
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  if (!existsSync('/usr/lib/wine/wine64')) throw new Error('Wine is missing: run scripts/test-prerequisites.sh (apt-get install wine64 xvfb gcc-mingw-w64-x86-64)');
  const paths = await provisionWindows({ rebuildCli: true });
  const xvfb = await startXvfb();
  const env = { ...wineEnv(undefined, { ...process.env, WINEPREFIX: paths.prefix }), DISPLAY: xvfb.display };
  const server = spawn(WINESERVER, ['-p'], { env, stdio: 'ignore' });
  await new Promise((resolve) => server.on('exit', resolve));
  // The first Windows program of a session starts Wine's own services (services.exe, rpcss…), which
  // keep its standard streams open for as long as the session lives. Start them here, on /dev/null,
  // so that no test's pipe is held open by them after its program has ended.
  const boot = spawn(WINE64, ['wineboot'], { env, stdio: 'ignore' });
  await new Promise((resolve) => boot.on('exit', resolve));
  process.stdout.write(`windows lane: provisioned and started in ${((Date.now() - started) / 1000).toFixed(1)} s (display ${xvfb.display})\n`);
  project.provide('wineLane', { ...paths, display: xvfb.display, env: { WINEPREFIX: env.WINEPREFIX, WINEDEBUG: env.WINEDEBUG, WINEDLLOVERRIDES: env.WINEDLLOVERRIDES, DISPLAY: xvfb.display } });
  return async () => {
    const kill = spawn(WINESERVER, ['-k'], { env, stdio: 'ignore' });
    await new Promise((resolve) => kill.on('exit', resolve));
    xvfb.process.kill();
  };
}
