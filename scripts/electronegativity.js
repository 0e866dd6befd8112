#!/usr/bin/env node
// Electronegativity (Doyensec's static checker for Electron apps) over app/, for Electron 45:
//   node scripts/electronegativity.js [--json]      (npm run check:electron)
// Exits 1 when it finds anything HIGH or MEDIUM; prints every finding either way.
//
// Run through its API rather than its command line, offline: its CLI resolves a `commander` it
// does not declare (and gets today's, whose API differs), and it fetches translations and the
// list of Electron releases from the internet. `got` is stubbed to fail at once, so the
// translations fall back to the bundled ones and the release check (which needs that list)
// is left out: Electron's version is pinned in package.json and updated on purpose.
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  if (request === 'got') return () => Promise.reject(new Error('offline: network access is stubbed out'));
  return originalLoad.call(this, request, parent, isMain);
};

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ELECTRON_VERSION = '45.0.0';
const FAILING = new Set(['HIGH', 'MEDIUM']);

async function main() {
  const run = require('@doyensec/electronegativity');
  // Its own chatter (the stubbed translation fetch failing, as expected) goes to stderr: stdout is the report.
  console.log = (...args) => process.stderr.write(`${args.join(' ')}\n`);
  const result = await run({ input: path.join(ROOT, 'app'), electronVersionOverride: ELECTRON_VERSION, excludeFromScan: ['AvailableSecurityFixesGlobalCheck'] });
  const findings = result.issues.map((i) => ({ id: i.id, severity: i.severity.name, confidence: i.confidence.name, file: path.relative(ROOT, i.file), line: i.location.line }));
  const failing = findings.filter((f) => FAILING.has(f.severity));
  if (process.argv.includes('--json')) {
    process.stdout.write(JSON.stringify({ checks: result.globalChecks + result.atomicChecks, errors: result.errors.length, findings }) + '\n');
  } else {
    for (const f of findings) process.stdout.write(`${f.severity.padEnd(13)} ${f.id} ${f.file}:${f.line}\n`);
    process.stdout.write(`electronegativity: ${result.globalChecks + result.atomicChecks} checks, ${failing.length} HIGH/MEDIUM, ${findings.length - failing.length} lower\n`);
  }
  process.exitCode = failing.length > 0 || result.errors.length > 0 ? 1 : 0;
}

main().catch((err) => {
  process.stderr.write(`electronegativity: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
});
