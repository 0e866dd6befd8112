// npm run bench [-- name-filter]: runs each tests/bench/*.bench.ts in its own Node process, in turn.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const dir = import.meta.dirname;
const filter = process.argv[2];
const benches = readdirSync(dir).filter((f) => f.endsWith('.bench.ts') && (!filter || f.includes(filter))).sort();
let failed = 0;
for (const file of benches) {
  console.log(`\n=== ${file}`);
  const result = spawnSync(process.execPath, ['--expose-gc', join(dir, file)], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
console.log(`\n${benches.length} benchmarks ran, ${failed} failed (missed a target or stopped); JSON in bench-results/`);
process.exitCode = failed ? 1 : 0;
