#!/usr/bin/env node
// Runs vitest's suite and then the Windows lane, the lane even when the suite failed, so one CI
// run reports both; exits non-zero when either failed. (`npm test` runs the type check and lint
// before this: a program that does not compile is not worth testing.)
import { spawnSync } from 'node:child_process';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = (script) => spawnSync(npm, ['run', '--silent', script], { stdio: 'inherit' }).status ?? 1;
const suite = run('test:unit');
const lane = run('test:windows');
if (suite !== 0 || lane !== 0) {
  console.error(`tests failed: ${[suite !== 0 ? 'the suite (npm run test:unit)' : null, lane !== 0 ? 'the Windows lane (npm run test:windows)' : null].filter(Boolean).join(' and ')}`);
  process.exit(1);
}
