import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../../app/common/incident.ts';
import { groupsForIncidents, incidentWindow, NOTE_LOOKBACK_MS, NOTE_SLACK_MS, noteBeforeIncident, type DraftSaves } from '../../../../app/core/recovery/noteBeforeIncident.ts';

const T = Date.UTC(2026, 0, 5, 9, 0, 0);
const S = 1000;
const MIN = 60 * S;
const crashAt = (at: number, kind: Incident['kind'] = 'crash'): Pick<Incident, 'id' | 'kind' | 'startedAt'> => ({ id: `i-${at}`, kind, startedAt: new Date(at).toISOString() });
const draft = (id: string, saveTimes: number[], state: DraftSaves['state'] = 'open'): DraftSaves => ({ id, state, saveTimes });

describe('the note from before the crash: one rule', () => {
  it('groups every draft saved in the 30 minutes before the crash, newest save first, and offers the newest', () => {
    const drafts = [draft('earlier', [T - 20 * MIN, T - 10 * MIN]), draft('later', [T - 3 * S]), draft('too-old', [T - 31 * MIN])];
    const { group, offered } = noteBeforeIncident(crashAt(T), drafts);
    expect(group.map((m) => [m.draft.id, m.secondsBefore])).toEqual([
      ['later', 3],
      ['earlier', 600],
    ]);
    expect(offered?.draft.id).toBe('later');
  });

  it('counts a save within 2 s after the crash signal as before it (whole-second log times, once-a-second capture), not one after', () => {
    const { group } = noteBeforeIncident(crashAt(T), [draft('in-slack', [T + NOTE_SLACK_MS]), draft('after', [T + NOTE_SLACK_MS + 1])]);
    expect(group.map((m) => [m.draft.id, m.secondsBefore])).toEqual([['in-slack', 0]]);
  });

  it('takes the last save before the crash, not a later one, and keeps the lookback edge inclusive', () => {
    const { group } = noteBeforeIncident(crashAt(T), [draft('typed-on', [T - 5 * S, T + 90 * S]), draft('edge', [T - NOTE_LOOKBACK_MS])]);
    expect(group.map((m) => [m.draft.id, m.lastSavedBefore])).toEqual([
      ['typed-on', T - 5 * S],
      ['edge', T - NOTE_LOOKBACK_MS],
    ]);
  });

  it('lists a done note but never offers it; a discarded one is not there at all', () => {
    const drafts = [draft('done', [T - S], 'saved-in-client'), draft('gone', [T - S], 'discarded'), draft('open', [T - 60 * S]), draft('restored', [T - 120 * S], 'recovered')];
    const { group, offered } = noteBeforeIncident(crashAt(T), drafts);
    expect(group.map((m) => m.draft.id)).toEqual(['done', 'open', 'restored']);
    expect(offered?.draft.id).toBe('open');
    expect(noteBeforeIncident(crashAt(T), [draft('done', [T - S], 'saved-in-client')]).offered).toBeNull();
  });

  it('a crash, a hang and an unexplained exit have notes from before them; a slowdown has none', () => {
    const drafts = [draft('d', [T - MIN])];
    for (const kind of ['crash', 'hang', 'exit'] as const) expect(noteBeforeIncident(crashAt(T, kind), drafts).group).toHaveLength(1);
    expect(noteBeforeIncident(crashAt(T, 'slow'), drafts)).toEqual({ group: [], offered: null });
  });

  it('breaks a tie in save time by id, so every caller offers the same note', () => {
    expect(noteBeforeIncident(crashAt(T), [draft('b', [T - S]), draft('a', [T - S])]).offered?.draft.id).toBe('a');
  });

  it('asks the vault for exactly the window it decides on', () => {
    expect(incidentWindow(crashAt(T))).toEqual({ from: T - NOTE_LOOKBACK_MS, to: T + NOTE_SLACK_MS });
  });

  it('lists a draft before two crashes once, under the newer, and offers per listed group', () => {
    const first = crashAt(T);
    const second = crashAt(T + 5 * MIN);
    const drafts = [draft('both', [T - MIN, T + 4 * MIN]), draft('first-only', [T - 29 * MIN])];
    const groups = groupsForIncidents([first, second], drafts);
    expect(groups.map((g) => [g.incident.id, g.group.map((m) => m.draft.id), g.offered?.draft.id ?? null])).toEqual([
      [second.id, ['both'], 'both'],
      [first.id, ['first-only'], 'first-only'],
    ]);
    // The first crash's own group still holds both: listing once is Recovery's presentation, not the rule.
    expect(noteBeforeIncident(first, drafts).group.map((m) => m.draft.id)).toEqual(['both', 'first-only']);
  });
});
