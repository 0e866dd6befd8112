import { afterEach, describe, expect, it } from 'vitest';
import { healthStates, incidentsOf, startSimHarness, type SimHarness } from '../support/simHarness.ts';
import { waitFor } from '../support/waitFor.ts';

let harness: SimHarness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

describe('Lifeboat service watching the real simulated client', () => {
  it('turns a crash seen by log, WER and process exit into ONE incident, checkpoints the notes, names the later of two notes and groups both', async () => {
    harness = await startSimHarness();
    const client = await harness.startClient();
    await waitFor(() => harness!.runtime.health().state === 'ok', { what: 'client start' });
    // Two notes before the crash: the notification must name the later one, Recovery list both.
    const earlier = harness.runtime.vault.save({ body: 'Sore throat 3/7, no fever, eating and drinking', title: 'earlier note' });
    await waitFor(() => Date.now() > Date.parse(earlier.savedAt), { what: 'the clock to move past the first note' });
    const draft = harness.runtime.vault.save({ body: 'Chest pain, onset 2 hours, radiating to the left arm', title: 'crash test' });
    harness.runtime.vault.save({ id: draft.id, body: 'Chest pain, onset 2 hours, radiating to the left arm. ECG requested' });

    client.send('crash');
    await waitFor(() => incidentsOf(harness!, 'crash').some((i) => ['log', 'wer', 'process'].every((s) => i.sources.includes(s as never))), { what: 'crash with three sources' });
    const crashes = incidentsOf(harness, 'crash');
    expect(crashes).toHaveLength(1);
    expect(crashes[0]!.signature).toBe('System.OutOfMemoryException');
    expect(harness.runtime.health().state).toBe('crashed');
    expect(harness.runtime.vault.listIncidents().filter((i) => i.kind === 'crash')).toHaveLength(1);
    // The pre-crash checkpoint wrote the unrevisioned text into history.
    const revisions = harness.runtime.vault.revisions(draft.id);
    expect(revisions.at(-1)!.reason).toBe('pre-crash');
    // The crash notification offers that note back, without its text.
    const notice = harness.events.find((e) => e.type === 'notification' && e.kind === 'crashed');
    expect(notice).toMatchObject({ draftId: draft.id });
    expect(JSON.stringify(notice)).not.toContain('Chest pain');
    // Recovery groups both notes under that crash, the notified one first and offered.
    const groups = await harness.runtime.handlers.recoveryCandidates({});
    expect(groups[0]!.incident!.id).toBe(crashes[0]!.id);
    expect(groups[0]!.drafts.map((d) => d.id)).toEqual([draft.id, earlier.id]);
    expect(groups[0]!.offeredDraftId).toBe(draft.id);
    expect(notice).toMatchObject({ incidentId: crashes[0]!.id });

    await harness.startClient();
    await waitFor(() => harness!.runtime.health().state === 'ok', { what: 'restart → ok' });
    expect(incidentsOf(harness, 'crash')[0]!.endedAt).not.toBeNull();
  });

  it('reports a hang (SIGSTOP) and its end, and a normal close is no incident', async () => {
    harness = await startSimHarness();
    const client = await harness.startClient();
    await waitFor(() => harness!.runtime.health().state === 'ok');
    client.send('hang');
    // The client logs "UI thread blocked" before it stops: wait until the process probe has seen
    // the stopped process too, since only a live source can tell that the hang is over, and until
    // the log record has arrived (it comes from the watcher process after its quiet flush).
    await waitFor(() => harness!.runtime.health().state === 'hung' && incidentsOf(harness!, 'hang').some((i) => i.sources.includes('process') && i.sources.includes('log')), { what: 'hung' });
    client.resume();
    await waitFor(() => harness!.runtime.health().state === 'ok', { what: 'responsive again' });
    const hangs = incidentsOf(harness, 'hang');
    expect(hangs).toHaveLength(1);
    expect(hangs[0]!.sources).toContain('process');
    expect(hangs[0]!.endedAt).not.toBeNull();

    client.send('exit');
    await client.exited;
    await waitFor(() => harness!.runtime.health().state === 'not-running', { what: 'not running' });
    expect(incidentsOf(harness, 'crash')).toHaveLength(0);
    expect(incidentsOf(harness, 'exit')).toHaveLength(0);
    expect(healthStates(harness)).toEqual(['ok', 'hung', 'ok', 'not-running']);
  });

  it('reports a slow episode from the log, and an abnormal exit without crash evidence as an exit incident', async () => {
    harness = await startSimHarness();
    const client = await harness.startClient();
    await waitFor(() => harness!.runtime.health().state === 'ok');
    client.send('slow');
    await waitFor(() => harness!.runtime.health().state === 'slow', { what: 'slow' });
    expect(incidentsOf(harness, 'slow')).toHaveLength(1);
    client.kill();
    await waitFor(() => incidentsOf(harness!, 'exit').length === 1, { what: 'exit incident' });
    expect(incidentsOf(harness, 'exit')[0]!.evidence.join('\n')).toMatch(/exit code 137/);
  });

  it('reads on through log rotation while the client writes (rename and copytruncate)', async () => {
    for (const rotateMode of ['rename', 'copytruncate'] as const) {
      harness = await startSimHarness();
      const client = await harness.startClient({ rotateBytes: 4096, rotateMode, intervalMs: 5 });
      await waitFor(() => harness!.runtime.health().state === 'ok');
      await new Promise((r) => setTimeout(r, 600)); // several rotations at 4 KiB
      client.send('crash');
      await waitFor(() => incidentsOf(harness!, 'crash').some((i) => i.sources.includes('log')), { what: `crash line after ${rotateMode} rotation` });
      await harness.close();
      harness = null;
    }
  });
});
