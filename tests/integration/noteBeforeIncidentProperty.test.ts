import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../app/common/clock.ts';
import type { DraftOrigin } from '../../app/common/draft.ts';
import type { Incident } from '../../app/common/incident.ts';
import { LifeboatEvents } from '../../app/core/api/apiBackend.ts';
import { uiReads } from '../../app/core/api/uiReads.ts';
import { loadConfig } from '../../app/core/config/configFile.ts';
import type { NotifyInput } from '../../app/core/notify/notifyPolicy.ts';
import { NOTE_LOOKBACK_MS, NOTE_SLACK_MS } from '../../app/core/recovery/noteBeforeIncident.ts';
import { LifeboatService } from '../../app/core/service.ts';
import type { IncidentChange } from '../../app/core/incidents/correlator.ts';
import { Vault } from '../../app/core/vault/vault.ts';
import { FixedKeySource, newVaultKey } from '../../app/core/vault/vaultKey.ts';

/**
 * The property of issue 14: whatever the GP saves and the client does, the note the crash
 * notification names is in Recovery's group for that crash, and that group holds every note saved
 * in the lookback before it and no other. Checked against the real thing: a real encrypted vault
 * file, the real service choosing the notification's note, Recovery's real read.
 *
 * Saves are at least 2 s apart: the vault times a save by its revision, or by the pause revision
 * the next save writes when it comes 2 s or more later (revisionPolicy.ts). Saves closer together
 * are coalesced and timed by the last of them, as the rule's comment says.
 */

const DRAFTS = ['a', 'b', 'c', 'd'] as const;
type Step =
  | { type: 'save'; draft: number; origin: DraftOrigin; gapMs: number }
  | { type: 'done' | 'discard' | 'reopen'; draft: number }
  | { type: 'incident'; kind: 'crash' | 'hang' | 'exit'; gapMs: number; evidenceEarlierMs: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ type: fc.constant('save' as const), draft: fc.nat(DRAFTS.length - 1), origin: fc.constantFrom<DraftOrigin>('note', 'note', 'capture'), gapMs: fc.integer({ min: 2_000, max: 20 * 60_000 }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constantFrom('done' as const, 'discard' as const, 'reopen' as const), draft: fc.nat(DRAFTS.length - 1) }) },
  // The incident starts up to 10 s before it is handled (its earliest evidence), never before the last one.
  { weight: 2, arbitrary: fc.record({ type: fc.constant('incident' as const), kind: fc.constantFrom('crash' as const, 'hang' as const, 'exit' as const), gapMs: fc.integer({ min: 10_000, max: 40 * 60_000 }), evidenceEarlierMs: fc.integer({ min: 0, max: 10_000 }) }) },
);

interface Model {
  saves: Map<string, number[]>;
  state: Map<string, 'open' | 'saved-in-client' | 'recovered'>;
}

function runScenario(steps: readonly Step[]): void {
  const dir = mkdtempSync(join(tmpdir(), 'lifeboat-note-before-'));
  const clock = new ManualClock();
  const vault = Vault.open({ dir, keySource: new FixedKeySource(newVaultKey()), clock });
  try {
    const service = new LifeboatService({ vault, config: loadConfig({ env: {} }), clock, events: new LifeboatEvents(), stateDir: dir, platform: 'linux', env: {} });
    const offeredToNotification: Array<{ id: string; savedAt: number } | null> = [];
    const handle = service.notifyPolicy.handle.bind(service.notifyPolicy);
    service.notifyPolicy.handle = (input: NotifyInput) => {
      if (input.type === 'incident') offeredToNotification.push(input.nearestDraft ?? null);
      return handle(input);
    };
    // What the correlator calls when it opens an incident: the service's own path to the notification.
    const opened = (incident: Incident): void => (service as unknown as { handleIncident(i: Incident, c: IncidentChange): void }).handleIncident(incident, 'opened');
    const model: Model = { saves: new Map(), state: new Map() };
    let n = 0;

    for (const s of steps) {
      if (s.type === 'save') {
        clock.advance(s.gapMs);
        const id = DRAFTS[s.draft]!;
        vault.save({ id, body: `invented note ${id}, save ${++n}` }, { origin: model.saves.has(id) ? 'note' : s.origin });
        model.saves.set(id, [...(model.saves.get(id) ?? []), clock.now()]);
        if (model.state.get(id) !== 'recovered') model.state.set(id, 'open'); // new text reopens a done note
        continue;
      }
      if (s.type !== 'incident') {
        const id = DRAFTS[s.draft]!;
        if (!model.state.has(id)) continue;
        if (s.type === 'discard') {
          vault.discard(id);
          model.state.delete(id);
          model.saves.delete(id);
        } else {
          const state = s.type === 'done' ? 'saved-in-client' : 'open';
          vault.setState(id, state);
          model.state.set(id, state);
        }
        continue;
      }
      clock.advance(s.gapMs);
      const at = clock.now() - s.evidenceEarlierMs;
      // The trouble signal checkpoints open notes first, as the running service does.
      vault.checkpointOpenDrafts('pre-crash');
      const incident: Incident = { id: `inc-${n++}`, kind: s.kind, app: 'EmisWeb.exe', profile: 'emis-web', startedAt: new Date(at).toISOString(), endedAt: null, sources: ['process'], evidence: [], signature: null };
      opened(incident);
      const notified = offeredToNotification.at(-1) ?? null;

      // The model: every note saved in [at − lookback, at + slack], its last save there, newest first.
      const expected = [...model.saves.entries()]
        .map(([id, times]) => ({ id, last: Math.max(...times.filter((t) => t <= at + NOTE_SLACK_MS)) }))
        .filter((d) => d.last >= at - NOTE_LOOKBACK_MS)
        .sort((x, y) => y.last - x.last || (x.id < y.id ? -1 : 1));
      const expectedOffer = expected.find((d) => model.state.get(d.id) !== 'saved-in-client') ?? null;

      // Recovery's read, as the worker and the API run it.
      const groups = uiReads.recoveryCandidates(vault, clock.now(), []);
      const group = groups.find((g) => g.incident?.id === incident.id);
      // (b) the group holds every draft touched in the lookback before it, and none outside it.
      expect(group?.drafts.map((d) => [d.id, d.lastSavedBeforeIncident]) ?? []).toEqual(expected.map((d) => [d.id, new Date(d.last).toISOString()]));
      // (a) the notified draft is a member of that group, the one Recovery opens first.
      expect(notified?.id ?? null).toBe(expectedOffer?.id ?? null);
      if (notified) {
        expect(group!.drafts.map((d) => d.id)).toContain(notified.id);
        expect(group!.offeredDraftId).toBe(notified.id);
        expect(notified.savedAt).toBe(expectedOffer!.last);
      } else {
        expect(group?.offeredDraftId ?? null).toBeNull();
      }
    }
  } finally {
    vault.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the note from before the crash, on the real vault and service (property)', () => {
  it('for any saves, captures and incidents: the notified note is in Recovery’s group, which holds exactly the notes saved in the lookback', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 30 }), (steps) => runScenario(steps)),
      { numRuns: 60 },
    );
  });
});
