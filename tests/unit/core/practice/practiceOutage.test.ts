import { describe, expect, it } from 'vitest';
import { practiceOutageNow, type MergeResult } from '../../../../app/core/practice/mergePractice.ts';
import { defaultMinWorkstations, detectOutages, type TroubleEvent } from '../../../../app/core/practice/outageDetection.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 5, 9, 0);
const ev = (minute: number, workstation: number, kind: TroubleEvent['kind'] = 'crash'): TroubleEvent => ({ at: T0 + minute * MIN, workstation, kind });
const detect = (events: TroubleEvent[], k = 3, windowMin = 10) => detectOutages(events, { windowMs: windowMin * MIN, minWorkstations: k });

describe('practice-wide outage detection', () => {
  it('is an outage when K distinct workstations have trouble within T', () => {
    const [o] = detect([ev(0, 1), ev(4, 2, 'hang'), ev(9, 3, 'slow')]);
    expect(o).toMatchObject({ firstSeen: T0, lastSeen: T0 + 9 * MIN, workstations: [1, 2, 3], incidents: 3, kinds: { crash: 1, hang: 1, slow: 1, exit: 0 } });
  });

  it('is not an outage when the same PC has many incidents, or fewer than K PCs do', () => {
    expect(detect([ev(0, 1), ev(1, 1), ev(2, 1), ev(3, 1), ev(4, 2)])).toEqual([]);
  });

  it('is not an outage when the trouble is spread wider than T', () => {
    expect(detect([ev(0, 1), ev(6, 2), ev(12, 3)])).toEqual([]);
    expect(detect([ev(0, 1), ev(5, 2), ev(10, 3)])).toHaveLength(1); // exactly T apart still counts
  });

  it('grows one outage while overlapping windows stay hot, and counts every PC inside it', () => {
    const events = [ev(0, 1), ev(3, 2), ev(6, 3), ev(12, 4), ev(14, 5), ev(15, 6), ev(40, 7)];
    const outages = detect(events);
    expect(outages).toHaveLength(1);
    expect(outages[0]!.workstations).toEqual([1, 2, 3, 4, 5, 6]);
    expect(outages[0]!.lastSeen).toBe(T0 + 15 * MIN);
  });

  it('separates two outages with a calm gap between them', () => {
    const events = [ev(0, 1), ev(1, 2), ev(2, 3), ev(60, 4), ev(61, 5), ev(62, 1)];
    const outages = detect(events);
    expect(outages.map((o) => o.workstations)).toEqual([
      [1, 2, 3],
      [1, 4, 5],
    ]);
  });

  it('does not care about input order', () => {
    const events = [ev(9, 3), ev(0, 1), ev(4, 2)];
    expect(detect(events)).toHaveLength(1);
  });

  it('defaults K to 3, or half a small practice, never below 2', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 40, 500].map(defaultMinWorkstations)).toEqual([2, 2, 2, 2, 3, 3, 3, 3, 3]);
  });
});

describe('practiceOutageNow (for the notify policy)', () => {
  const merge: Pick<MergeResult, 'outages' | 'settings'> = {
    settings: { windowMs: 10 * MIN, minWorkstations: 3, skewToleranceMs: 2 * MIN, since: null },
    outages: [
      { id: 'outage-a', firstSeen: new Date(T0).toISOString(), lastSeen: new Date(T0 + 5 * MIN).toISOString(), affected: 3, workstations: ['A', 'B', 'C'], incidents: 3, kinds: { crash: 3, hang: 0, slow: 0, exit: 0 } },
      { id: 'outage-b', firstSeen: new Date(T0 + 60 * MIN).toISOString(), lastSeen: new Date(T0 + 70 * MIN).toISOString(), affected: 5, workstations: ['A', 'B', 'C', 'D', 'E'], incidents: 9, kinds: { crash: 1, hang: 4, slow: 4, exit: 0 } },
    ],
  };

  it('returns the outage still going on, shaped like the notify input', () => {
    expect(practiceOutageNow(merge, T0 + 75 * MIN)).toEqual({ id: 'outage-b', workstations: 5, since: T0 + 60 * MIN, lastSeen: T0 + 70 * MIN, names: ['A', 'B', 'C', 'D', 'E'] });
  });

  it('returns null once the practice has been calm for the window', () => {
    expect(practiceOutageNow(merge, T0 + 81 * MIN)).toBeNull();
    expect(practiceOutageNow(merge, T0 + 30 * MIN)).toBeNull();
    expect(practiceOutageNow(merge, T0 + 30 * MIN, { activeWithinMs: 30 * MIN })!.id).toBe('outage-a');
  });
});
