import { afterEach, describe, expect, it } from 'vitest';
import { incidentsOf, startSimHarness, type SimHarness } from '../support/simHarness.ts';
import { waitFor } from '../support/waitFor.ts';

let harness: SimHarness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

const captured = (h: SimHarness) => h.runtime.vault.list().filter((d) => d.origin === 'capture');

describe('text capture from the simulated client’s editor, through the running service', () => {
  it('keeps what the GP types in the client; after a crash Recovery offers it under the crash, seconds before', async () => {
    harness = await startSimHarness({ captureIntervals: { captureMs: 200 } });
    const client = await harness.startClient();
    await waitFor(() => harness!.runtime.health().state === 'ok', { what: 'client start' });

    client.type('Presenting complaint: productive cough 3 weeks.');
    await waitFor(() => captured(harness!).length === 1, { what: 'captured draft' });
    client.type('\nExamination: coarse crackles right base.');
    const [draft] = captured(harness);
    await waitFor(() => harness!.runtime.vault.show(draft!.id).body.endsWith('right base.'), { what: 'second snapshot' });
    expect(harness.runtime.vault.show(draft!.id).body).toBe('Presenting complaint: productive cough 3 weeks.\nExamination: coarse crackles right base.');
    // The window title names the patient: the draft's title must not.
    expect(draft!.title).toBe('Simulated clinical client: Simulated Clinical Client – Consultation – …');
    expect(JSON.stringify(harness.runtime.vault.info(draft!.id))).not.toMatch(/EXAMPLE|Jane|943 476 5919/);

    client.send('crash');
    await waitFor(() => incidentsOf(harness!, 'crash').length === 1, { what: 'crash' });
    const groups = await harness.runtime.handlers.recoveryCandidates({});
    expect(groups[0]!.incident!.kind).toBe('crash');
    const offered = groups[0]!.drafts.find((d) => d.id === draft!.id)!;
    expect(offered).toMatchObject({ origin: 'capture' });
    expect(offered.secondsBeforeIncident).toBeLessThanOrEqual(5);
    const notice = harness.events.find((e) => e.type === 'notification' && e.kind === 'crashed');
    expect(notice).toMatchObject({ draftId: draft!.id });
    expect(JSON.stringify(harness.events)).not.toContain('crackles');
    expect(harness.diagnostics.join('\n')).not.toContain('crackles');
  }, 30_000);

  it('reads nothing while another program is in front or a password box has focus; a new patient is a new draft', async () => {
    harness = await startSimHarness({ captureIntervals: { captureMs: 100 } });
    const client = await harness.startClient();
    await waitFor(() => harness!.runtime.health().state === 'ok', { what: 'client start' });
    client.focus('away');
    client.type('typed while another program was in front');
    client.focus('password');
    await new Promise((r) => setTimeout(r, 600));
    expect(captured(harness)).toEqual([]);

    client.focus('note');
    await waitFor(() => captured(harness!).length === 1, { what: 'capture once the note box has focus' });
    client.send('clear');
    client.setTitle('Simulated Clinical Client - Consultation - SAMPLE, John (Mr) - 401 023 2137');
    client.type('John: asthma review, peak flow 420');
    await waitFor(() => captured(harness!).length === 2, { what: 'second patient, second draft' });
    const bodies = captured(harness).map((d) => harness!.runtime.vault.show(d.id).body).sort();
    expect(bodies).toEqual(['John: asthma review, peak flow 420', 'typed while another program was in front']);
  }, 30_000);

  it('switched off in Settings, it stops reading at once; switched on, it reads again', async () => {
    harness = await startSimHarness({ captureIntervals: { captureMs: 100 } });
    const client = await harness.startClient();
    await waitFor(() => harness!.runtime.health().state === 'ok', { what: 'client start' });
    const view = await harness.runtime.handlers.updateSettings({ clientCaptureEnabled: false });
    expect(view.clientCapture).toMatchObject({ enabled: false, available: true, clipboardAvailable: false });
    expect(view.clientCapture.description).toContain('never reads password boxes');
    client.type('not to be kept');
    await new Promise((r) => setTimeout(r, 500));
    expect(captured(harness)).toEqual([]);
    await harness.runtime.handlers.updateSettings({ clientCaptureEnabled: true });
    await waitFor(() => captured(harness!).length === 1, { what: 'capture on again' });
  }, 30_000);
});
