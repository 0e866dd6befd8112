// `lifeboat practice` (the merged view) and `lifeboat practice publish` (vault → share) as
// child processes, on a real vault and a real folder standing in for the practice share.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../app/common/clock.ts';
import type { Incident } from '../../app/common/incident.ts';
import type { MergeResult } from '../../app/core/practice/mergePractice.ts';
import { ShareWriter } from '../../app/core/practice/shareWriter.ts';
import { cleanupTempDirs, openTestVault, tempDir, TEST_KEY_HEX } from '../fixtures/vault/vaultTestKit.ts';
import { runCli } from '../support/runCli.ts';
import { incidentAt } from '../support/incidentAt.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 5, 9, 0);

/** The real `lifeboat practice`, from a scratch working directory, with the test vault's key. */
function practice(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runCli(['practice', ...args], { cwd: tempDir('lifeboat-practice-cwd-'), env: { LIFEBOAT_VAULT_KEY: TEST_KEY_HEX, ...env } });
}

/** The month this PC is in: publishing writes it even without an incident (the PC's heartbeat). */
const thisMonth = new Date().toISOString().slice(0, 7);

// The evidence carries a patient's details on purpose: the practice view must not show them.
const incident = (id: string, kind: Incident['kind'], at: number): Incident =>
  incidentAt(id, kind, at, { endedAt: new Date(at + 3 * MIN).toISOString(), evidence: [`${new Date(at).toISOString()} log: Patient: Jane Example NHS 943 476 5919 timed out`] });

let vaultDir: string;
let root: string;

beforeAll(() => {
  vaultDir = tempDir('lifeboat-practice-vault-');
  root = tempDir('lifeboat-practice-root-');
  const vault = openTestVault(vaultDir, { clock: new ManualClock(T0) });
  vault.save({ body: 'NOTE-TEXT-MARKER-4411 consultation', title: 'TITLE-MARKER-4412', reason: 'blur' });
  vault.recordIncident(incident('mine-1', 'crash', T0 + MIN));
  vault.recordIncident(incident('mine-2', 'slow', T0 + 40 * MIN));
  vault.close();
});
afterAll(() => cleanupTempDirs());

describe('lifeboat practice --publish', () => {
  it('queues while the share is away (exit 75), then publishes the vault incidents redacted, never note text', async () => {
    const share = join(root, 'share');
    const outbox = join(root, 'outbox');
    const offline = await practice(['--share', share, '--publish', '--vault', vaultDir, '--workstation', 'CONSULT-1', '--outbox', outbox]);
    expect(offline.code).toBe(75);
    expect(JSON.parse(offline.stdout)).toMatchObject({ ok: false, incidents: 2, pending: ['2026-01', thisMonth] });
    expect(offline.stderr).toMatch(/^lifeboat: practice share .* unavailable.*2 month\(s\) queued/);

    mkdirSync(share);
    const online = await practice(['--share', share, '--publish', '--vault', vaultDir, '--workstation', 'CONSULT-1', '--outbox', outbox]);
    expect(online.stderr).toBe('');
    expect(online.code).toBe(0);
    expect(JSON.parse(online.stdout)).toMatchObject({ ok: true, written: ['2026-01', thisMonth], pending: [] });
    const text = readdirSync(join(share, 'CONSULT-1')).map((f) => readFileSync(join(share, 'CONSULT-1', f), 'utf8')).join('');
    expect(text).not.toMatch(/MARKER|Jane Example|943 ?476 ?5919/);
    expect(text.split('\n').filter((l) => l.includes('"id":"mine-'))).toHaveLength(2);
  });
});

describe('lifeboat practice', () => {
  it('merges the share: per-workstation counts, the outage, skipped files (JSON and table)', async () => {
    const share = join(root, 'share');
    for (const name of ['CONSULT-2', 'CONSULT-3', 'RECEPTION']) {
      const w = ShareWriter.open({ shareDir: share, workstation: name, outboxDir: join(root, `outbox-${name}`), clock: new ManualClock(Date.now()) });
      w.record(incident(`${name}-1`, name === 'RECEPTION' ? 'hang' : 'crash', T0 + 3 * MIN));
      await w.flush();
    }
    mkdirSync(join(share, 'BROKEN'));
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(share, 'BROKEN', '2026-01.ndjson'), 'not json\n');

    const json = await practice(['--share', share, '--json']);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const merged = JSON.parse(json.stdout) as MergeResult;
    // BROKEN holds no file that could be read: not a workstation (it would raise "half the practice").
    expect(merged.workstations.map((w) => w.name)).toEqual(['CONSULT-1', 'CONSULT-2', 'CONSULT-3', 'RECEPTION']);
    // Half the practice of four is fewer than 3.
    expect(merged.settings.minWorkstations).toBe(2);
    expect(merged.outages).toHaveLength(1);
    expect(merged.outages[0]).toMatchObject({ affected: 4, workstations: ['CONSULT-1', 'CONSULT-2', 'CONSULT-3', 'RECEPTION'], kinds: { crash: 3, hang: 1 } });
    expect(merged.skipped).toHaveLength(1);
    expect(merged.skipped[0]!.path).toContain('BROKEN');

    const table = await practice(['--share', share, '--window', '5m', '--min-workstations', '5']);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('outage = 5+ workstations in trouble within 5 min');
    expect(table.stdout).toContain('Practice-wide outages: 0');
    expect(table.stdout).toMatch(/CONSULT-1\s+1\s+0\s+1\s+0/);
    expect(table.stdout).toMatch(/Skipped or partly read: 1\n.*BROKEN.*not JSON/);
  });

  it('explains a missing --share and a share it cannot read', async () => {
    const none = await practice(['--json']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--share DIR is required/);
    // Without --vault: the data folder's vault, as every command; none there is one clear line.
    const noVault = await practice(['--share', root, '--publish'], { LIFEBOAT_DATA_DIR: tempDir('lifeboat-practice-data-') });
    expect(noVault.code).toBe(1);
    expect(noVault.stderr).toMatch(/^lifeboat: no vault at .*vault; give the vault's folder with --vault/);
    const gone = await practice(['--share', join(root, 'nowhere')]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/^lifeboat: cannot read the practice share .*nowhere/);
  });
});
