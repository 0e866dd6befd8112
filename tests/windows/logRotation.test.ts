/**
 * Proof 5 of the Windows lane: the Win32 test client rolls its log4net-style log by renaming it
 * while the bundled `lifeboat watch` tails it. Every rename succeeds (Lifeboat's reads share delete
 * access, so it never breaks the clinical system's own rotation) and every line is read exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/waitFor.ts';
import { clientAndWatch, type LifeboatRun, type TestClient } from './support/wineLane.ts';

const ROUNDS = 10;
const LINES_PER_ROUND = 100;

let client: TestClient;
let watch: LifeboatRun;

const seqNumbers = (): number[] =>
  watch
    .events()
    .filter((e) => e.type === 'signal' && e.source === 'log')
    .flatMap((e) => {
      const match = /SEQ (\d+)/.exec(String(e.detail));
      return match ? [Number(match[1])] : [];
    });

beforeAll(async () => {
  ({ client, watch } = await clientAndWatch('rotation', { logDir: (dir) => `${dir}/logs` }));
  // The tailer is following the file once a line written now comes through.
  await client.send('seq 0 1');
  await watch.waitForEvent((e) => e.type === 'signal' && e.source === 'log', 'the tailer to follow client.log', 30_000);
});

afterAll(async () => {
  await watch?.stop();
  client?.kill();
});

describe('log rotation by rename while Lifeboat tails the log, under Wine', () => {
  it('control: a reader that does not share delete access makes the rename fail (error 32), so the check below has teeth', async () => {
    await client.send('hold-log');
    expect(await client.send('roll', /^rolled /)).toBe('rolled failed 32');
    await client.send('release-log');
  });

  it('5. every rename while tailing succeeds, and no line is lost or read twice across the rolls', async () => {
    let next = 1;
    const rolls: string[] = [];
    // Each round writes lines 1 ms apart and rolls the moment Lifeboat has the file open.
    for (let round = 0; round < ROUNDS; round++) {
      rolls.push(await client.send(`seqroll ${next} ${LINES_PER_ROUND}`, /^rolled /));
      next += LINES_PER_ROUND;
    }
    await client.send(`seq ${next} ${LINES_PER_ROUND}`);
    const last = next + LINES_PER_ROUND - 1;
    expect(rolls.filter((r) => !r.startsWith('rolled ok'))).toEqual([]);

    const expected = Array.from({ length: last }, (_, i) => i + 1);
    const seen = (): number[] => seqNumbers().filter((n) => n >= 1);
    // The last record of the live file waits for quiet (it could be the start of a stack trace).
    await waitFor(() => new Set(seen()).size >= last, { timeoutMs: 30_000, what: `all ${last} lines` }).catch(() => undefined);
    expect([...seen()].sort((a, b) => a - b)).toEqual(expected); // none lost, none twice
    // The renames really met Lifeboat's open handle (the client saw the file open elsewhere first).
    const overlapped = rolls.filter((r) => r.endsWith('open-elsewhere=1')).length;
    process.stdout.write(`log rotation: ${ROUNDS} rolls, ${overlapped} while Lifeboat had client.log open, ${last} lines each read once\n`);
    expect(overlapped).toBeGreaterThan(0);
  });
});
