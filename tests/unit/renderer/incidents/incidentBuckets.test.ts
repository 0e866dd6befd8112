import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../../app/common/incident.ts';
import { bucketIncidents, floorTo } from '../../../../renderer/src/incidents/buckets.ts';

const HOUR = 3_600_000;
const incident = (kind: Incident['kind'], at: number): Incident => ({ id: `${kind}-${at}`, kind, app: 'EmisWeb.exe', profile: 'emis-web', startedAt: new Date(at).toISOString(), endedAt: null, sources: ['process'], evidence: [], signature: null });

describe('incident chart buckets', () => {
  it('counts per hour and kind, keeping empty hours', () => {
    const from = floorTo(Date.UTC(2026, 0, 5, 8, 0, 0), 'hour');
    const incidents = [incident('crash', from + 10 * 60_000), incident('crash', from + 20 * 60_000), incident('slow', from + 2 * HOUR + 1), incident('hang', from - HOUR)];
    const buckets = bucketIncidents(incidents, { from, to: from + 3 * HOUR - 1, unit: 'hour' });
    expect(buckets.map((b) => b.total)).toEqual([2, 0, 1]);
    expect(buckets[0]!.counts).toEqual({ crash: 2, hang: 0, slow: 0, exit: 0 });
    expect(buckets[2]!.counts.slow).toBe(1);
  });

  it('counts per local day', () => {
    const day = floorTo(Date.UTC(2026, 0, 5, 12, 0, 0), 'day');
    const buckets = bucketIncidents([incident('exit', day + 1), incident('exit', day + 25 * HOUR)], { from: day, to: day + 2 * 24 * HOUR - 1, unit: 'day' });
    expect(buckets.map((b) => b.total)).toEqual([1, 1]);
  });
});
