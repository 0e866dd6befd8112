import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../app/common/clock.ts';
import type { HealthState, Incident } from '../../../../app/common/incident.ts';
import type { Signal } from '../../../../app/common/signal.ts';
import { correlateOffline } from '../../../../app/core/incidents/correlateOffline.ts';
import { Correlator, type IncidentChange } from '../../../../app/core/incidents/correlator.ts';
import { MAX_EVIDENCE_LINES } from '../../../../app/core/incidents/trackedIncident.ts';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const SEC = 1000;

const CRASH_RECORD = [
  '2026-01-05 09:00:00,000 [4242] FATAL EmisWeb.Shell.UnhandledExceptionHandler - EMIS Web has encountered a serious problem and needs to close.',
  "System.OutOfMemoryException: Exception of type 'System.OutOfMemoryException' was thrown.",
  '   at EmisWeb.Consultation.JournalView.LoadEntries(PatientContext context)',
].join('\r\n');

function signal(kind: Signal['kind'], source: Signal['source'], at: number, extra: Partial<Signal> = {}): Signal {
  return { kind, source, at, app: 'emisweb.exe', profile: 'emis-web', detail: `${source} saw ${kind}`, ...extra };
}

function harness(options: { workstation?: string; initialHealth?: HealthState } = {}) {
  const clock = new ManualClock(T0 - 3600 * SEC);
  const changes: Array<{ change: IncidentChange; incident: Incident }> = [];
  const health: Array<{ state: HealthState; previous: HealthState; reason: string }> = [];
  const correlator = new Correlator({
    clock,
    ...options,
    onIncident: (incident, change) => changes.push({ change, incident }),
    onHealth: (state, previous, reason) => health.push({ state, previous, reason }),
  });
  /** Moves the clock to `at` (ticking every second on the way, as the service does) and ingests. */
  const at = (ms: number, ...signals: Signal[]): void => {
    while (clock.now() + SEC <= ms) {
      clock.advance(SEC);
      correlator.tick();
    }
    clock.set(Math.max(clock.now(), ms));
    correlator.tick();
    for (const s of signals) correlator.ingest(s);
  };
  const latest = (): Incident[] => {
    const byId = new Map<string, Incident>();
    for (const { incident } of changes) byId.set(incident.id, incident);
    return [...byId.values()];
  };
  return { clock, correlator, changes, health, at, latest };
}

describe('Correlator: crashes', () => {
  it('folds a crash seen by the log, WER, Event Log and the process exit into ONE incident', () => {
    const h = harness();
    h.at(T0 - 1800 * SEC, signal('start', 'process', T0 - 1800 * SEC, { pid: 4242 }));
    h.at(T0, signal('crash', 'log', T0, { detail: CRASH_RECORD, pid: 4242 }));
    h.at(T0 + 1 * SEC, signal('exit', 'process', T0 + 800, { pid: 4242, exitCode: null }));
    h.at(T0 + 3 * SEC, signal('crash', 'eventlog', T0 + 900, { detail: 'Faulting application name: EmisWeb.exe, version: 9.2.1.4410, Exception code: 0xe0434352' }));
    h.at(T0 + 3 * SEC, signal('crash', 'eventlog', T0 + 900, { detail: 'Application: EmisWeb.exe\nException Info: System.OutOfMemoryException' }));
    // WER's EventTime is the crash time, earlier than the exit; the report lands 20 s later.
    h.at(T0 + 20 * SEC, signal('crash', 'wer', T0 + 200, { detail: 'APPCRASH EmisWeb.exe 9.2.1.4410', signature: 'System.OutOfMemoryException' }));

    const incidents = h.latest();
    expect(incidents).toHaveLength(1);
    const [incident] = incidents;
    expect(incident).toMatchObject({ kind: 'crash', app: 'emisweb.exe', profile: 'emis-web', startedAt: new Date(T0).toISOString(), endedAt: null, signature: 'System.OutOfMemoryException' });
    expect(incident!.sources).toEqual(['log', 'process', 'eventlog', 'wer']);
    expect(incident!.evidence).toHaveLength(5);
    expect(h.changes.map((c) => c.change)).toEqual(['opened', 'updated', 'updated', 'updated', 'updated']);
    expect(new Set(h.changes.map((c) => c.incident.id)).size).toBe(1);

    expect(h.health.map((e) => e.state)).toEqual(['ok', 'crashed', 'not-running']);
    // The restart ends the downtime.
    h.at(T0 + 90 * SEC, signal('start', 'process', T0 + 90 * SEC, { pid: 5151 }));
    expect(h.changes.at(-1)).toMatchObject({ change: 'closed', incident: { id: incident!.id, endedAt: new Date(T0 + 90 * SEC).toISOString() } });
    expect(h.health.at(-1)).toMatchObject({ state: 'ok', previous: 'not-running' });
  });

  it('holds "crashed" for 10 s after the process has gone, then reads not-running', () => {
    const h = harness();
    h.at(T0 - 600 * SEC, signal('start', 'process', T0 - 600 * SEC));
    h.at(T0, signal('crash', 'log', T0, { detail: CRASH_RECORD }));
    h.at(T0 + 30 * SEC); // the "serious problem" dialog is still up: the process is still there
    expect(h.correlator.health()).toBe('crashed');
    h.at(T0 + 31 * SEC, signal('exit', 'process', T0 + 31 * SEC, { exitCode: 0xe0434352 % 256 }));
    h.at(T0 + 40 * SEC);
    expect(h.correlator.health()).toBe('crashed');
    h.at(T0 + 41 * SEC);
    expect(h.correlator.health()).toBe('not-running');
    expect(h.latest()).toHaveLength(1);
  });

  it('a normal close is not an incident', () => {
    const h = harness();
    h.at(T0, signal('start', 'process', T0));
    h.at(T0 + 60 * SEC, signal('exit', 'process', T0 + 60 * SEC, { exitCode: 0 }));
    expect(h.changes).toEqual([]);
    expect(h.health.at(-1)).toMatchObject({ state: 'not-running', reason: 'emisweb.exe closed normally' });
  });

  it('an exit with unknown code after a logged normal shutdown is not an incident', () => {
    const h = harness();
    h.at(T0, signal('start', 'process', T0));
    h.at(T0 + 60 * SEC, signal('exit', 'log', T0 + 60 * SEC, { exitCode: 0, detail: 'Application shutting down (user closed the main window)' }));
    h.at(T0 + 61 * SEC, signal('exit', 'process', T0 + 61 * SEC, { exitCode: null }));
    expect(h.changes).toEqual([]);
    expect(h.correlator.health()).toBe('not-running');
  });

  it('opens an exit incident at once, then upgrades the same incident to a crash when WER arrives 20 s later', () => {
    const h = harness();
    h.at(T0 - 60 * SEC, signal('start', 'process', T0 - 60 * SEC));
    h.at(T0, signal('exit', 'process', T0, { exitCode: null }));
    expect(h.changes).toHaveLength(1);
    expect(h.changes[0]).toMatchObject({ change: 'opened', incident: { kind: 'exit', sources: ['process'] } });
    expect(h.correlator.health()).toBe('not-running');

    h.at(T0 + 20 * SEC, signal('crash', 'wer', T0 - 500, { detail: 'CLR20r3 EmisWeb.exe', signature: 'System.OutOfMemoryException' }));
    expect(h.changes).toHaveLength(2);
    expect(h.changes[1]).toMatchObject({ change: 'updated', incident: { id: h.changes[0]!.incident.id, kind: 'crash', sources: ['process', 'wer'], startedAt: new Date(T0 - 500).toISOString() } });
    expect(h.health.at(-1)).toMatchObject({ state: 'crashed', previous: 'not-running' });
  });

  it('attaches a clean exit to crash evidence that arrives after it', () => {
    const h = harness();
    h.at(T0, signal('exit', 'process', T0, { exitCode: 0 }));
    h.at(T0 + 15 * SEC, signal('crash', 'wer', T0 - 200));
    const [incident] = h.latest();
    expect(incident).toMatchObject({ kind: 'crash', sources: ['wer', 'process'] });
  });

  it("keeps a source's own signature as given, and prefers it to one read from text", () => {
    const h = harness();
    h.at(T0, signal('crash', 'wer', T0, { signature: 'c0000005@clr.dll', detail: 'APPCRASH EmisWeb.exe c0000005' }));
    h.at(T0 + SEC, signal('crash', 'log', T0, { detail: CRASH_RECORD }));
    expect(h.latest()[0]!.signature).toBe('c0000005@clr.dll');
  });

  it('two crashes five minutes apart are two incidents', () => {
    const h = harness();
    h.at(T0, signal('crash', 'log', T0, { detail: CRASH_RECORD }));
    h.at(T0 + 300 * SEC, signal('crash', 'log', T0 + 300 * SEC, { detail: CRASH_RECORD }));
    const incidents = h.latest();
    expect(incidents).toHaveLength(2);
    expect(incidents[0]!.id).not.toBe(incidents[1]!.id);
  });

  it('crashes either side of a restart are two incidents even within the window', () => {
    const h = harness();
    h.at(T0, signal('exit', 'process', T0, { exitCode: 1, pid: 1 }));
    h.at(T0 + 5 * SEC, signal('start', 'process', T0 + 5 * SEC, { pid: 2 }));
    h.at(T0 + 20 * SEC, signal('exit', 'process', T0 + 20 * SEC, { exitCode: 1, pid: 2 }));
    // The report for the first crash arrives last but still joins the first incident.
    h.at(T0 + 25 * SEC, signal('crash', 'wer', T0 - 100));
    const incidents = h.latest().sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    expect(incidents.map((i) => [i.kind, i.sources])).toEqual([
      ['crash', ['process', 'wer']],
      ['exit', ['process']],
    ]);
  });

  it('keys on the executable whatever its spelling', () => {
    const h = harness();
    h.at(T0, signal('exit', 'process', T0, { app: 'lifeboat-sim-client', exitCode: 210 }));
    h.at(T0 + 2 * SEC, signal('crash', 'wer', T0 - 100, { app: 'lifeboat-sim-client.exe' }));
    expect(h.latest()).toHaveLength(1);
  });
});

describe('Correlator: hangs and slowness', () => {
  it('a hang then responsive is one closed hang incident', () => {
    const h = harness();
    h.at(T0 - 60 * SEC, signal('start', 'process', T0 - 60 * SEC, { pid: 7 }));
    h.at(T0, signal('hang', 'process', T0, { pid: 7 }));
    h.at(T0 + 5 * SEC, signal('hang', 'window', T0 + 5 * SEC, { pid: 7 }));
    h.at(T0 + 12 * SEC, signal('responsive', 'process', T0 + 12 * SEC, { pid: 7 }));
    const [incident] = h.latest();
    expect(h.latest()).toHaveLength(1);
    expect(incident).toMatchObject({ kind: 'hang', startedAt: new Date(T0).toISOString(), endedAt: new Date(T0 + 12 * SEC).toISOString(), sources: ['process', 'window'] });
    expect(h.changes.map((c) => c.change)).toEqual(['opened', 'updated', 'closed']);
    expect(h.health.map((e) => e.state)).toEqual(['ok', 'hung', 'ok']);
  });

  it('a hang followed by exit and crash evidence keeps the hang and links a separate crash incident', () => {
    const h = harness();
    h.at(T0 - 60 * SEC, signal('start', 'process', T0 - 60 * SEC));
    h.at(T0, signal('hang', 'process', T0));
    h.at(T0 + 30 * SEC, signal('exit', 'process', T0 + 30 * SEC, { exitCode: null }));
    h.at(T0 + 35 * SEC, signal('hang', 'eventlog', T0 + 30 * SEC, { detail: 'The program EmisWeb.exe version 9.2.1.4410 stopped interacting with Windows and was closed.' }));
    h.at(T0 + 40 * SEC, signal('crash', 'wer', T0 + 29 * SEC));
    const incidents = h.latest().sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    expect(incidents.map((i) => i.kind)).toEqual(['hang', 'crash']);
    const [hang, crash] = incidents as [Incident, Incident];
    expect(hang).toMatchObject({ endedAt: new Date(T0 + 30 * SEC).toISOString(), sources: ['process', 'eventlog'] });
    expect(crash.evidence.some((line) => line.includes(`followed hang incident ${hang.id}`))).toBe(true);
    expect(hang.evidence.some((line) => line.includes(`incident ${crash.id}`))).toBe(true);
    // Closed from the "Not Responding" dialog: the GP lost work, so health says crashed, once;
    // it settles 10 s after the exit, and the late WER report does not raise it again.
    expect(h.health.map((e) => e.state)).toEqual(['ok', 'hung', 'crashed', 'not-running']);
  });

  it('a hang known only from the log ends after a quiet period', () => {
    const h = harness({ initialHealth: 'ok' });
    h.at(T0, signal('hang', 'log', T0, { detail: 'UI thread blocked waiting for GetPatientJournal' }));
    expect(h.correlator.health()).toBe('hung');
    h.at(T0 + 31 * SEC);
    expect(h.latest()[0]).toMatchObject({ kind: 'hang', endedAt: new Date(T0).toISOString() });
    expect(h.correlator.health()).toBe('ok');
  });

  it('slow signals make one incident per episode, closed after 30 s of quiet', () => {
    const h = harness({ initialHealth: 'ok' });
    for (const s of [0, 5, 10]) h.at(T0 + s * SEC, signal('slow', 'log', T0 + s * SEC, { detail: `Request GetPatientJournal took ${3000 + s} ms`, latencyMs: 3000 + s }));
    h.at(T0 + 39 * SEC);
    expect(h.latest()).toHaveLength(1);
    expect(h.latest()[0]!.endedAt).toBeNull();
    h.at(T0 + 40 * SEC);
    expect(h.latest()[0]).toMatchObject({ kind: 'slow', endedAt: new Date(T0 + 10 * SEC).toISOString() });
    expect(h.latest()[0]!.evidence).toHaveLength(3);
    expect(h.health.map((e) => e.state)).toEqual(['slow', 'ok']);
    h.at(T0 + 120 * SEC, signal('slow', 'window', T0 + 120 * SEC, { latencyMs: 2500 }));
    expect(h.latest()).toHaveLength(2);
  });
});

describe('Correlator: one consistent state (issue 15)', () => {
  it('a slowdown that becomes a hang ends where the hang begins, not 30 s of quiet later', () => {
    const h = harness({ initialHealth: 'ok' });
    h.at(T0, signal('start', 'process', T0, { pid: 9 }));
    // ~6 s of slowness, then the window stops answering, then answers again 12 s later.
    for (const s of [0, 3, 6]) h.at(T0 + s * SEC, signal('slow', 'window', T0 + s * SEC, { pid: 9, latencyMs: 2500 }));
    h.at(T0 + 7 * SEC, signal('hang', 'window', T0 + 7 * SEC, { pid: 9 }));
    h.at(T0 + 19 * SEC, signal('responsive', 'window', T0 + 19 * SEC, { pid: 9 }));
    const slow = h.latest().find((i) => i.kind === 'slow')!;
    const hang = h.latest().find((i) => i.kind === 'hang')!;
    expect(slow.endedAt).toBe(new Date(T0 + 7 * SEC).toISOString());
    expect(slow.evidence.at(-1)).toContain(`became a hang (incident ${hang.id})`);
    expect(hang.endedAt).toBe(new Date(T0 + 19 * SEC).toISOString());
    expect(h.correlator.health()).toBe('ok');
    // Health is ok and nothing is left open: no "Running normally" beside an ongoing "Slow".
    expect(h.latest().filter((i) => i.endedAt === null)).toEqual([]);
  });

  it('when the window probe dates the hang a moment before the process probe saw it, the slowdown ends there too', () => {
    const h = harness({ initialHealth: 'ok' });
    h.at(T0, signal('start', 'process', T0, { pid: 9 }));
    for (const s of [0, 3, 6]) h.at(T0 + s * SEC, signal('slow', 'window', T0 + s * SEC, { pid: 9, latencyMs: 2500 }));
    h.at(T0 + 7 * SEC, signal('hang', 'process', T0 + 7 * SEC, { pid: 9 }));
    // The unanswered ping was sent at 6.8 s; its report arrives after the process probe's.
    h.at(T0 + 12 * SEC, signal('hang', 'window', T0 + 6800, { pid: 9 }));
    const slow = h.latest().find((i) => i.kind === 'slow')!;
    const hang = h.latest().find((i) => i.kind === 'hang')!;
    expect(hang.startedAt).toBe(new Date(T0 + 6800).toISOString());
    expect(slow.endedAt).toBe(hang.startedAt);
  });

  it('when the log told of the hang before a live probe saw it, the slowdown ends where the log says the hang began', () => {
    const h = harness({ initialHealth: 'ok' });
    h.at(T0, signal('start', 'process', T0, { pid: 9 }));
    for (const s of [0, 3, 6]) h.at(T0 + s * SEC, signal('slow', 'window', T0 + s * SEC, { pid: 9, latencyMs: 2500 }));
    h.at(T0 + 6500, signal('hang', 'log', T0 + 6500, { detail: 'UI thread blocked waiting for GetPatientJournal' }));
    h.at(T0 + 7 * SEC, signal('hang', 'process', T0 + 7 * SEC, { pid: 9 }));
    const slow = h.latest().find((i) => i.kind === 'slow')!;
    const hang = h.latest().find((i) => i.kind === 'hang')!;
    expect(hang.startedAt).toBe(new Date(T0 + 6500).toISOString());
    expect(slow.endedAt).toBe(hang.startedAt);
  });

  it('health back to ok closes whatever slow episode is still open', () => {
    const h = harness({ initialHealth: 'ok' });
    h.at(T0, signal('start', 'process', T0, { pid: 9 }));
    // Slow request lines go on while a hang is known only from the log (not a live source)…
    for (const s of [1, 4, 8]) h.at(T0 + s * SEC, signal('slow', 'log', T0 + s * SEC, { detail: `took ${4000 + s} ms` }));
    h.at(T0 + 5 * SEC, signal('hang', 'log', T0 + 5 * SEC, { detail: 'UI thread blocked' }));
    expect(h.latest().find((i) => i.kind === 'slow')!.endedAt).toBeNull();
    // …then the window answers: health is ok at once, and the slow episode ends with its last line.
    h.at(T0 + 12 * SEC, signal('responsive', 'window', T0 + 12 * SEC, { pid: 9 }));
    expect(h.correlator.health()).toBe('ok');
    expect(h.latest().find((i) => i.kind === 'slow')!.endedAt).toBe(new Date(T0 + 8 * SEC).toISOString());
    expect(h.latest().filter((i) => i.endedAt === null)).toEqual([]);
  });
});

describe('Correlator: evidence and ids', () => {
  it('redacts evidence and signatures before they enter an incident', () => {
    const h = harness();
    h.at(T0, signal('crash', 'log', T0, { detail: `Crash while Patient: Jane Smith (NHS 943 476 5919, DOB 01/02/1960) open\n${CRASH_RECORD}` }));
    const text = JSON.stringify(h.latest());
    expect(text).not.toContain('Jane');
    expect(text).not.toContain('943 476 5919');
    expect(text).not.toContain('01/02/1960');
    expect(text).toContain('[NHS-NUMBER]');
    expect(text).toContain('[NAME]');
  });

  it('caps evidence lines', () => {
    const h = harness({ initialHealth: 'ok' });
    for (let i = 0; i < 40; i++) h.at(T0 + i * SEC, signal('slow', 'log', T0 + i * SEC, { detail: `took ${2000 + i} ms` }));
    const evidence = h.latest()[0]!.evidence;
    expect(evidence).toHaveLength(MAX_EVIDENCE_LINES + 1);
    expect(evidence.at(-1)).toBe(`… ${40 - MAX_EVIDENCE_LINES} more evidence lines not kept`);
  });

  it('health ignores old news: a week-old report makes an incident but not a red tray', () => {
    const h = harness({ initialHealth: 'ok' });
    h.at(T0, signal('crash', 'wer', T0 - 7 * 86_400 * SEC));
    expect(h.latest()).toHaveLength(1);
    expect(h.correlator.health()).toBe('ok');
  });

  it('gives the same ids when the same signals are ingested again, and different ids per workstation', () => {
    const signals = [
      signal('slow', 'log', T0 - 50 * SEC),
      signal('crash', 'log', T0, { detail: CRASH_RECORD }),
      signal('crash', 'wer', T0 + 300, { signature: 'System.OutOfMemoryException' }),
      signal('hang', 'eventlog', T0 + 600 * SEC),
      signal('crash', 'eventlog', T0 + 900 * SEC, { detail: 'Exception code: 0xc0000005' }),
    ];
    const first = correlateOffline(signals, { workstation: 'GP-ROOM-1' });
    const again = correlateOffline([...signals].reverse(), { workstation: 'GP-ROOM-1' });
    expect(again).toEqual(first);
    expect(first.map((i) => i.kind)).toEqual(['slow', 'crash', 'hang', 'crash']);
    expect(first.map((i) => i.startedAt)).toEqual([...first.map((i) => i.startedAt)].sort());
    expect(first.every((i) => i.workstation === 'GP-ROOM-1')).toBe(true);
    expect(first[0]!.endedAt).toBe(new Date(T0 - 50 * SEC).toISOString()); // flushed at the end
    expect(first[1]!.sources).toEqual(['log', 'wer']);

    const elsewhere = correlateOffline(signals, { workstation: 'GP-ROOM-2' });
    expect(elsewhere.map((i) => i.id)).not.toEqual(first.map((i) => i.id));
  });

  it('correlateOffline of nothing is nothing', () => {
    expect(correlateOffline([])).toEqual([]);
  });
});
