// The kill -9 soak: the crash-durability test at 1000 rounds (LIFEBOAT_KILL_ROUNDS to change).
// A child saves a growing note through Vault.save as fast as it can; the parent SIGKILLs it at a
// random moment, reopens the vault and checks every acknowledged save. Losses must be 0.
//   node tests/bench/vaultSoak.bench.ts           (npm run bench -- vaultSoak)
import { runKillRounds } from '../fixtures/vault/killRounds.ts';
import { cleanupTempDirs } from '../fixtures/vault/vaultTestKit.ts';
import { reportBench } from './benchReport.ts';

const rounds = Number(process.env.LIFEBOAT_KILL_ROUNDS ?? 1000);
const seed = Number(process.env.LIFEBOAT_KILL_SEED ?? 19700101);

try {
  const result = await runKillRounds({ rounds, seed });
  for (const problem of result.problems) console.error(`LOSS: ${problem}`);
  reportBench(
    'vaultSoak',
    [
      { metric: 'rounds (kill -9)', value: result.rounds, unit: 'rounds', target: `${rounds}`, met: result.rounds === rounds },
      { metric: 'rounds that acknowledged saves', value: result.roundsWithSaves, unit: 'rounds' },
      { metric: 'acknowledged saves', value: result.acknowledgedSaves, unit: 'saves' },
      { metric: 'acknowledged revisions', value: result.acknowledgedRevisions, unit: 'revisions' },
      { metric: 'losses', value: result.losses, unit: 'saves', target: '0', met: result.losses === 0 && result.problems.length === 0 },
      { metric: 'time', value: result.ms / 1000, unit: 's' },
    ],
    { rounds, seed, lanes: 2, killDelay: '0-60 ms after ready', problems: result.problems.slice(0, 20) },
  );
  process.exitCode = result.losses === 0 && result.problems.length === 0 && result.rounds === rounds ? 0 : 1;
} finally {
  cleanupTempDirs();
}
