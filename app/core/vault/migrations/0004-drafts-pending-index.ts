import type { Migration } from './types.ts';

/**
 * Indexes the drafts that hold unrevisioned text, for checkpointOpenDrafts().
 *
 * That checkpoint runs when the watcher reports trouble with the clinical client, so it races
 * the crash. Without an index it read every draft with its body (about 0.5 s at 100k drafts,
 * tests/bench/vaultScale.bench.ts); the partial index holds only the few drafts being typed in.
 */
export const migration0004: Migration = {
  version: 4,
  name: 'drafts-pending-index',
  up(db) {
    db.exec('CREATE INDEX drafts_pending ON drafts (pending_changes) WHERE pending_changes > 0;');
  },
};
