import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../app/common/clock.ts';
import type { Incident } from '../../app/common/incident.ts';
import { ShareWriter } from '../../app/core/practice/shareWriter.ts';
import { startSimHarness, type SimHarness } from '../support/simHarness.ts';
import { waitFor } from '../support/waitFor.ts';

let harness: SimHarness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

async function otherWorkstationCrash(share: string, name: string, at: number): Promise<void> {
  const writer = ShareWriter.open({ shareDir: share, workstation: name, outboxDir: mkdtempSync(join(tmpdir(), `outbox-${name}-`)), clock: systemClock });
  const incident: Incident = { id: `inc-${name}`, kind: 'crash', app: 'emisweb.exe', profile: 'emis-web', startedAt: new Date(at).toISOString(), endedAt: null, sources: ['wer'], evidence: [], signature: null };
  writer.record(incident);
  expect((await writer.flush()).ok).toBe(true);
}

describe('practice-wide view in the running service', () => {
  it("publishes this PC's crash to the share and tells the GP when several PCs crash together", async () => {
    const share = mkdtempSync(join(tmpdir(), 'lifeboat-share-'));
    harness = await startSimHarness({ sharePath: share, workstation: 'ROOM-2' });
    const client = await harness.startClient();
    await waitFor(() => harness!.runtime.health().state === 'ok');
    await new Promise((r) => setTimeout(r, 700)); // a calm practice: a few share cycles, no outage
    expect(harness.events.some((e) => e.type === 'notification' && e.kind === 'outage')).toBe(false);
    await otherWorkstationCrash(share, 'RECEPTION-1', Date.now() - 60_000);
    client.send('crash');
    await otherWorkstationCrash(share, 'ROOM-4', Date.now());
    await waitFor(() => harness!.events.some((e) => e.type === 'notification' && e.kind === 'outage'), { what: 'outage notification', timeoutMs: 15_000 });
    const outage = harness.events.find((e) => e.type === 'notification' && e.kind === 'outage')!;
    expect(outage).toMatchObject({ title: expect.stringMatching(/problems across the practice/) as unknown as string });
    expect(harness.diagnostics).toEqual([]);
    // The IT view reads it from the status. This PC's crash reaches the share from the watcher
    // process, possibly a cycle after the other PCs' files made the outage: wait for it.
    await waitFor(async () => (await harness!.runtime.handlers.getStatus({})).practiceOutage?.names.includes('ROOM-2') === true, { what: "this PC's crash in the outage", timeoutMs: 15_000 });
    const status = await harness.runtime.handlers.getStatus({});
    expect(status.practiceOutage?.workstations).toBeGreaterThanOrEqual(2);
    expect(status.practiceOutage?.names).toContain('ROOM-2');
    expect(readdirSync(share).sort()).toEqual(['RECEPTION-1', 'ROOM-2', 'ROOM-4']);
  });
});
