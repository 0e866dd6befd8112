/**
 * A Wine session of its own: a private Xvfb display and a persistent wineserver on a prefix, with
 * Wine's services started on /dev/null. Persistent, because each Windows program then starts in
 * about a second instead of three; services first, because the first Windows program of a session
 * starts them and they keep its standard streams open for as long as the session lives.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { WINE64, WINESERVER, wineEnv } from '../../../scripts/windows/provision.js';

export interface WineSession {
  display: string;
  /** WINEPREFIX, WINEDEBUG, WINEDLLOVERRIDES and DISPLAY for programs of this session. */
  env: Record<string, string>;
  stop(): Promise<void>;
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

export async function startWineSession(prefix: string): Promise<WineSession> {
  const xvfb = await startXvfb();
  const full = { ...wineEnv(undefined, { ...process.env, WINEPREFIX: prefix }), DISPLAY: xvfb.display };
  const env = { WINEPREFIX: full.WINEPREFIX, WINEDEBUG: full.WINEDEBUG, WINEDLLOVERRIDES: full.WINEDLLOVERRIDES, DISPLAY: xvfb.display };
  const run = (file: string, args: string[]): Promise<unknown> => new Promise((resolve) => spawn(file, args, { env: full, stdio: 'ignore' }).on('exit', resolve));
  await run(WINESERVER, ['-p']);
  await run(WINE64, ['wineboot']);
  return {
    display: xvfb.display,
    env,
    async stop() {
      await run(WINESERVER, ['-k']);
      xvfb.process.kill();
    },
  };
}
