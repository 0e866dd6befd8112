import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dispatchApiCall, type ApiHandlers } from '../../../../app/core/api/apiBackend.ts';
import type { LoadedConfig } from '../../../../app/core/config/configFile.ts';
import { resolveConfig } from '../../../../app/core/config/failSafeConfig.ts';
import { SettingsStore } from '../../../../app/core/settings/settingsStore.ts';
import { cleanupTempDirs, tempDir } from '../../../fixtures/vault/vaultTestKit.ts';

afterAll(() => cleanupTempDirs());

function store(files: { user?: unknown; policy?: unknown } = {}, persist = true) {
  const dir = tempDir('lifeboat-settings-');
  const userPath = join(dir, 'config.json');
  const policyPath = join(dir, 'policy.json');
  if (files.user !== undefined) writeFileSync(userPath, typeof files.user === 'string' ? files.user : JSON.stringify(files.user));
  if (files.policy !== undefined) writeFileSync(policyPath, JSON.stringify(files.policy));
  const changes: LoadedConfig[] = [];
  const resolved = resolveConfig({ env: {}, userPath, policyPath, lastGood: null, now: () => 0 });
  const settings = new SettingsStore({ resolved, userPath: persist ? userPath : null, onChange: (config) => changes.push(config) });
  const handlers = { updateSettings: (arg: never) => settings.update(arg), getSettings: () => settings.get() } as unknown as ApiHandlers;
  return { settings, changes, userPath, handlers };
}

describe('the one settings store', () => {
  it('refuses a setting the policy fixes with LOCKED_BY_POLICY over the API, and writes nothing', async () => {
    const { handlers, userPath } = store({ policy: { settings: { retentionDays: 30, capture: false } } });
    expect(await dispatchApiCall(handlers, 'getSettings', {})).toMatchObject({ ok: true, value: { lockedByPolicy: ['retentionDays', 'clientCaptureEnabled', 'clipboardJournalEnabled'] } });
    expect(await dispatchApiCall(handlers, 'updateSettings', { retentionDays: 7 })).toMatchObject({ ok: false, error: { code: 'LOCKED_BY_POLICY' } });
    expect(await dispatchApiCall(handlers, 'updateSettings', { clientCaptureEnabled: true })).toMatchObject({ ok: false, error: { code: 'LOCKED_BY_POLICY' } });
    expect(existsSync(userPath)).toBe(false);
  });

  it('hands a profile change to the running service as a config watching the new client, and writes it to the user file', () => {
    const { settings, changes, userPath } = store({ user: { settings: { retentionDays: 10 } } });
    const view = settings.update({ activeProfile: 'systmone' });
    expect(view.activeProfile).toBe('systmone');
    expect(changes.map((c) => c.active.map((p) => p.name))).toEqual([['systmone']]);
    expect(settings.current().settings.activeProfiles).toEqual(['systmone']);
    expect(JSON.parse(readFileSync(userPath, 'utf8'))).toEqual({ settings: { retentionDays: 10, activeProfiles: ['systmone'], notifications: { enabled: true } } });
    // The file written reads back as the same config.
    expect(resolveConfig({ env: {}, userPath, lastGood: null, now: () => 0 }).config.active.map((p) => p.name)).toEqual(['systmone']);
  });

  it('keeps changes in memory when it has no user file (tests, the demo)', () => {
    const { settings, changes, userPath } = store({}, false);
    expect(settings.update({ notificationsEnabled: false }).notificationsEnabled).toBe(false);
    expect(changes).toHaveLength(1);
    expect(existsSync(userPath)).toBe(false);
  });

  it('does not write over a user file it cannot read: the GP is told, the file stays as it was', async () => {
    const broken = '{ "settings": { "retentionDays": 10, } ';
    const { handlers, userPath } = store({ user: broken });
    const refused = await dispatchApiCall(handlers, 'updateSettings', { notificationsEnabled: false });
    expect(refused).toMatchObject({ ok: false, error: { code: 'SETTINGS_FILE_UNREADABLE' } });
    expect(readFileSync(userPath, 'utf8')).toBe(broken);
  });

  it('a change equal to the current value is no change (the form sends what it shows), even when locked', () => {
    const { settings, changes } = store({ policy: { settings: { retentionDays: 30 } } });
    expect(settings.update({ retentionDays: 30 }).retentionDays).toBe(30);
    expect(changes).toEqual([]);
  });

  it('shows the problem in force, and follows a config resolved again', () => {
    const { settings } = store({ user: '{' });
    expect(settings.get().configProblem?.details[0]).toMatchObject({ layer: 'user', line: 1 });
    settings.setResolved(resolveConfig({ env: {}, lastGood: null, now: () => 0 }));
    expect(settings.get().configProblem).toBeNull();
    expect(settings.configProblem()).toBeNull();
  });

  it('a change other than the profile leaves the watched clients as they are (narrowed or adjusted by the caller)', () => {
    const resolved = resolveConfig({ env: {}, lastGood: null, now: () => 0 });
    const adjusted = { ...resolved.config, active: [{ ...resolved.config.profiles[0]!, processNames: ['OnlyThisOne.exe'] }] };
    const changes: LoadedConfig[] = [];
    const settings = new SettingsStore({ resolved: { ...resolved, config: adjusted }, userPath: null, onChange: (config) => changes.push(config) });
    settings.update({ clientCaptureEnabled: false });
    expect(changes[0]!.active).toBe(adjusted.active);
  });

  it('refuses an unknown profile with BAD_ARGUMENT', async () => {
    const { handlers } = store();
    expect(await dispatchApiCall(handlers, 'updateSettings', { activeProfile: 'no-such' })).toMatchObject({ ok: false, error: { code: 'BAD_ARGUMENT' } });
  });
});

