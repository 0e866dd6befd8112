import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../../app/common/incident.ts';
import { clientVersionFromEvidence } from '../../../../app/core/report/clientVersion.ts';
import { buildReportData, type DraftActivity, type ReportOptions } from '../../../../app/core/report/reportData.ts';
import { noteBeforeIncident } from '../../../../app/core/recovery/noteBeforeIncident.ts';
import { ReportDataSchema } from '../../../../app/core/report/reportSchema.ts';
import { generateIncidents } from '../../../../testing/report/syntheticIncidents.ts';
import { ZonedCalendar } from '../../../../app/core/report/zonedCalendar.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
// Monday 6 July 2026, 08:00 UTC = 09:00 BST in London.
const MON = Date.UTC(2026, 6, 6, 8, 0);
const iso = (ms: number): string => new Date(ms).toISOString();

function inc(id: string, kind: Incident['kind'], start: number, minutes: number | null, extra: Partial<Incident> = {}): Incident {
  return {
    id,
    kind,
    app: 'emisweb.exe',
    profile: 'emis-web',
    startedAt: iso(start),
    endedAt: minutes === null ? null : iso(start + minutes * MIN),
    sources: ['log'],
    evidence: [],
    signature: null,
    ...extra,
  };
}

const week: ReportOptions = { from: MON - 8 * HOUR, to: MON + 7 * 24 * HOUR, now: MON + 7 * 24 * HOUR, timeZone: 'Europe/London' };

describe('buildReportData', () => {
  it('counts incidents per local day by kind, including empty days', () => {
    const data = buildReportData(
      {
        incidents: [
          inc('a', 'crash', MON, 3),
          inc('b', 'hang', MON + HOUR, 1),
          // 23:30 UTC on Monday is 00:30 BST on Tuesday: a London day, not a UTC one.
          inc('c', 'slow', Date.UTC(2026, 6, 6, 23, 30), 2),
          inc('d', 'exit', MON + 2 * 24 * HOUR, 1),
        ],
      },
      week,
    );
    const day = (date: string) => data.perDay.find((d) => d.date === date)!;
    expect(data.perDay[0]!.date).toBe('2026-07-06');
    expect(data.perDay).toHaveLength(8);
    expect(day('2026-07-06')).toMatchObject({ crash: 1, hang: 1, slow: 0, exit: 0 });
    expect(day('2026-07-07')).toMatchObject({ crash: 0, slow: 1 });
    expect(day('2026-07-08')).toMatchObject({ exit: 1 });
    expect(day('2026-07-09')).toMatchObject({ crash: 0, hang: 0, slow: 0, exit: 0 });
    expect(data.totals.byKind).toEqual({ crash: 1, hang: 1, slow: 1, exit: 1 });
  });

  it('bins the heatmap by local weekday and hour', () => {
    const data = buildReportData({ incidents: [inc('a', 'crash', MON, 1), inc('b', 'crash', MON + 20 * MIN, 1), inc('c', 'slow', Date.UTC(2026, 6, 12, 13, 5), 1)] }, week);
    expect(data.heatmap.cells[0]![9]).toBe(2); // Monday 09:xx BST
    expect(data.heatmap.cells[6]![14]).toBe(1); // Sunday 14:05 BST
    expect(data.heatmap.max).toBe(2);
    expect(data.heatmap.cells.flat().reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('counts downtime for crashes, exits and hangs (not slow), caps a crash nobody restarted, counts open ones to now', () => {
    const data = buildReportData(
      {
        incidents: [
          inc('crash', 'crash', MON, 12),
          inc('hang', 'hang', MON + HOUR, 3),
          inc('slow', 'slow', MON + 2 * HOUR, 30),
          inc('overnight', 'crash', MON + 9 * HOUR, 15 * 60), // restarted next morning: capped at 8 h
          inc('open', 'hang', week.now - 10 * MIN, null),
        ],
      },
      week,
    );
    expect(data.totals.downtimeMinutes).toBe(12 + 3 + 8 * 60 + 10);
    expect(data.totals.downtimeCapped).toBe(1);
    expect(data.totals.slowMinutes).toBe(30);
    expect(data.totals.open).toBe(1);
    const open = data.incidents.find((i) => i.id === 'open')!;
    expect(open).toMatchObject({ open: true, durationMinutes: null, downtimeMinutes: 10 });
    expect(data.perDay.find((d) => d.date === '2026-07-06')!.downtimeMinutes).toBe(12 + 3 + 480);
  });

  it('gives the mean time between crashes from successive crash starts, null with fewer than two', () => {
    const three = buildReportData({ incidents: [inc('a', 'crash', MON, 1), inc('b', 'crash', MON + HOUR, 1), inc('c', 'crash', MON + 4 * HOUR, 1), inc('h', 'hang', MON + 2 * HOUR, 1)] }, week);
    expect(three.totals.meanTimeBetweenCrashesMinutes).toBe(120);
    expect(buildReportData({ incidents: [inc('a', 'crash', MON, 1)] }, week).totals.meanTimeBetweenCrashesMinutes).toBeNull();
  });

  it('ranks top signatures, deriving a normalised one from crash evidence when the incident has none', () => {
    const data = buildReportData(
      {
        incidents: [
          inc('1', 'crash', MON, 1, { signature: 'System.OutOfMemoryException' }),
          inc('2', 'crash', MON + HOUR, 1, { signature: 'System.OutOfMemoryException' }),
          inc('3', 'crash', MON + 2 * HOUR, 1, { evidence: [`${iso(MON)} log: System.TimeoutException: Timeout after 30123 ms`] }),
          inc('4', 'crash', MON + 3 * HOUR, 1, { evidence: [`${iso(MON)} log: System.TimeoutException: Timeout after 29871 ms`] }),
          inc('5', 'crash', MON + 4 * HOUR, 1, { evidence: [`${iso(MON)} log: System.TimeoutException: Timeout after 31000 ms`] }),
          inc('6', 'hang', MON + 5 * HOUR, 1),
        ],
      },
      week,
    );
    expect(data.topSignatures.map((s) => [s.signature, s.count])).toEqual([
      ['System.TimeoutException: Timeout after <n> ms', 3],
      ['System.OutOfMemoryException', 2],
    ]);
    expect(data.withoutSignature).toBe(1);
  });

  it('groups incidents by the client version the evidence names', () => {
    const ev = (v: string) => [`${iso(MON)} wer: WER APPCRASH EmisWeb.exe ${v} fault module clr.dll exception c0000005 (report x)`];
    const data = buildReportData(
      { incidents: [inc('1', 'crash', MON, 1, { evidence: ev('9.2.1.4410') }), inc('2', 'hang', MON + HOUR, 1, { evidence: ev('9.2.1.4410') }), inc('3', 'crash', MON + 3 * 24 * HOUR, 1, { evidence: ev('9.3.0.4611') })] },
      week,
    );
    expect(data.clientVersions.map((v) => [v.version, v.incidents, v.crashes])).toEqual([
      ['9.3.0.4611', 1, 1],
      ['9.2.1.4410', 2, 1],
    ]);
    expect(clientVersionFromEvidence(['Event 1002 Application Hang EmisWeb.exe 9.2.1.4410 stopped interacting'])).toBe('9.2.1.4410');
    expect(clientVersionFromEvidence(['SystmOne client version: 5.12.3 started'])).toBe('5.12.3');
    expect(clientVersionFromEvidence(['2026-01-05T09:00:00.000Z log: timed out after 30000 ms'])).toBeNull();
  });

  it('estimates consultations affected by the note-before-the-crash rule: 30 min before a crash, hang or exit, each note once', () => {
    const drafts: DraftActivity[] = [
      { id: 'typing-before-crash', state: 'open', saveTimes: [MON - 5 * MIN] },
      { id: 'done-before-crash', state: 'saved-in-client', saveTimes: [MON - 20 * MIN] },
      { id: 'long-before', state: 'open', saveTimes: [MON - 40 * MIN] },
      { id: 'during-hang', state: 'open', saveTimes: [MON + HOUR + 2 * MIN] },
      { id: 'before-both', state: 'open', saveTimes: [MON - MIN, MON + HOUR - MIN] },
      { id: 'after-crash-only', state: 'open', saveTimes: [MON + 5 * MIN] },
      { id: 'before-slow', state: 'open', saveTimes: [MON + 3 * HOUR - MIN] },
      { id: 'just-after-exit', state: 'open', saveTimes: [MON + 4 * HOUR + 1500] },
    ];
    const incidents = [inc('crash', 'crash', MON, 10), inc('hang', 'hang', MON + HOUR, 5), inc('slow', 'slow', MON + 3 * HOUR, 5), inc('exit', 'exit', MON + 4 * HOUR, 5)];
    const data = buildReportData({ incidents, draftActivity: drafts }, week);
    // typing-before-crash, done-before-crash (a done note was still affected), before-both, just-after-exit (inside the slack).
    expect(data.consultationsAffected.estimate).toBe(4);
    expect(data.consultationsAffected.byKind).toEqual({ crash: 3, hang: 1, slow: 0, exit: 1 });
    expect(data.consultationsAffected.lookbackMinutes).toBe(30);
    expect(data.incidents.find((i) => i.id === 'crash')!.draftsAffected).toBe(3);
    // The same members Recovery lists for each incident.
    for (const incident of incidents) {
      const group = noteBeforeIncident(incident, drafts).group;
      expect(data.incidents.find((i) => i.id === incident.id)!.draftsAffected).toBe(group.length);
    }
  });

  it('leaves out incidents outside the period and sorts by start', () => {
    const data = buildReportData({ incidents: [inc('late', 'crash', week.to + 1, 1), inc('b', 'crash', MON + HOUR, 1), inc('early', 'crash', week.from - 1, 1), inc('a', 'crash', MON, 1)] }, week);
    expect(data.incidents.map((i) => i.id)).toEqual(['a', 'b']);
  });

  it('redacts evidence and signatures on the way in and counts what it replaced', () => {
    const data = buildReportData(
      {
        incidents: [
          inc('p', 'crash', MON, 1, {
            signature: 'Save failed for NHS 943 476 5919',
            evidence: [`${iso(MON)} log: Patient: Jane Example DOB: 01/02/1980, LS1 4AP, 07700 900123, jane@example.org`],
          }),
        ],
      },
      week,
    );
    const text = JSON.stringify(data);
    expect(text).not.toMatch(/943 ?476 ?5919|Jane Example|01\/02\/1980|LS1 4AP|07700 900123|jane@example\.org/);
    expect(data.redactions).toEqual({ nhs: 1, postcode: 1, phone: 1, email: 1, dob: 1, name: 1, user: 0 });
  });

  it('rejects an empty period and an unknown time zone with a readable message', () => {
    expect(() => buildReportData({ incidents: [] }, { ...week, from: week.to + 1 })).toThrow(/--from must be before --to/);
    expect(() => buildReportData({ incidents: [] }, { ...week, timeZone: 'Mars/Olympus' })).toThrow(/not a time zone/);
  });

  it('matches the documented JSON schema for a realistic month', () => {
    const from = Date.UTC(2026, 0, 5);
    const to = Date.UTC(2026, 1, 5);
    const data = buildReportData({ incidents: generateIncidents({ count: 500, from, to, withPatientData: true }) }, { from, to, now: to, timeZone: 'Europe/London' });
    expect(() => ReportDataSchema.parse(JSON.parse(JSON.stringify(data)))).not.toThrow();
  });
});

describe('ZonedCalendar', () => {
  it('follows British Summer Time changes', () => {
    const cal = new ZonedCalendar('Europe/London');
    expect(cal.fields(Date.UTC(2026, 2, 29, 0, 59))).toMatchObject({ date: '2026-03-29', hour: 0, weekday: 6 });
    expect(cal.fields(Date.UTC(2026, 2, 29, 1, 0))).toMatchObject({ hour: 2 }); // clocks go forward
    expect(cal.fields(Date.UTC(2026, 9, 25, 0, 30))).toMatchObject({ hour: 1 });
    expect(cal.fields(Date.UTC(2026, 9, 25, 1, 30))).toMatchObject({ hour: 1 }); // the repeated hour
  });
});
