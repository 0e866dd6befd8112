import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../../common/clock.ts';

/** The repository (or installed package) root: app/core/serve is three levels down. */
/** The folder of Lifeboat's package.json: found by walking up, so it holds for sources and for the bundled CLI (out/cli). */
function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'lifeboat') return dir;
    if (dirname(dir) === dir) return resolve(start, '..', '..', '..');
  }
}

export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
export const RENDERER_OUT_DIR = join(PACKAGE_ROOT, 'out', 'renderer');

const SOURCES = ['renderer/index.html', 'renderer/src', 'vite.config.ts', 'app/common'];
const LOCK_STALE_MS = 5 * 60_000;

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Whether out/renderer is missing or older than its sources (never, in an installed copy without sources). */
export function rendererNeedsBuild(root = PACKAGE_ROOT): boolean {
  const index = join(root, 'out', 'renderer', 'index.html');
  if (!existsSync(join(root, 'renderer', 'index.html'))) return false;
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return SOURCES.some((source) => newestMtime(join(root, source)) > built);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** mkdir is atomic: whoever creates the lock folder builds, the others wait for it to go. */
async function withBuildLock<T>(root: string, fn: () => Promise<T>): Promise<T> {
  const lock = join(root, 'out', '.renderer-build.lock');
  mkdirSync(join(root, 'out'), { recursive: true });
  const deadline = performance.now() + LOCK_STALE_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // A builder that died leaves its lock behind: after the stale time, take it over.
      // The lock's age against its mtime: the system clock, the one the file was stamped with.
      if (systemClock.now() - statSync(lock, { throwIfNoEntry: false })!.mtimeMs > LOCK_STALE_MS || performance.now() > deadline) rmSync(lock, { recursive: true, force: true });
      else await sleep(200);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * The folder of the built renderer, building it first (Vite, a development dependency) when the
 * sources are newer. An installed copy ships out/renderer and never reaches Vite.
 */
export async function ensureRendererBuilt(options: { root?: string; onBuild?: () => void } = {}): Promise<string> {
  const root = options.root ?? PACKAGE_ROOT;
  const outDir = join(root, 'out', 'renderer');
  if (!rendererNeedsBuild(root)) return outDir;
  await withBuildLock(root, async () => {
    if (!rendererNeedsBuild(root)) return; // someone else built it while we waited
    options.onBuild?.();
    const vite = await import('vite').catch(() => null);
    if (!vite) throw new Error('the Lifeboat screens are not built and Vite is not installed: run `npm ci` then `npx vite build`');
    // The config file sets root (renderer/) and outDir; an inline root here would override it.
    await vite.build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
  });
  return outDir;
}
