import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EDITABLE_SETTINGS } from '../../../../app/common/api.ts';
import { ConfigWatcher } from '../../../../app/core/config/configWatcher.ts';
import { GP_POLICY_PROBLEM, GP_USER_FILE_PROBLEM, resolveConfig, type ConfigSources, type ResolvedConfig } from '../../../../app/core/config/failSafeConfig.ts';
import { LastGoodPolicyFile } from '../../../../app/core/config/lastGoodPolicy.ts';
import { lockedSettings } from '../../../../app/core/config/settingLocks.ts';
import type { PolicySource } from '../../../../app/core/config/registryPolicy.ts';
import { ConfigError } from '../../../../app/core/config/configError.ts';
import { cleanupTempDirs, tempDir } from '../../../fixtures/vault/vaultTestKit.ts';

afterAll(() => cleanupTempDirs());

const NOW = Date.UTC(2026, 11, 1, 9, 0, 0);

function setup(): { dir: string; userPath: string; policyPath: string; lastGood: LastGoodPolicyFile; sources: ConfigSources } {
  const dir = tempDir('lifeboat-failsafe-');
  const userPath = join(dir, 'config.json');
  const policyPath = join(dir, 'policy.json');
  const lastGood = new LastGoodPolicyFile(join(dir, 'state', 'last-good-policy.json'));
  return { dir, userPath, policyPath, lastGood, sources: { env: {}, userPath, policyPath, lastGood, now: () => NOW } };
}

const json = (value: unknown): string => JSON.stringify(value, null, 2);

/** What makes a config "most restrictive": capture and the clipboard journal off, every setting locked. */
function expectMostRestrictive(resolved: ResolvedConfig): void {
  expect(resolved.rule).toBe('most-restrictive');
  const { settings } = resolved.config;
  expect(settings.capture && settings.clientCapture.enabled).toBe(false);
  expect(settings.capture && settings.clientCapture.clipboardJournal).toBe(false);
  expect(lockedSettings(resolved.config)).toEqual([...EDITABLE_SETTINGS]);
}

describe('a broken configuration fails safe: one rule (resolveConfig)', () => {
  it('a user file with bad JSON is ignored, the policy stays in force, and the problem names file, line and column', () => {
    const { userPath, policyPath, sources } = setup();
    writeFileSync(policyPath, json({ settings: { retentionDays: 7, clientCapture: { enabled: false } } }));
    writeFileSync(userPath, '{\n  "settings": {\n    "retentionDays": 30\n    "notifications": { "enabled": false }\n  }\n}\n');
    const resolved = resolveConfig(sources);
    expect(resolved.rule).toBe('user-file-ignored');
    expect(resolved.config.settings.retentionDays).toBe(7);
    expect(resolved.config.settings.clientCapture.enabled).toBe(false);
    expect(resolved.config.settings.notifications.enabled).toBe(true);
    expect(resolved.config.lockedByPolicy).toEqual(['retentionDays', 'clientCapture.enabled']);
    expect(resolved.problem?.forGp).toBe(GP_USER_FILE_PROBLEM);
    expect(resolved.problems).toEqual([expect.objectContaining({ layer: 'user', file: userPath, line: 4, column: 5, field: null, detail: expect.stringMatching(/^invalid JSON/) })]);
  });

  it('a user file with a bad field is ignored and names the field', () => {
    const { userPath, sources } = setup();
    writeFileSync(userPath, json({ settings: { retentionDays: 0 } }));
    const resolved = resolveConfig(sources);
    expect(resolved.rule).toBe('user-file-ignored');
    expect(resolved.config.settings.retentionDays).toBe(14);
    expect(resolved.problems).toEqual([expect.objectContaining({ layer: 'user', file: userPath, field: 'settings.retentionDays', line: null })]);
  });

  it('a policy with a bad field and no good policy ever kept: the most restrictive settings, never "no policy"', () => {
    const { userPath, policyPath, sources } = setup();
    // The GP wanted capture and the clipboard journal on: the broken policy must not let them have it.
    writeFileSync(userPath, json({ settings: { clientCapture: { enabled: true, clipboardJournal: true }, retentionDays: 21 } }));
    writeFileSync(policyPath, json({ settings: { retentionDays: 'seven' } }));
    const resolved = resolveConfig(sources);
    expectMostRestrictive(resolved);
    // The GP's own choices that are not about capture still apply, and are locked.
    expect(resolved.config.settings.retentionDays).toBe(21);
    expect(resolved.problem?.forGp).toBe(GP_POLICY_PROBLEM);
    expect(resolved.problems).toEqual([expect.objectContaining({ layer: 'policy', file: policyPath, field: 'settings.retentionDays', instead: expect.stringMatching(/most restrictive/) })]);
  });

  it('keeps the last good policy after each good load (atomically, in the state folder) and uses it when the policy breaks', () => {
    const { dir, policyPath, lastGood, sources } = setup();
    writeFileSync(policyPath, json({ settings: { retentionDays: 7, capture: false } }));
    expect(resolveConfig(sources).rule).toBe('as-configured');
    expect(JSON.parse(readFileSync(lastGood.path, 'utf8'))).toMatchObject({ version: 1, savedAt: new Date(NOW).toISOString(), layers: [{ layer: 'policy', path: policyPath, file: { settings: { retentionDays: 7, capture: false } } }] });
    // No temporary file left beside it: the one atomic write wrote it.
    expect(readdirSync(join(dir, 'state'))).toEqual(['last-good-policy.json']);

    writeFileSync(policyPath, '{ "settings": { "retentionDays": 7, "capture": fals } }');
    const broken = resolveConfig(sources);
    expect(broken.rule).toBe('last-good-policy');
    expect(broken.config.settings).toMatchObject({ retentionDays: 7, capture: false });
    expect(broken.config.lockedByPolicy).toEqual(['retentionDays', 'capture']);
    expect(broken.problems).toEqual([expect.objectContaining({ layer: 'policy', file: policyPath, line: 1, instead: expect.stringMatching(/last good policy, read at 2026-12-01T09:00:00.000Z/) })]);
    // A broken policy never overwrites the copy.
    expect(JSON.parse(readFileSync(lastGood.path, 'utf8')).layers[0].file.settings).toEqual({ retentionDays: 7, capture: false });
  });

  it('a last good copy that has been tampered with into nonsense is not used: the most restrictive settings apply', () => {
    const { policyPath, lastGood, sources } = setup();
    mkdirSync(join(lastGood.path, '..'), { recursive: true });
    writeFileSync(lastGood.path, json({ version: 1, savedAt: 'yesterday', layers: [] }));
    writeFileSync(policyPath, '{');
    expectMostRestrictive(resolveConfig(sources));
  });

  it('a policy that is a folder (unreadable as a file) counts as unreadable', () => {
    const { policyPath, sources } = setup();
    mkdirSync(policyPath);
    const resolved = resolveConfig(sources);
    expectMostRestrictive(resolved);
    expect(resolved.problems[0]).toMatchObject({ layer: 'policy', file: policyPath, detail: expect.stringMatching(/cannot be read \(EISDIR\)/) });
  });

  it('a policy of mode 000 (unreadable for the user) falls back to the last good policy', () => {
    const { dir, policyPath, sources } = setup();
    writeFileSync(policyPath, json({ settings: { notifications: { enabled: false } } }));
    resolveConfig(sources);
    chmodSync(policyPath, 0o000);
    // root reads any file: the check runs as an ordinary user then, as the GP's session would.
    const asUser = process.getuid?.() === 0;
    if (asUser) {
      chmodSync(dir, 0o755);
      chmodSync(join(dir, 'state'), 0o755);
      chmodSync(join(dir, 'state', 'last-good-policy.json'), 0o644);
    }
    const script = `
      import { resolveConfig } from ${JSON.stringify(new URL('../../../../app/core/config/failSafeConfig.ts', import.meta.url).href)};
      import { LastGoodPolicyFile } from ${JSON.stringify(new URL('../../../../app/core/config/lastGoodPolicy.ts', import.meta.url).href)};
      const lastGood = new LastGoodPolicyFile(${JSON.stringify(sources.lastGood!.path)});
      // Read only: an ordinary user could not write root's state folder, and need not.
      lastGood.save = () => {};
      const r = resolveConfig({ env: {}, policyPath: ${JSON.stringify(policyPath)}, lastGood, now: () => 0 });
      process.stdout.write(JSON.stringify({ rule: r.rule, notifications: r.config.settings.notifications.enabled, problems: r.problems }));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', ...(asUser ? { uid: 65534, gid: 65534 } : {}) });
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout) as { rule: string; notifications: boolean; problems: Array<{ detail: string }> };
    expect(result.rule).toBe('last-good-policy');
    expect(result.notifications).toBe(false);
    expect(result.problems[0]!.detail).toMatch(/cannot be read \(EACCES\)/);
  });

  it('a registry policy value that is wrong counts as a bad policy, named by key and value', () => {
    const { sources } = setup();
    const registry: PolicySource = {
      label: 'HKLM\\SOFTWARE\\Policies\\Lifeboat',
      read: () => {
        throw new ConfigError({ file: 'HKLM\\SOFTWARE\\Policies\\Lifeboat', field: 'RetentionDays', detail: 'expected a REG_DWORD number' });
      },
    };
    const resolved = resolveConfig({ ...sources, policySources: [registry] });
    expectMostRestrictive(resolved);
    expect(resolved.problems[0]).toMatchObject({ file: 'HKLM\\SOFTWARE\\Policies\\Lifeboat', field: 'RetentionDays' });
  });

  it('no files at all is not a problem: built-in defaults, nothing locked', () => {
    const resolved = resolveConfig(setup().sources);
    expect(resolved).toMatchObject({ rule: 'as-configured', problems: [], problem: null });
    expect(resolved.config.lockedByPolicy).toEqual([]);
  });
});

describe('ConfigWatcher: a file fixed (or broken) while Lifeboat runs takes effect live', () => {
  it('reports a broken policy once, falls back to the last good policy, and picks up the fix', () => {
    const { userPath, policyPath, sources } = setup();
    writeFileSync(userPath, json({ settings: { retentionDays: 10 } }));
    writeFileSync(policyPath, json({ settings: { notifications: { enabled: false } } }));
    const changes: ResolvedConfig[] = [];
    const watcher = new ConfigWatcher({ sources, initial: resolveConfig(sources), onChange: (next) => changes.push(next) });
    expect(watcher.check()).toBe(false);

    writeFileSync(policyPath, json({ settings: { notifications: { enabled: 'no' } } }));
    expect(watcher.check()).toBe(true);
    expect(watcher.check()).toBe(false);
    expect(watcher.current()).toMatchObject({ rule: 'last-good-policy', config: { settings: { retentionDays: 10, notifications: { enabled: false } } } });

    writeFileSync(policyPath, json({ settings: { retentionDays: 3 } }));
    expect(watcher.check()).toBe(true);
    expect(changes.map((c) => c.rule)).toEqual(['last-good-policy', 'as-configured']);
    expect(watcher.current().problem).toBeNull();
    expect(watcher.current().config.settings.retentionDays).toBe(3);
    expect(watcher.current().config.settings.notifications.enabled).toBe(true);
    expect(watcher.current().config.lockedByPolicy).toEqual(['retentionDays']);
  });

  it('a policy that appears later (IT copies it in) takes effect at the next look', () => {
    const { policyPath, sources } = setup();
    const watcher = new ConfigWatcher({ sources, initial: resolveConfig(sources), onChange: () => {} });
    expect(existsSync(policyPath)).toBe(false);
    writeFileSync(policyPath, json({ settings: { capture: false } }));
    expect(watcher.check()).toBe(true);
    expect(watcher.current().config.settings.capture).toBe(false);
  });
});
