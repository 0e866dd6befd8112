import { afterAll, describe, expect, it } from 'vitest';
import { runKillRounds } from '../fixtures/vault/killRounds.ts';
import { cleanupTempDirs } from '../fixtures/vault/vaultTestKit.ts';

// LIFEBOAT_KILL_ROUNDS=1000 is the soak (tests/bench/vaultSoak.bench.ts); npm test runs 200.
const ROUNDS = Number(process.env.LIFEBOAT_KILL_ROUNDS ?? 200);
const SEED = Number(process.env.LIFEBOAT_KILL_SEED ?? 20260105);

afterAll(cleanupTempDirs);

describe('vault crash durability (kill -9)', () => {
  // A literal title, so the hazard log (docs/clinical-safety.md) can cite it; rounds and seed are in the messages.
  it('keeps every acknowledged save across repeated SIGKILLs at random moments', async () => {
    const result = await runKillRounds({ rounds: ROUNDS, seed: SEED });
    expect(result.problems, `${ROUNDS} rounds, seed ${SEED}`).toEqual([]);
    expect(result.losses, `${ROUNDS} rounds, seed ${SEED}`).toBe(0);
    expect(result.rounds).toBe(ROUNDS);
    // The kills really landed mid-typing: most rounds acknowledged saves, revisions were written.
    // (Loose bounds: a busy machine saves less per round, and that must not fail the test.)
    expect(result.roundsWithSaves).toBeGreaterThan(ROUNDS * 0.5);
    expect(result.acknowledgedRevisions).toBeGreaterThan(ROUNDS * 0.25);
    expect(result.acknowledgedSaves).toBeGreaterThan(result.acknowledgedRevisions);
  }, 180_000);

  it('control: a child that acknowledges saves before making them is caught as losing data', async () => {
    const result = await runKillRounds({ rounds: 8, seed: SEED, ackEarly: true });
    expect(result.losses).toBeGreaterThan(0);
    expect(result.problems.join('\n')).toMatch(/neither the last durable one .* nor a later save|acknowledged revision 1 is missing|acknowledged saves lost/);
  }, 60_000);
});
