import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispatchApiCall } from '../../app/core/api/apiBackend.ts';
import { loadConfig } from '../../app/core/config/configFile.ts';
import { SettingsStore } from '../../app/core/settings/settingsStore.ts';
import { runCli } from '../support/runCli.ts';

describe('CLI edges', () => {
  it('a reading command on a folder with no vault says so and creates nothing', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'lifeboat-edges-')), 'typo');
    const result = await runCli(['drafts', 'list', '--vault', dir, '--json']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`lifeboat: no vault at ${dir}; give the vault's folder with --vault (or LIFEBOAT_VAULT)\n`);
    expect(existsSync(dir)).toBe(false);
  });

  it('an unknown command is one line on stderr and a non-zero exit', async () => {
    const result = await runCli(['frobnicate']);
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('settings the practice policy fixes', () => {
  it('are refused with LOCKED_BY_POLICY, and the user file is left alone', async () => {
    const root = mkdtempSync(join(tmpdir(), 'lifeboat-policy-'));
    const policyPath = join(root, 'policy.json');
    const userPath = join(root, 'config.json');
    writeFileSync(policyPath, JSON.stringify({ settings: { retentionDays: 30 } }));
    const store = new SettingsStore({ resolved: { config: loadConfig({ env: {}, userPath, policyPath }), rule: 'as-configured', problems: [], problem: null }, userPath });
    const handlers = { updateSettings: (arg: never) => store.update(arg) } as never;
    const refused = await dispatchApiCall(handlers, 'updateSettings', { retentionDays: 7 });
    expect(refused).toEqual({ ok: false, error: { code: 'LOCKED_BY_POLICY', message: "retentionDays is set by the practice's policy and cannot be changed here; ask practice IT" } });
    expect(existsSync(userPath)).toBe(false);
    const allowed = await dispatchApiCall(handlers, 'updateSettings', { notificationsEnabled: false });
    expect(allowed.ok).toBe(true);
    expect(JSON.parse((await import('node:fs')).readFileSync(userPath, 'utf8')).settings.notifications.enabled).toBe(false);
  });
});
