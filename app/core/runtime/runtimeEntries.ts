import { fileURLToPath } from 'node:url';

/**
 * The files the running service starts as other processes and threads. From the TypeScript
 * sources they are the .ts modules beside this one; in a bundle (scripts/build-cli.js,
 * scripts/build-electron.js) each is an entry point of its own at the top of the output folder.
 */
export interface RuntimeEntries {
  /** The watcher process (child_process.fork, or Electron's utilityProcess.fork). */
  watcher: string;
  /** The vault maintenance worker thread of the note side. */
  vaultWorker: string;
  /** The watcher's worker thread for hostile input: log record matching, event exports (sourceWorker.ts). */
  sourceWorker: string;
}

/** Defined by the bundlers (esbuild `define`) as the extension of the bundled entries, ".mjs" or ".cjs". */
declare const LIFEBOAT_BUNDLE_EXT: string | undefined;

export function defaultRuntimeEntries(): RuntimeEntries {
  if (typeof LIFEBOAT_BUNDLE_EXT === 'string') {
    // Bundles split into chunks/ below the entries; this module may have landed in one.
    let dir = new URL('.', import.meta.url);
    if (dir.pathname.endsWith('/chunks/')) dir = new URL('..', dir);
    const entry = (name: string): string => fileURLToPath(new URL(`${name}${LIFEBOAT_BUNDLE_EXT}`, dir));
    return { watcher: entry('watcher'), vaultWorker: entry('vaultWorker'), sourceWorker: entry('sourceWorker') };
  }
  const source = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));
  return { watcher: source('./watcherMain.ts'), vaultWorker: source('../vault/vaultWorkerMain.ts'), sourceWorker: source('./sourceWorker.ts') };
}

/**
 * For the worker threads: a young generation of 4 MB instead of V8's default (16 MB and more),
 * since each thread is an isolate with a heap of its own and their work makes little garbage.
 */
export const SMALL_YOUNG_GENERATION = { maxYoungGenerationSizeMb: 4 } as const;
