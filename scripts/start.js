#!/usr/bin/env node
// `npm start`: the desktop app when this machine can run it, otherwise the headless demo.
//   Electron binary present and a display: build the renderer (vite) and the Electron bundles,
//   then launch Electron on this folder (package.json "main" is out/main/main.cjs).
//   Otherwise: one line saying why, then `node bin/lifeboat.js demo` (same UI in a browser).
// LIFEBOAT_START_DRY_RUN=1 prints the decision and exits (for tests and the curious).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Where the Electron binary is, or why there is none. This mirrors node_modules/electron/index.js
 * (path.txt + dist/, or ELECTRON_OVERRIDE_DIST_PATH) instead of calling require('electron'):
 * that require DOWNLOADS the binary when it is missing, which a start script must never do.
 */
export function findElectronBinary(root = ROOT, env = process.env) {
  const pkg = join(root, 'node_modules', 'electron');
  if (!existsSync(join(pkg, 'package.json'))) return { path: null, why: 'the electron package is not installed (npm ci)' };
  const pathFile = join(pkg, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const candidate = join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron');
    return existsSync(candidate) ? { path: candidate, why: null } : { path: null, why: `ELECTRON_OVERRIDE_DIST_PATH holds no Electron binary (${candidate})` };
  }
  if (!relative) return { path: null, why: 'the Electron binary was never downloaded (its install script did not run)' };
  const candidate = join(pkg, 'dist', relative);
  return existsSync(candidate) ? { path: candidate, why: null } : { path: null, why: `the Electron binary is missing (${candidate})` };
}

export function hasDisplay(platform = process.platform, env = process.env) {
  return platform === 'win32' || platform === 'darwin' || Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/**
 * Electron 45 fetches its binary on first launch, not at install: on a desktop (a display, and
 * the binary not yet fetched, not overridden) start fetches it first ('fetch-electron'); without
 * a display there is nothing to show a tray on, so the headless demo runs.
 */
export function decideLaunch({ root = ROOT, platform = process.platform, env = process.env } = {}) {
  if (!hasDisplay(platform, env)) return { mode: 'demo', reason: 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)' };
  const electron = findElectronBinary(root, env);
  if (electron.path) return { mode: 'electron', electron: electron.path };
  const fetchable = existsSync(join(root, 'node_modules', 'electron', 'install.js')) && !env.ELECTRON_OVERRIDE_DIST_PATH;
  return fetchable ? { mode: 'fetch-electron', reason: electron.why } : { mode: 'demo', reason: electron.why };
}

/** Electron's own first-launch fetch (node_modules/electron/install.js); true when the binary is there after it. */
function fetchElectron(root = ROOT) {
  console.log('start: fetching the Electron binary (first launch)…');
  const result = spawnSync(process.execPath, [join(root, 'node_modules', 'electron', 'install.js')], { cwd: root, stdio: 'inherit' });
  return result.status === 0 && findElectronBinary(root).path !== null;
}

function rendererViteConfig(root) {
  return ['renderer/vite.config.ts', 'renderer/vite.config.js', 'vite.config.ts', 'vite.config.js'].map((p) => join(root, p)).find((p) => existsSync(p)) ?? null;
}

function run(command, args, what) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`start: ${what} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

/** Runs a child in the foreground: Ctrl-C reaches it, its exit code becomes ours. */
function foreground(command, args, env) {
  const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit', env });
  process.on('SIGINT', () => {}); // the terminal sends it to the child too; wait for the child to exit
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function main() {
  let decision = decideLaunch();
  if (process.env.LIFEBOAT_START_DRY_RUN === '1') {
    const says = { electron: `start: would launch Electron (${decision.electron})`, 'fetch-electron': `start: would fetch the Electron binary, then launch it (${decision.reason})`, demo: `start: would run the headless demo: ${decision.reason}` };
    console.log(says[decision.mode]);
    return;
  }
  if (decision.mode === 'fetch-electron') {
    decision = fetchElectron() ? decideLaunch() : { mode: 'demo', reason: 'the Electron binary could not be fetched' };
  }
  if (decision.mode === 'demo') {
    console.log(`start: not launching the desktop app: ${decision.reason}; running \`lifeboat demo\` instead (open the URL it prints).`);
    foreground(process.execPath, [join(ROOT, 'bin', 'lifeboat.js'), 'demo', ...process.argv.slice(2)], process.env);
    return;
  }
  const config = rendererViteConfig(ROOT);
  if (!config) {
    console.error('start: the renderer has no vite config yet (renderer/vite.config.ts); try `npm run demo`');
    process.exit(1);
  }
  run(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', config], 'building the renderer');
  run(process.execPath, [join(ROOT, 'scripts', 'build-electron.js')], 'building the Electron bundles');
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE; // set, it would make Electron behave as plain Node
  foreground(decision.electron, [ROOT, ...process.argv.slice(2)], env);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
