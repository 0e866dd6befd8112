/**
 * Policy the way Windows administrators deploy it, under Wine: values set with `reg add` under
 * HKLM\SOFTWARE\Policies\Lifeboat (what Group Policy and Intune write from the ADMX template) are
 * read by the bundled CLI, win over policy.json, and apply live, while it runs.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WINE64 } from '../../scripts/windows/provision.js';
import { waitFor } from '../support/waitFor.ts';
import { clientAndWatch, laneEnv, type LifeboatRun, runLifeboat, type TestClient } from './support/wineLane.ts';

const KEY = 'HKLM\\SOFTWARE\\Policies\\Lifeboat';

function reg(...args: string[]): void {
  const result = spawnSync(WINE64, ['reg', ...args], { env: laneEnv(), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`reg ${args.join(' ')}: ${result.stdout}${result.stderr}`);
}

let client: TestClient;
let watch: LifeboatRun;
let vault: string;

beforeAll(async () => {
  spawnSync(WINE64, ['reg', 'delete', KEY, '/f'], { env: laneEnv() });
  ({ vault, client, watch } = await clientAndWatch('policy'));
});

afterAll(async () => {
  await watch?.stop();
  client?.kill();
  spawnSync(WINE64, ['reg', 'delete', KEY, '/f'], { env: laneEnv() });
});

describe('registry policy under Wine', () => {
  it('a value set with reg add applies live: text capture off, then on again when the policy is removed', async () => {
    await client.send('focus note');
    await client.send('settext note before the policy');
    let drafts: Array<{ id: string }> = [];
    await waitFor(async () => (drafts = JSON.parse((await runLifeboat(['drafts', 'list', '--vault', vault, '--json'])).stdout) as Array<{ id: string }>).length === 1, { timeoutMs: 30_000, intervalMs: 200, what: 'the first captured draft' });
    const id = drafts[0]!.id;

    reg('add', `${KEY}\\ClientCapture`, '/v', 'Enabled', '/t', 'REG_DWORD', '/d', '0', '/f');
    await watch.err.waitFor((l) => l.includes('policy changed') && l.includes('text capture off'), 'the policy to apply while watch runs');
    await client.send('settext note typed while the policy forbids capture');

    const from = watch.err.lines.length;
    const removedAt = Date.now();
    reg('delete', KEY, '/f');
    await watch.err.waitForAfter(from, (l) => l.includes('policy changed') && l.includes('text capture on'), 'the policy removal to apply');
    // Capture resumes and reads what the box holds now: the draft changes only after the policy went.
    let shown = { body: '', updatedAt: '' };
    await waitFor(async () => (shown = JSON.parse((await runLifeboat(['drafts', 'show', id, '--vault', vault, '--json'])).stdout) as typeof shown).body !== 'before the policy', {
      timeoutMs: 30_000,
      intervalMs: 200,
      what: 'the draft to take the new text once capture is on again',
    });
    expect(shown.body).toBe('typed while the policy forbids capture');
    expect(Date.parse(shown.updatedAt)).toBeGreaterThanOrEqual(removedAt);
  });

  it('a bad value is named with its key and the previous settings stay in force', async () => {
    const from = watch.err.lines.length;
    reg('add', KEY, '/v', 'RetentionDays', '/t', 'REG_DWORD', '/d', '9999', '/f');
    const line = await watch.err.waitForAfter(from, (l) => l.includes('policy changed but cannot be used'), 'the bad policy to be reported');
    expect(line).toContain('HKLM\\SOFTWARE\\Policies\\Lifeboat: RetentionDays:');
    reg('delete', KEY, '/f');
  });
});
