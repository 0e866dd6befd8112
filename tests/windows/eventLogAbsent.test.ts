/**
 * The Windows lane has no Event Log: Wine 8's EvtSubscribe is a stub (NULL, no error set) and its
 * wevtutil prints nothing. The bundled `lifeboat watch` must notice that once, say so once, and
 * then spawn no wevtutil every 2 s (before this, it did: ~2.3 % of a core under Wine), while a crash
 * is still heard from the client's process handle. The subscription itself needs a practice PC.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WINE64 } from '../../scripts/windows/provision.js';
import { eventLogMissing } from '../../app/core/watch/eventlog/windowsEventLog.ts';
import { clientAndWatch, lane, laneEnv, type LifeboatRun, type TestClient } from './support/wineLane.ts';

let watch: LifeboatRun;
let client: TestClient;

beforeAll(async () => {
  const started = await clientAndWatch('eventlog');
  client = started.client;
  watch = started.watch;
});

afterAll(async () => {
  await watch?.stop();
  client?.kill();
});

/** Wine processes of this lane's session (its own display) whose command line names wevtutil. */
function laneWevtutils(): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!/wevtutil/i.test(readFileSync(`/proc/${entry}/cmdline`, 'latin1'))) continue;
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(`DISPLAY=${lane().display}`)) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Every wevtutil process of the lane seen over `ms`, sampled every 20 ms (one lives ~0.3 s or more under Wine). */
async function wevtutilsOver(ms: number, during: () => Promise<unknown> = () => Promise.resolve()): Promise<Set<number>> {
  const seen = new Set<number>();
  const sampler = setInterval(() => laneWevtutils().forEach((pid) => seen.add(pid)), 20);
  try {
    await Promise.all([during(), new Promise((resolve) => setTimeout(resolve, ms))]);
  } finally {
    clearInterval(sampler);
  }
  return seen;
}

/** The binding was loaded and called: a wevtapi that failed to load would say "cannot load wevtapi.dll". */
const isMissingLine = (line: string): boolean => line === `lifeboat: eventlog: ${eventLogMissing('EvtSubscribe failed (Windows error 0)')}`;

describe('no Event Log under Wine', () => {
  it('says so once, spawns no wevtutil over 20 s, and still hears the crash from the process handle', async () => {
    await watch.err.waitFor(isMissingLine, 'the watcher to say there is no Event Log', 30_000);

    // The counter sees a wevtutil of this session: one run by hand inside the window is counted.
    const byHand = await wevtutilsOver(3000, () => new Promise((resolve) => spawn(WINE64, ['C:\\windows\\system32\\wevtutil.exe', 'gli', 'Application'], { env: laneEnv(), stdio: 'ignore' }).on('exit', resolve)));
    expect(byHand.size).toBe(1);

    const spawned = await wevtutilsOver(20_000);
    expect([...spawned]).toEqual([]);
    expect(watch.err.lines.filter(isMissingLine)).toHaveLength(1);
    expect(watch.err.lines.filter((l) => l.startsWith('lifeboat: eventlog:'))).toHaveLength(1);

    // Crash detection does not depend on the Event Log: the process handle tells.
    const crashedAt = Number((await client.send('crash', /^crashing /)).split(' ')[1]);
    const exit = await watch.waitForEvent((e) => e.type === 'signal' && e.source === 'process' && e.kind === 'exit' && e.pid === client.windowsPid, 'the process exit signal');
    expect(exit.exitCode).toBe(0xc0000005);
    expect((exit.at as number) - crashedAt).toBeLessThan(1000);
    await watch.waitForEvent((e) => e.type === 'incident' && (e.incident as { kind: string }).kind === 'crash', 'a crash incident');
  });
});
