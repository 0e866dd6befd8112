// The practice-wide view on real files: workstations publishing to a shared folder (offline
// outbox, atomic month files), and the merge coping with damaged files, clock skew,
// concurrent writers and a renamed PC.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../app/common/clock.ts';
import type { Incident } from '../../app/common/incident.ts';
import { mergePractice, practiceOutageNow } from '../../app/core/practice/mergePractice.ts';
import { safeWorkstationName } from '../../app/core/practice/shareFormat.ts';
import { ShareWriter } from '../../app/core/practice/shareWriter.ts';
import { incidentAt } from '../support/incidentAt.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 5, 9, 0);
const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'lifeboat-practice-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const incident = incidentAt;

function writer(share: string, name: string, clock = new ManualClock(T0 + 60 * MIN), outbox = join(tempDir(), `outbox-${name}`)): ShareWriter {
  return ShareWriter.open({ shareDir: share, workstation: name, outboxDir: outbox, clock });
}

const linesOf = (path: string): string[] => readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');

describe('ShareWriter', () => {
  it('a quiet PC still writes this month\'s file at its heartbeat, so the practice counts it and knows it is alive', async () => {
    const share = tempDir();
    const quiet = writer(share, 'QUIET-PC');
    expect((await quiet.heartbeat()).ok).toBe(true);
    expect(linesOf(join(share, 'QUIET-PC', '2026-01.ndjson'))).toHaveLength(1);
    const merged = await mergePractice(share, { now: T0 + 61 * MIN });
    expect(merged.workstations).toMatchObject([{ name: 'QUIET-PC', incidents: 0 }]);
    expect(merged.skipped).toEqual([]);
  });

  it('writes one month file per month, header first, one line per incident, updates in place', async () => {
    const share = tempDir();
    const w = writer(share, 'RECEPTION-01');
    w.record([incident('a', 'crash', T0), incident('b', 'slow', Date.UTC(2026, 1, 2, 10))]);
    w.record(incident('a', 'crash', T0, { endedAt: new Date(T0 + 5 * MIN).toISOString() }));
    const result = await w.flush();
    expect(result).toEqual({ ok: true, written: ['2026-01', '2026-02'], pending: [] });
    const jan = linesOf(join(share, 'RECEPTION-01', '2026-01.ndjson'));
    expect(JSON.parse(jan[0]!)).toMatchObject({ lifeboatPractice: 1, workstation: 'RECEPTION-01', month: '2026-01', records: 1, writtenAt: new Date(T0 + 60 * MIN).toISOString() });
    expect(jan).toHaveLength(2);
    expect(JSON.parse(jan[1]!)).toMatchObject({ id: 'a', endedAt: new Date(T0 + 5 * MIN).toISOString() });
    // No temp files left behind on the share.
    expect(readdirSync(join(share, 'RECEPTION-01')).sort()).toEqual(['2026-01.ndjson', '2026-02.ndjson']);
  });

  it('queues locally while the share is offline and catches up later, oldest month first, without duplicates', async () => {
    const root = tempDir();
    const share = join(root, 'not-mounted-yet');
    const w = writer(share, 'CONSULT-3');
    w.record(incident('x1', 'hang', Date.UTC(2026, 0, 20)));
    const offline = await w.flush();
    expect(offline.ok).toBe(false);
    expect(offline.error).toMatch(/unavailable/);
    expect(offline.pending).toEqual(['2026-01']);
    // The writer never creates the share root itself (an unmounted drive must stay empty).
    expect(existsSync(share)).toBe(false);

    w.record([incident('x0', 'crash', Date.UTC(2025, 11, 30)), incident('x2', 'slow', Date.UTC(2026, 1, 3))]);
    expect((await w.flush()).ok).toBe(false);
    mkdirSync(share);
    const back = await w.flush();
    expect(back).toEqual({ ok: true, written: ['2025-12', '2026-01', '2026-02'], pending: [] });
    const all = readdirSync(join(share, 'CONSULT-3')).flatMap((f) => linesOf(join(share, 'CONSULT-3', f)).slice(1).map((l) => (JSON.parse(l) as { id: string }).id));
    expect(all.sort()).toEqual(['x0', 'x1', 'x2']);
  });

  it('survives a restart mid-queue: the outbox and its dirty months persist', async () => {
    const root = tempDir();
    const share = join(root, 'share');
    const outbox = join(root, 'outbox');
    const first = writer(share, 'WS1', undefined, outbox);
    first.record(incident('p1', 'crash', T0));
    await first.flush(); // share missing: queued
    const second = writer(share, 'WS1', undefined, outbox);
    expect(second.pendingMonths()).toEqual(['2026-01']);
    mkdirSync(share);
    expect((await second.flush()).written).toEqual(['2026-01']);
    expect(linesOf(join(share, 'WS1', '2026-01.ndjson'))).toHaveLength(2);
  });

  it('moves an incident whose start moved into the previous month, so it is never counted twice', async () => {
    const share = tempDir();
    const w = writer(share, 'WS1');
    const feb = Date.UTC(2026, 1, 1, 0, 0, 30);
    w.record(incident('edge', 'crash', feb));
    await w.flush();
    w.record(incident('edge', 'crash', feb - 60_000)); // WER EventTime was earlier: 31 January
    await w.flush();
    expect(existsSync(join(share, 'WS1', '2026-02.ndjson'))).toBe(false);
    expect(linesOf(join(share, 'WS1', '2026-01.ndjson'))).toHaveLength(2);
  });

  it('shares no draft text and redacts evidence: only the named incident fields leave the PC', async () => {
    const share = tempDir();
    const w = writer(share, 'WS1');
    const leaky = {
      ...incident('leak', 'crash', T0, {
        signature: 'Save failed for patient NHS 943 476 5919',
        evidence: ['2026-01-05T09:00:00.000Z log: Patient: Jane Example DOB: 01/02/1980 at LS1 4AP', 'line 2', 'line 3', 'line 4 DRAFT-MARKER-4'],
      }),
      body: 'DRAFT-MARKER-BODY consultation note text',
      patientRef: 'DRAFT-MARKER-REF',
    } as Incident;
    w.record(leaky);
    await w.flush();
    const text = readFileSync(join(share, 'WS1', '2026-01.ndjson'), 'utf8');
    expect(text).not.toMatch(/DRAFT-MARKER|943 ?476 ?5919|Jane|Example|01\/02\/1980|LS1 4AP/);
    expect(text).toContain('[NHS-NUMBER]');
    // The local outbox is also free of it (it may sit on a roaming or backed-up disk).
    const outbox = readdirSync(w.outboxDir).map((f) => readFileSync(join(w.outboxDir, f), 'utf8')).join('\n');
    expect(outbox).not.toMatch(/DRAFT-MARKER|943 ?476 ?5919/);
  });

  it('makes any computer name safe as a folder name', () => {
    expect(safeWorkstationName("DR SMITH'S PC")).toBe('DR_SMITH_S_PC');
    expect(safeWorkstationName('..\\..\\evil')).toBe('evil');
    expect(safeWorkstationName('')).toBe('unnamed');
    expect(() => writer(tempDir(), '../escape')).toThrow(/cannot name a folder/);
  });
});

describe('mergePractice', () => {
  async function practice(share: string, names: string[], build: (name: string, index: number) => Incident[], clockFor?: (name: string) => ManualClock): Promise<void> {
    for (const [index, name] of names.entries()) {
      const w = writer(share, name, clockFor?.(name));
      w.record(build(name, index));
      expect((await w.flush()).ok).toBe(true);
    }
  }

  it('counts per workstation and finds the practice-wide outage (3 of 6 PCs within 10 minutes)', async () => {
    const share = tempDir();
    const names = ['WS1', 'WS2', 'WS3', 'WS4', 'WS5', 'WS6'];
    await practice(share, names, (name, i) => [
      incident(`${name}-a`, 'slow', T0 - 3 * 60 * MIN + i * 40 * MIN), // background noise, spread out
      ...(i < 4 ? [incident(`${name}-outage`, i % 2 ? 'hang' : 'crash', T0 + i * 2 * MIN)] : []),
      incident(`${name}-exit`, 'exit', T0 + 5 * MIN), // exits never make an outage
    ]);
    const merged = await mergePractice(share, { now: T0 + 20 * MIN });
    expect(merged.workstations.map((w) => [w.name, w.incidents])).toEqual([
      ['WS1', 3],
      ['WS2', 3],
      ['WS3', 3],
      ['WS4', 3],
      ['WS5', 2],
      ['WS6', 2],
    ]);
    expect(merged.workstations[0]!.counts).toEqual({ crash: 1, hang: 0, slow: 1, exit: 1 });
    expect(merged.outages).toHaveLength(1);
    expect(merged.outages[0]).toMatchObject({ firstSeen: new Date(T0).toISOString(), lastSeen: new Date(T0 + 6 * MIN).toISOString(), affected: 4, workstations: ['WS1', 'WS2', 'WS3', 'WS4'] });
    expect(merged.skipped).toEqual([]);
    expect(practiceOutageNow(merged, T0 + 12 * MIN)).toMatchObject({ workstations: 4, since: T0 });
  });

  it('skips damaged and foreign files with a reason, keeps the good records of a partly damaged one', async () => {
    const share = tempDir();
    await practice(share, ['GOOD1', 'GOOD2', 'CUT'], (name) => [incident(`${name}-1`, 'crash', T0), incident(`${name}-2`, 'hang', T0 + MIN), incident(`${name}-3`, 'slow', T0 + 2 * MIN)]);
    // A copy cut short (last line half there, no final newline).
    const cut = join(share, 'CUT', '2026-01.ndjson');
    const text = readFileSync(cut, 'utf8');
    writeFileSync(cut, text.slice(0, text.length - 40));
    // Garbage, a newer format, a file in the wrong folder, a stray document, a stale temp file.
    mkdirSync(join(share, 'JUNK'));
    writeFileSync(join(share, 'JUNK', '2026-01.ndjson'), '\u0000\u0001binary rubbish');
    mkdirSync(join(share, 'FUTURE'));
    writeFileSync(join(share, 'FUTURE', '2026-01.ndjson'), JSON.stringify({ lifeboatPractice: 9, workstation: 'FUTURE' }) + '\n');
    mkdirSync(join(share, 'COPY'));
    writeFileSync(join(share, 'COPY', '2026-01.ndjson'), readFileSync(join(share, 'GOOD1', '2026-01.ndjson')));
    writeFileSync(join(share, 'GOOD1', 'notes.docx'), 'x');
    writeFileSync(join(share, 'GOOD2', '.tmp-123-abcd-2026-01.ndjson'), 'half');
    utimesSync(join(share, 'GOOD2', '.tmp-123-abcd-2026-01.ndjson'), new Date(T0), new Date(T0));
    writeFileSync(join(share, 'readme.txt'), 'share readme');
    // A folder someone made by hand, and one a PC made but never wrote to.
    mkdirSync(join(share, 'EMPTY'));
    mkdirSync(join(share, 'DOCS'));
    writeFileSync(join(share, 'DOCS', 'minutes.docx'), 'x');

    const merged = await mergePractice(share);
    const reasons = Object.fromEntries(merged.skipped.map((s) => [s.path.slice(share.length + 1), s]));
    expect(reasons['CUT/2026-01.ndjson']).toMatchObject({ recordsKept: 2 });
    expect(reasons['CUT/2026-01.ndjson']!.reason).toMatch(/unreadable line|incomplete/);
    expect(reasons['JUNK/2026-01.ndjson']!.reason).toMatch(/not JSON/);
    expect(reasons['FUTURE/2026-01.ndjson']!.reason).toMatch(/version 9 is newer/);
    expect(reasons['COPY/2026-01.ndjson']!.reason).toMatch(/written by workstation "GOOD1"/);
    expect(reasons['GOOD1/notes.docx']!.reason).toMatch(/not a Lifeboat practice file/);
    expect(reasons['GOOD2/.tmp-123-abcd-2026-01.ndjson']!.reason).toMatch(/never finished/);
    expect(reasons['readme.txt']!.reason).toMatch(/not a workstation folder/);
    const counts = Object.fromEntries(merged.workstations.map((w) => [w.name, w.incidents]));
    expect(counts).toMatchObject({ GOOD1: 3, GOOD2: 3, CUT: 2 });
    // Only folders with a Lifeboat file that could be read count as workstations (they set "half the practice").
    expect(merged.workstations.map((w) => w.name)).toEqual(['CUT', 'GOOD1', 'GOOD2']);
    // Folders whose files were all skipped are explained by those files' reasons; one with no
    // Lifeboat file at all gets a line of its own.
    expect(reasons['EMPTY']?.reason).toMatch(/no Lifeboat practice file in it: not counted as a workstation/);
    expect(reasons['DOCS/minutes.docx']?.reason).toMatch(/not a Lifeboat practice file/);
    for (const folder of ['JUNK', 'FUTURE', 'COPY', 'DOCS', 'GOOD1']) expect(reasons[folder], folder).toBeUndefined();
    expect(merged.outages).toHaveLength(1);
    expect(merged.outages[0]!.workstations).toEqual(['CUT', 'GOOD1', 'GOOD2']);
  });

  it('estimates clock skew per PC against the practice, corrects one beyond ±2 min, leaves small skew alone', async () => {
    const share = tempDir();
    const names = ['A', 'B', 'C', 'D', 'FAST', 'SLIGHT', 'BROKEN'];
    // Each PC's clock: FAST runs 7 minutes ahead, SLIGHT 60 s ahead. The file times come from the share.
    const skew: Record<string, number> = { A: 0, B: 0, C: 0, D: 0, FAST: 7 * MIN, SLIGHT: MIN, BROKEN: 3 * 365 * 24 * 60 * MIN };
    const realNow = Date.now();
    for (const name of names) {
      const w = writer(share, name, new ManualClock(realNow + skew[name]!));
      // The same real moment (T0 + 1 min) as each PC's own clock saw it.
      w.record(incident(`${name}-1`, name === 'A' || name === 'B' ? 'crash' : 'hang', T0 + MIN + skew[name]! + (name === 'C' || name === 'D' ? 15 * MIN : 0)));
      await w.flush();
    }
    const merged = await mergePractice(share, { now: realNow });
    const byName = Object.fromEntries(merged.workstations.map((w) => [w.name, w]));
    expect(Math.abs(byName.FAST!.clockSkewMs! - 7 * MIN)).toBeLessThan(5000);
    expect(byName.FAST!.skewCorrected).toBe(true);
    expect(Math.abs(byName.SLIGHT!.clockSkewMs! - MIN)).toBeLessThan(5000);
    expect(byName.SLIGHT!.skewCorrected).toBe(false);
    expect(byName.A!.skewCorrected).toBe(false);
    // A clock years out (a dead CMOS battery) is reported, not trusted for a correction.
    expect(byName.BROKEN!.clockSkewMs!).toBeGreaterThan(2 * 365 * 24 * 60 * MIN);
    expect(byName.BROKEN!.skewCorrected).toBe(false);
    // Corrected, FAST's hang lands beside A's and B's crashes: one outage of A, B, FAST, SLIGHT (C and D were 15 min later).
    expect(merged.outages).toHaveLength(1);
    expect(merged.outages[0]!.workstations).toEqual(['A', 'B', 'FAST', 'SLIGHT']);
    expect(Math.abs(Date.parse(byName.FAST!.lastIncidentAt!) - (T0 + MIN))).toBeLessThan(5000);
  });

  it('reads consistently while another process keeps rewriting the files (no torn reads)', async () => {
    const share = tempDir();
    const names = Array.from({ length: 8 }, (_, i) => `WS${i}`);
    await practice(share, names, (name) => Array.from({ length: 50 }, (_, k) => incident(`${name}-${k}`, 'slow', T0 + k * 7 * MIN)));
    const script = `
      import { ManualClock } from ${JSON.stringify(join(import.meta.dirname, '../../app/common/clock.ts'))};
      import { ShareWriter } from ${JSON.stringify(join(import.meta.dirname, '../../app/core/practice/shareWriter.ts'))};
      const names = ${JSON.stringify(names)};
      const writers = names.map((n) => ShareWriter.open({ shareDir: ${JSON.stringify(share)}, workstation: n, outboxDir: ${JSON.stringify(join(tempDir(), 'child-outboxes'))} + '/' + n, clock: new ManualClock(${T0}) }));
      const end = Date.now() + 2500;
      let round = 0;
      while (Date.now() < end) {
        round++;
        for (const [i, w] of writers.entries()) {
          const incidents = Array.from({ length: 50 + (round % 20) }, (_, k) => ({ id: names[i] + '-' + k, kind: 'slow', app: 'emisweb.exe', profile: 'emis-web', startedAt: new Date(${T0} + k * 7 * 60000).toISOString(), endedAt: null, sources: ['log'], evidence: ['round ' + round + ' ' + 'x'.repeat(round % 300)], signature: null }));
          w.record(incidents);
          await w.heartbeat();
        }
      }
      console.log(round);
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    let merges = 0;
    const deadline = Date.now() + 2300;
    while (Date.now() < deadline) {
      const merged = await mergePractice(share);
      merges++;
      expect(merged.skipped.filter((s) => !/being rewritten/.test(s.reason))).toEqual([]);
      expect(merged.workstations).toHaveLength(8);
      for (const w of merged.workstations) expect(w.incidents).toBeGreaterThanOrEqual(50);
    }
    expect(await exited).toBe(0);
    expect(err).toBe('');
    expect(Number(out.trim())).toBeGreaterThan(3);
    expect(merges).toBeGreaterThan(3);
  });
});
