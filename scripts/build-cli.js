#!/usr/bin/env node
// Bundles the `lifeboat` command for deployment: out/cli/lifeboat.mjs, its chunks/ (loaded on
// demand) and the simulated client.
//   node scripts/build-cli.js
// bin/lifeboat.js runs the TypeScript sources directly (Node 24 type stripping), which is right
// for development; the bundle is what a practice runs headless (`node out/cli/lifeboat.mjs watch`):
// it starts faster and needs ~35 MB less memory, because no type stripper is loaded and the
// module graph is one parsed file.
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export async function buildCli({ root = ROOT, outDir = join(root, 'out', 'cli') } = {}) {
  const common = {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    logLevel: 'warning',
    absWorkingDir: root,
    legalComments: 'none',
    // ES module builds first: a UMD build (jsonc-parser's) requires its own files at run time, which a bundle cannot follow.
    mainFields: ['module', 'main'],
    // The native module loads its own prebuilt binary; Vite is only for building the screens, which
    // `npm run build:cli` does first, so the bundle serves out/renderer without it.
    external: ['better-sqlite3-multiple-ciphers', 'vite', 'koffi'],
    // Bundled CommonJS dependencies call require(); give the ES module one.
    banner: { js: "import { createRequire as __lifeboatRequire } from 'node:module'; const require = __lifeboatRequire(import.meta.url);" },
    // app/core/runtime/runtimeEntries.ts: the watcher and the worker threads are entries of their own here.
    define: { LIFEBOAT_BUNDLE_EXT: '".mjs"' },
  };
  const vite = await import('vite');
  await vite.build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
  // Split at dynamic imports: the Windows capture code (and koffi, imported at its top) stays in a
  // chunk that only Windows loads, instead of being hoisted into the start of one file.
  // The running service starts the watcher process (watcher.mjs) and two worker threads
  // (vaultWorker.mjs, sourceWorker.mjs) from files beside lifeboat.mjs: app/core/runtime/runtimeEntries.ts.
  const entryPoints = {
    lifeboat: join(root, 'app/cli/main.ts'),
    watcher: join(root, 'app/core/runtime/watcherMain.ts'),
    vaultWorker: join(root, 'app/core/vault/vaultWorkerMain.ts'),
    sourceWorker: join(root, 'app/core/runtime/sourceWorker.ts'),
  };
  // Chunk names change with their content: old ones would pile up beside the new.
  rmSync(join(outDir, 'chunks'), { recursive: true, force: true });
  await build({ ...common, entryPoints, outdir: outDir, splitting: true, chunkNames: 'chunks/[name]-[hash]', outExtension: { '.js': '.mjs' } });
  await build({ ...common, entryPoints: [join(root, 'app/cli/sim/simClient.ts')], outfile: join(outDir, 'simClient.mjs') });
  return { cli: join(outDir, 'lifeboat.mjs'), simClient: join(outDir, 'simClient.mjs'), watcher: join(outDir, 'watcher.mjs') };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildCli();
  console.log(`built ${out.cli}`);
}
