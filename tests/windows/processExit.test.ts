/**
 * Proof 4 of the Windows lane: the bundled `lifeboat watch` hears the real Win32 client end through
 * a wait on its process handle. An access violation is a crash incident carrying 0xC0000005; a clean
 * close (exit code 0) is no incident at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAndWatch, type LifeboatEventLine, type LifeboatRun, TestClient } from './support/wineLane.ts';

let watch: LifeboatRun;
const clients: TestClient[] = [];

const incidents = (): LifeboatEventLine[] => watch.events().filter((e) => e.type === 'incident');
const processSignal = (kind: string, pid: number) => (e: LifeboatEventLine) => e.type === 'signal' && e.source === 'process' && e.kind === kind && e.pid === pid;

beforeAll(async () => {
  const started = await clientAndWatch('exit');
  clients.push(started.client);
  watch = started.watch;
});

afterAll(async () => {
  await watch?.stop();
  for (const client of clients) client.kill();
});

describe('client exit heard through the process handle under Wine', () => {
  it('4. the client crashing → a crash incident with exit code 0xC0000005; closing cleanly → no incident', async () => {
    const crashing = clients[0]!;
    const announced = await crashing.send('crash', /^crashing /);
    const crashedAt = Number(announced.split(' ')[1]);
    expect(await crashing.exited).toBe(0x05); // Wine hands Linux the low byte of 0xC0000005

    const exit = await watch.waitForEvent(processSignal('exit', crashing.windowsPid), 'the process exit signal');
    expect(exit.exitCode).toBe(0xc0000005);
    expect(exit.detail).toContain('exit code 0xC0000005 (access violation)');
    const crash = await watch.waitForEvent((e) => e.type === 'incident' && (e.incident as { kind: string }).kind === 'crash', 'a crash incident');
    const incident = crash.incident as { kind: string; sources: string[]; evidence: string[]; startedAt: string };
    expect(incident.sources).toContain('process');
    expect(incident.evidence.join('\n')).toContain('0xC0000005');
    // An event, not a poll: the exit is heard well within the 1 s poll interval.
    expect((exit.at as number) - crashedAt).toBeLessThan(1000);

    // A clean close: the next client starts, is seen, and closes with exit code 0.
    const closing = await TestClient.start();
    clients.push(closing);
    await watch.waitForEvent(processSignal('start', closing.windowsPid), 'the second client to be seen');
    const before = incidents().length;
    await closing.send('close', /^closing /);
    expect(await closing.exited).toBe(0);
    const clean = await watch.waitForEvent(processSignal('exit', closing.windowsPid), 'the clean exit signal');
    expect(clean.exitCode).toBe(0);
    // Whatever follows the exit (health, the crash incident closing at the restart) opens nothing new.
    await watch.waitForEvent((e) => e.type === 'health' && e.state === 'not-running', 'health not-running after the clean close');
    const after = incidents().slice(before);
    expect(after.filter((e) => e.change === 'opened')).toEqual([]);
    expect(after.every((e) => (e.incident as { kind: string }).kind !== 'exit')).toBe(true);
  });
});
