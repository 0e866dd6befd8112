// The `lifeboat` command for tests: the same program as bin/lifeboat.js, with the machine policy
// at a file the test names. The product has no such switch (a user could drop the practice's
// policy with it); this entry lives in tests/, which no
// build a practice installs contains (the CLI bundle and the Electron app are built from
// app/cli/main.ts and app/main/main.ts) and production code may not import.
//
//   node tests/support/lifeboatUnderTest.ts --machine-policy <file> <command> [options]
import { runLifeboatCli } from '../../app/cli/program.ts';

const FLAG = '--machine-policy';
const [node = process.execPath, script = 'lifeboatUnderTest.ts', flag, policyPath, ...rest] = process.argv;
if (flag !== FLAG || policyPath === undefined || policyPath === '') {
  process.stderr.write(`lifeboatUnderTest: the first arguments must be ${FLAG} <file>\n`);
  process.exit(2);
}
await runLifeboatCli([node, script, ...rest], { policy: { path: policyPath, caveat: null } });
