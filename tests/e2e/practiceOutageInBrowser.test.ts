import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../app/common/clock.ts';
import { ShareWriter } from '../../app/core/practice/shareWriter.ts';
import { waitFor } from '../support/waitFor.ts';
import { harnessInBrowser } from './support/harnessInBrowser.ts';
import { screenshot } from './support/screenshot.ts';

const session = harnessInBrowser();

describe('the IT view shows a practice-wide outage', () => {
  it('lists the computers in trouble together, read from the practice share', async () => {
    const share = mkdtempSync(join(tmpdir(), 'lifeboat-share-e2e-'));
    const harness = await session.startHarness({ sharePath: share, workstation: 'ROOM-2' });
    for (const name of ['RECEPTION-1', 'ROOM-4']) {
      const writer = ShareWriter.open({ shareDir: share, workstation: name, outboxDir: mkdtempSync(join(tmpdir(), `outbox-${name}-`)), clock: systemClock });
      writer.record({ id: `inc-${name}`, kind: 'crash', app: 'emisweb.exe', profile: 'emis-web', startedAt: new Date(Date.now() - 20_000).toISOString(), endedAt: null, sources: ['wer'], evidence: [], signature: null });
      expect((await writer.flush()).ok).toBe(true);
    }
    await waitFor(() => harness.runtime.service.status().practiceOutage !== null, { what: 'the outage from the share', timeoutMs: 15_000 });
    const server = await session.serve(harness);
    const { page } = session.browser();
    await page.goto(server.url);
    await page.goto(new URL('#/incidents', server.url).toString());
    const notice = page.getByTestId('practice-outage');
    await notice.waitFor({ timeout: 10_000 });
    expect(await notice.textContent()).toMatch(/Practice-wide problem: 2 computers have had trouble since .*\(RECEPTION-1, ROOM-4\)\. It is not just this PC\./);
    await screenshot(page, 'practice-outage');
  }, 90_000);
});
