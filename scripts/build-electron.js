#!/usr/bin/env node
// Bundles the Electron main process and the preload into out/ (CommonJS, what Electron loads):
//   node scripts/build-electron.js [--out DIR]
//   out/main/main.cjs        app/main/main.ts, platform node; electron and the native modules
//                            (SQLite, koffi) stay external (their .node files are unpacked from the asar)
//   out/preload/preload.cjs  app/preload/preload.ts, one self-contained file: a sandboxed
//                            preload cannot require anything but electron. Built for the browser
//                            platform so a Node built-in sneaking in fails the build.
//   out/main/watcher.cjs      the watcher process (Electron utilityProcess.fork), and the worker threads
//   out/main/vaultWorker.cjs  of the note side (vault maintenance) and of the watcher (record matching,
//   out/main/sourceWorker.cjs event exports), each an entry of its own (app/core/runtime/runtimeEntries.ts)
//   out/tray, out/app        the icons main loads at run time (from assets/)
// If the renderer has been built (out/renderer/index.html), its Content-Security-Policy meta tag
// is set from app/main/windowSecurity.ts: pages loaded from file:// get no response headers, so
// the meta tag is the only way their CSP arrives.
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Syntax targets below what Electron 45 ships (newer Node and Chromium): lowering is always safe. */
const NODE_TARGET = 'node22';
const CHROME_TARGET = 'chrome130';

export async function buildElectron({ root = ROOT, outDir = join(root, 'out') } = {}) {
  const common = { bundle: true, format: 'cjs', sourcemap: true, logLevel: 'warning', absWorkingDir: root, legalComments: 'none' };
  const node = {
    ...common,
    platform: 'node',
    target: NODE_TARGET,
    // koffi (text capture on Windows) is a native module too: loaded from node_modules, unpacked.
    external: ['electron', 'better-sqlite3-multiple-ciphers', 'koffi'],
    // CommonJS has no import.meta: the core's entry lookup (runtimeEntries.ts) gets this file's URL instead.
    banner: { js: "const __lifeboatImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    define: { 'import.meta.url': '__lifeboatImportMetaUrl', LIFEBOAT_BUNDLE_EXT: '".cjs"' },
  };
  await build({ ...node, entryPoints: [join(root, 'app/main/main.ts')], outfile: join(outDir, 'main/main.cjs') });
  for (const [name, source] of [
    ['watcher', 'app/core/runtime/watcherMain.ts'],
    ['vaultWorker', 'app/core/vault/vaultWorkerMain.ts'],
    ['sourceWorker', 'app/core/runtime/sourceWorker.ts'],
  ]) {
    await build({ ...node, entryPoints: [join(root, source)], outfile: join(outDir, `main/${name}.cjs`) });
  }
  await build({
    ...common,
    entryPoints: [join(root, 'app/preload/preload.ts')],
    outfile: join(outDir, 'preload/preload.cjs'),
    platform: 'browser',
    target: CHROME_TARGET,
    external: ['electron'],
    minify: true,
  });
  cpSync(join(root, 'assets/tray'), join(outDir, 'tray'), { recursive: true });
  mkdirSync(join(outDir, 'app'), { recursive: true });
  cpSync(join(root, 'assets/app/icon.png'), join(outDir, 'app/icon.png'));
  const cspSet = await setRendererCsp(join(outDir, 'renderer/index.html'));
  return { main: join(outDir, 'main/main.cjs'), preload: join(outDir, 'preload/preload.cjs'), rendererCsp: cspSet };
}

const CSP_META = /<meta\s+http-equiv=["']Content-Security-Policy["'][^>]*>\s*/gi;

/** Puts exactly one CSP meta tag, ours, first in <head>. Returns false when there is no built renderer. */
export async function setRendererCsp(indexPath) {
  if (!existsSync(indexPath)) return false;
  const { contentSecurityPolicy } = await import('../app/main/windowSecurity.ts');
  const csp = contentSecurityPolicy({ forMetaTag: true });
  const html = readFileSync(indexPath, 'utf8');
  const withoutOld = html.replace(CSP_META, '');
  const head = /<head[^>]*>/i.exec(withoutOld);
  if (!head) throw new Error(`${indexPath} has no <head>: cannot set its Content-Security-Policy`);
  const tag = `\n    <meta http-equiv="Content-Security-Policy" content="${csp}">`;
  const at = head.index + head[0].length;
  writeFileSync(indexPath, withoutOld.slice(0, at) + tag + withoutOld.slice(at));
  return true;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outFlag = process.argv.indexOf('--out');
  const outDir = outFlag > 0 ? resolve(process.argv[outFlag + 1] ?? '') : undefined;
  buildElectron(outDir ? { outDir } : {}).then(
    (result) => console.log(`build-electron: wrote ${result.main} and ${result.preload}${result.rendererCsp ? '; renderer CSP set' : ''}`),
    (err) => {
      console.error(`build-electron: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
