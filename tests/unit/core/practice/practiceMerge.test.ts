// The practice merge without a share: what the share holds in, the practice view out.
import { describe, expect, it } from 'vitest';
import { mergeShareContents } from '../../../../app/core/practice/mergePractice.ts';
import type { WorkstationFiles } from '../../../../app/core/practice/shareReading.ts';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const MIN = 60_000;

/** One file written at `writtenAt` by the PC's clock and stamped `mtime` by the server. */
const station = (name: string, files: Array<{ writtenAt: number; mtime?: number; records: Array<[string, 'crash' | 'hang' | 'slow' | 'exit', number]> }>): WorkstationFiles => ({
  name,
  files: files.map((f, i) => ({ path: `/share/${name}/${i}`, writtenAt: f.writtenAt, mtime: f.mtime ?? f.writtenAt, records: f.records.map(([id, kind, at]) => ({ id, kind, at })) })),
});

describe('mergeShareContents', () => {
  it('finds an outage when three PCs are in trouble within the window, and counts each incident once in its latest state', () => {
    const stations = [
      station('RECEPTION-01', [
        { writtenAt: T0 + MIN, records: [['a', 'slow', T0]] },
        { writtenAt: T0 + 2 * MIN, records: [['a', 'hang', T0]] }, // the same incident, later: a hang now
      ]),
      station('ROOM-02', [{ writtenAt: T0 + 3 * MIN, records: [['b', 'crash', T0 + 2 * MIN]] }]),
      station('ROOM-03', [{ writtenAt: T0 + 5 * MIN, records: [['c', 'slow', T0 + 4 * MIN]] }]),
    ];
    const merged = mergeShareContents(stations, [], { now: T0 + 10 * MIN });
    expect(merged.workstations.map((w) => [w.name, w.incidents, w.counts])).toEqual([
      ['RECEPTION-01', 1, { crash: 0, hang: 1, slow: 0, exit: 0 }],
      ['ROOM-02', 1, { crash: 1, hang: 0, slow: 0, exit: 0 }],
      ['ROOM-03', 1, { crash: 0, hang: 0, slow: 1, exit: 0 }],
    ]);
    expect(merged.outages).toHaveLength(1);
    expect(merged.outages[0]).toMatchObject({ affected: 3, workstations: ['RECEPTION-01', 'ROOM-02', 'ROOM-03'], firstSeen: new Date(T0).toISOString() });
    expect(merged.generatedAt).toBe(new Date(T0 + 10 * MIN).toISOString());
  });

  it('corrects a PC whose clock is an hour ahead, so its trouble joins the others', () => {
    const ahead = 60 * MIN;
    const stations = [
      station('A', [{ writtenAt: T0 + MIN, records: [['a', 'crash', T0]] }]),
      station('B', [{ writtenAt: T0 + MIN, records: [['b', 'crash', T0 + MIN]] }]),
      station('C', [{ writtenAt: T0 + MIN + ahead, mtime: T0 + MIN, records: [['c', 'crash', T0 + 2 * MIN + ahead]] }]),
    ];
    const merged = mergeShareContents(stations, [], { now: T0 + 10 * MIN });
    expect(merged.workstations.find((w) => w.name === 'C')).toMatchObject({ clockSkewMs: ahead, skewCorrected: true, lastIncidentAt: new Date(T0 + 2 * MIN).toISOString() });
    expect(merged.outages[0]).toMatchObject({ affected: 3 });
  });

  it('leaves out incidents before `since`, and passes what was not read through, sorted', () => {
    const stations = [station('A', [{ writtenAt: T0, records: [['old', 'crash', T0 - 60 * MIN], ['new', 'crash', T0]] }])];
    const merged = mergeShareContents(stations, [{ path: '/share/z', reason: 'not a workstation folder' }, { path: '/share/a', reason: 'not a Lifeboat practice file' }], { now: T0, since: T0 - MIN });
    expect(merged.workstations[0]!.incidents).toBe(1);
    expect(merged.skipped.map((s) => s.path)).toEqual(['/share/a', '/share/z']);
  });
});
