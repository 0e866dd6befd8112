// Compiles app/core/watch/logs/literalFilter.wat into literalFilterWasm.ts (base64, so the CLI and
// Electron bundles need no extra file). Run after editing the .wat: node scripts/build-literal-filter.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import wabtInit from 'wabt';

const dir = join(import.meta.dirname, '..', 'app', 'core', 'watch', 'logs');

/** The module's bytes, as the test and this script both compute them. */
export async function literalFilterBytes(): Promise<Buffer> {
  const wabt = await wabtInit();
  const module = wabt.parseWat('literalFilter.wat', readFileSync(join(dir, 'literalFilter.wat'), 'utf8'));
  try {
    return Buffer.from(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}

if (import.meta.main) {
  const base64 = (await literalFilterBytes()).toString('base64');
  writeFileSync(
    join(dir, 'literalFilterWasm.ts'),
    `// Generated from literalFilter.wat by scripts/build-literal-filter.ts: do not edit.\nexport const LITERAL_FILTER_WASM = '${base64}';\n`,
  );
}
