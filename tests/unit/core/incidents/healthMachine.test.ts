import { describe, expect, it } from 'vitest';
import type { HealthState } from '../../../../app/common/incident.ts';
import { nextHealth, type HealthEvent } from '../../../../app/core/incidents/healthMachine.ts';

const app = 'emisweb.exe';
const events: Record<string, HealthEvent> = {
  start: { type: 'start', app },
  slow: { type: 'slow', app },
  'slow-ended': { type: 'slow-ended', app },
  hang: { type: 'hang', app },
  responsive: { type: 'responsive', app },
  crash: { type: 'crash', app },
  'exit clean': { type: 'exit', app, clean: true, exitCode: 0 },
  'exit unknown': { type: 'exit', app, clean: null, exitCode: null },
  'exit non-zero': { type: 'exit', app, clean: false, exitCode: 3 },
  settled: { type: 'settled', app },
};

/** The table in healthMachine.ts, restated: every state × every event. '·' = no change. */
const table: Record<HealthState, Record<string, HealthState | '·'>> = {
  ok: { start: '·', slow: 'slow', 'slow-ended': '·', hang: 'hung', responsive: '·', crash: 'crashed', 'exit clean': 'not-running', 'exit unknown': 'not-running', 'exit non-zero': 'crashed', settled: '·' },
  slow: { start: '·', slow: '·', 'slow-ended': 'ok', hang: 'hung', responsive: '·', crash: 'crashed', 'exit clean': 'not-running', 'exit unknown': 'not-running', 'exit non-zero': 'crashed', settled: '·' },
  hung: { start: '·', slow: '·', 'slow-ended': '·', hang: '·', responsive: 'ok', crash: 'crashed', 'exit clean': 'not-running', 'exit unknown': 'crashed', 'exit non-zero': 'crashed', settled: '·' },
  crashed: { start: 'ok', slow: '·', 'slow-ended': '·', hang: '·', responsive: '·', crash: '·', 'exit clean': '·', 'exit unknown': '·', 'exit non-zero': '·', settled: 'not-running' },
  'not-running': { start: 'ok', slow: '·', 'slow-ended': '·', hang: '·', responsive: '·', crash: 'crashed', 'exit clean': '·', 'exit unknown': '·', 'exit non-zero': '·', settled: '·' },
};

describe('nextHealth', () => {
  for (const [from, row] of Object.entries(table) as Array<[HealthState, Record<string, HealthState | '·'>]>) {
    for (const [eventName, expected] of Object.entries(row)) {
      it(`${from} + ${eventName} → ${expected}`, () => {
        const result = nextHealth(from, events[eventName]!);
        if (expected === '·') expect(result).toBeNull();
        else {
          expect(result?.state).toBe(expected);
          expect(result?.reason).toContain(app);
        }
      });
    }
  }

  it('explains exits with their code', () => {
    expect(nextHealth('ok', events['exit non-zero']!)?.reason).toBe('emisweb.exe exited abnormally (exit code 3)');
    expect(nextHealth('hung', events['exit unknown']!)?.reason).toBe('emisweb.exe was closed while not responding (exit code unknown)');
    expect(nextHealth('ok', events['exit clean']!)?.reason).toBe('emisweb.exe closed normally');
  });

  it('walks the whole cycle ok → slow → hung → crashed → not-running → ok', () => {
    let state: HealthState = 'ok';
    const seen: HealthState[] = [state];
    for (const name of ['slow', 'hang', 'crash', 'settled', 'start']) {
      state = nextHealth(state, events[name]!)!.state;
      seen.push(state);
    }
    expect(seen).toEqual(['ok', 'slow', 'hung', 'crashed', 'not-running', 'ok']);
  });
});
