#!/usr/bin/env node
// The `lifeboat` command. Node 24 runs the TypeScript sources directly (type stripping),
// so there is no build step between `npm ci` and `npx lifeboat`. An older Node cannot load them:
// it gets one line saying what to do instead of a stack trace. (The bundled CLI,
// out/cli/lifeboat.mjs, is plain JavaScript and runs on Node 22 as well.)
import { nodeVersionProblem } from './nodeVersion.js';

const problem = nodeVersionProblem(process.versions.node);
if (problem) {
  process.stderr.write(`lifeboat: ${problem}\n`);
  process.exit(1);
}
await import('../app/cli/main.ts');
