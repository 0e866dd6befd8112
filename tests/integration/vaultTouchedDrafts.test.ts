import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../app/common/clock.ts';
import { cleanupTempDirs, openTestVault, tempDir } from '../fixtures/vault/vaultTestKit.ts';

afterAll(cleanupTempDirs);

const MIN = 60_000;

describe('draftsTouchedBetween: the bounded read behind "the note before the crash"', () => {
  it('gives the drafts saved in the window with their save times there, a checkpoint at its text’s save time, nothing outside', () => {
    const clock = new ManualClock();
    const vault = openTestVault(tempDir(), { clock });
    const t0 = clock.now();
    vault.save({ id: 'old', body: 'saved long before' });
    clock.advance(40 * MIN);
    const from = clock.now();
    vault.save({ id: 'inside', body: 'first words' });
    clock.advance(1000);
    vault.save({ id: 'inside', body: 'first words and more' }); // coalesced: only updated_at has this time
    clock.advance(5 * MIN);
    vault.checkpointOpenDrafts('pre-crash'); // keeps the text saved 5 min earlier, at that time
    const to = clock.now();
    clock.advance(MIN);
    vault.save({ id: 'after', body: 'typed after the window' });

    const touched = vault.draftsTouchedBetween(from, to);
    expect(touched.map((d) => [d.id, d.state, [...d.saveTimes].sort()])).toEqual([['inside', 'open', [from, from + 1000]]]);
    expect(vault.draftsTouchedBetween(t0, t0).map((d) => d.id)).toEqual(['old']);
    // Once it is typed on past the window, its earlier saves are still found by their revisions.
    vault.save({ id: 'inside', body: 'first words and more, typed on after the crash' });
    expect(vault.draftsTouchedBetween(from, to).map((d) => [d.id, [...d.saveTimes].sort()])).toEqual([['inside', [from, from + 1000]]]);
    vault.close();
  });
});
