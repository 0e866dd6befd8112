// A broken configuration fails safe the same way in `lifeboat serve`, `lifeboat watch` and the
// desktop app's service: notes always kept, a bad user file ignored, a bad policy replaced by the
// last good one or the most restrictive settings, the problem on Status and Settings, and a fixed
// file in force without a restart. And the machine policy cannot be moved by the user.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { EDITABLE_SETTINGS, type ApiResult, type SettingsView, type StatusView } from '../../app/common/api.ts';
import { ManualClock } from '../../app/common/clock.ts';
import { dispatchApiCall } from '../../app/core/api/apiBackend.ts';
import { GP_POLICY_PROBLEM } from '../../app/core/config/failSafeConfig.ts';
import { defaultLocations } from '../../app/core/paths/defaultLocations.ts';
import { startLifeboat } from '../../app/core/startLifeboat.ts';
import { FixedKeySource, newVaultKey } from '../../app/core/vault/vaultKey.ts';
import { SimClientProcess } from '../../app/cli/sim/simClientProcess.ts';
import { startLiveService } from '../../app/main/liveService.ts';
import { cliUnderTest } from '../support/cliUnderTest.ts';
import { startServeProcess, type ServeProcess } from '../e2e/support/serveProcess.ts';
import { cleanupTempDirs, tempDir } from '../fixtures/vault/vaultTestKit.ts';
import { LIFEBOAT_BIN } from '../support/runCli.ts';
import { waitFor } from '../support/waitFor.ts';

const running: Array<{ stop(): Promise<unknown> }> = [];
afterAll(async () => {
  for (const r of running) await r.stop();
  cleanupTempDirs();
});

async function call<T>(serve: ServeProcess, name: string, arg: unknown = {}): Promise<T> {
  const token = new URL(serve.url).hash.replace(/^#token=/, '');
  const response = await fetch(`${serve.origin}/api/${name}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(arg) });
  const result = (await response.json()) as ApiResult<T>;
  if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
  return result.value;
}

const json = (value: unknown): string => JSON.stringify(value, null, 2);

describe('lifeboat serve with a broken policy (a real child process)', () => {
  it('starts, keeps notes, applies the most restrictive settings, shows the problem, and takes the fixed policy live', async () => {
    const root = tempDir('lifeboat-config-serve-');
    const policyPath = join(root, 'policy.json');
    writeFileSync(policyPath, '{\n  "settings": {\n    "retentionDays": 30,\n    "clientCapture": { "enabled": tru }\n  }\n}\n');
    const serve = await startServeProcess({ vaultDir: join(root, 'vault'), policyPath, env: { LIFEBOAT_DATA_DIR: join(root, 'data') } });
    running.push(serve);

    const saved = await call<{ id: string }>(serve, 'saveDraft', { body: 'Hx: cough 3/7. Plan: safety-net.' });
    expect(saved.id).toBeTruthy();
    const status = await call<StatusView>(serve, 'getStatus');
    expect(status.configProblem?.forGp).toBe(GP_POLICY_PROBLEM);
    expect(status.configProblem?.details).toEqual([expect.objectContaining({ layer: 'policy', file: policyPath, line: 4, column: 35, instead: expect.stringMatching(/most restrictive/) })]);
    const settings = await call<SettingsView>(serve, 'getSettings');
    expect(settings.lockedByPolicy).toEqual([...EDITABLE_SETTINGS]);
    expect(settings.clientCapture).toMatchObject({ enabled: false, clipboardJournal: false });
    // IT sees the same on the terminal: one line with the file, line and column.
    await waitFor(() => serve.stderr().includes(`${policyPath}:4:35:`), { what: 'the config problem on stderr' });

    // A locked setting is refused with its own code, not INTERNAL.
    const token = new URL(serve.url).hash.replace(/^#token=/, '');
    const refused = (await (await fetch(`${serve.origin}/api/updateSettings`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"retentionDays":7}' })).json()) as ApiResult<never>;
    expect(refused).toMatchObject({ ok: false, error: { code: 'LOCKED_BY_POLICY' } });

    // IT fixes the file: the policy is in force without a restart, and the problem goes.
    writeFileSync(policyPath, json({ settings: { retentionDays: 30 } }));
    let live: SettingsView | null = null;
    await waitFor(async () => (live = await call<SettingsView>(serve, 'getSettings')).configProblem === null, { timeoutMs: 20_000, what: 'the fixed policy to take effect' });
    expect(live!.retentionDays).toBe(30);
    expect(live!.lockedByPolicy).toEqual(['retentionDays']);
    expect((await call<StatusView>(serve, 'getStatus')).configProblem).toBeNull();
    expect(await serve.stop()).toBe(0);
  });
});

describe('lifeboat watch with a broken user file (a real child process)', () => {
  it('ignores that file only, keeps the policy, says where the problem is, and watches', async () => {
    const root = tempDir('lifeboat-config-watch-');
    const userPath = join(root, 'config.json');
    const policyPath = join(root, 'policy.json');
    writeFileSync(userPath, '{ "settings": { "retentionDays": 3, } , "profiles": [ }');
    writeFileSync(policyPath, json({ settings: { activeProfiles: ['vision'] } }));
    const env = { ...process.env, LIFEBOAT_DATA_DIR: join(root, 'data'), LIFEBOAT_CONFIG: userPath };
    const watch = spawn(process.execPath, cliUnderTest(policyPath, 'watch', '--vault', join(root, 'vault'), '--json'), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    running.push({ stop: () => stopChild(watch) });
    const lines: Array<Record<string, unknown>> = [];
    let stderr = '';
    createInterface({ input: watch.stdout! }).on('line', (line) => lines.push(JSON.parse(line) as Record<string, unknown>));
    watch.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    await waitFor(() => lines.length > 0, { timeoutMs: 30_000, what: 'the first line of watch --json' });
    // The policy chose the client: still in force.
    expect(lines[0]).toMatchObject({ type: 'watching', profiles: ['vision'] });
    expect(stderr).toMatch(new RegExp(`config: ${escapeRegExp(userPath)}:1:\\d+: invalid JSON: .*; this file is ignored`));
    await stopChild(watch);
  });
});

describe('the desktop app’s service (startLiveService) with a broken machine policy', () => {
  it('starts the vault and the API: notes are kept, the most restrictive settings apply, Status and Settings say so', async () => {
    const dir = tempDir('lifeboat-config-desktop-');
    const policyPath = join(dir, 'policy.json');
    writeFileSync(policyPath, '{ "settings": { "retentionDays": 30, } ');
    vi.stubEnv('LIFEBOAT_DATA_DIR', join(dir, 'data'));
    vi.stubEnv('LIFEBOAT_CONFIG', join(dir, 'config.json'));
    try {
      const service = await startLiveService({ vaultDir: join(dir, 'vault'), keySource: new FixedKeySource(newVaultKey()), clock: new ManualClock(), machinePolicy: { path: policyPath, caveat: null } });
      try {
        expect(await dispatchApiCall(service.handlers, 'saveDraft', { body: 'Hx: asthma' })).toMatchObject({ ok: true });
        expect(await dispatchApiCall(service.handlers, 'getStatus', {})).toMatchObject({ ok: true, value: { configProblem: { forGp: GP_POLICY_PROBLEM, details: [{ file: policyPath, line: 1 }] } } });
        expect(await dispatchApiCall(service.handlers, 'getSettings', {})).toMatchObject({ ok: true, value: { clientCapture: { enabled: false, clipboardJournal: false }, lockedByPolicy: [...EDITABLE_SETTINGS] } });
      } finally {
        await service.stop();
      }
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('a profile chosen in Settings reaches the running watcher', () => {
  it('restarts the watcher with the new client: Status reports it, and its crash is seen', async () => {
    const root = tempDir('lifeboat-config-profile-');
    const logs = join(root, 'logs');
    mkdirSync(logs);
    const title = `lb-profile-${process.pid}`;
    const userPath = join(root, 'config.json');
    writeFileSync(userPath, json({ profiles: [{ name: 'simulated', processNames: [title] }], settings: { activeProfiles: ['emis-web'] } }));
    const runtime = await startLifeboat({
      vaultDir: join(root, 'vault'),
      keySource: new FixedKeySource(newVaultKey()),
      stateDir: join(root, 'state'),
      env: { ...process.env, LIFEBOAT_SIM_LOG_DIR: logs },
      userConfigPath: userPath,
      policyConfigPath: join(root, 'policy.json'),
      service: { eventLog: 'none', werRoots: [], tickMs: 100 },
    });
    running.push(runtime);
    expect(await runtime.watching(30_000)).toBe(true);
    const firstWatcher = runtime.service.watcher.pid;
    expect(await dispatchApiCall(runtime.handlers, 'getStatus', {})).toMatchObject({ ok: true, value: { profile: 'emis-web' } });

    const changed = await dispatchApiCall(runtime.handlers, 'updateSettings', { activeProfile: 'simulated' });
    expect(changed).toMatchObject({ ok: true, value: { activeProfile: 'simulated' } });
    // Status reports the new client at once; the watcher is a new one, watching it.
    expect(await dispatchApiCall(runtime.handlers, 'getStatus', {})).toMatchObject({ ok: true, value: { profile: 'simulated', profileDisplayName: 'Simulated clinical client' } });
    await waitFor(() => runtime.service.watcher.ready && runtime.service.watcher.pid !== firstWatcher, { timeoutMs: 30_000, what: 'a new watcher for the new profile' });

    const client = SimClientProcess.start({ logDir: logs, intervalMs: 50, title });
    await client.ready;
    await waitFor(() => runtime.health().state === 'ok', { timeoutMs: 30_000, what: 'the new profile’s client seen running' });
    client.send('crash');
    await client.exited;
    await waitFor(() => runtime.health().state === 'crashed', { timeoutMs: 30_000, what: 'the crash of the new profile’s client' });
    await runtime.stop();
  });
});

describe('no user bypass of the machine policy', () => {
  it('LIFEBOAT_POLICY no longer moves the policy: `lifeboat serve` (the real entry) ignores it', async () => {
    const root = tempDir('lifeboat-config-bypass-');
    const planted = join(root, 'my-policy.json');
    writeFileSync(planted, json({ settings: { retentionDays: 30, notifications: { enabled: false } } }));
    expect(defaultLocations({ LIFEBOAT_POLICY: planted, HOME: root }, 'linux')).not.toHaveProperty('policyConfig');
    const serve = await startServeProcess({ vaultDir: join(root, 'vault'), installed: true, env: { LIFEBOAT_POLICY: planted, LIFEBOAT_DATA_DIR: join(root, 'data'), LIFEBOAT_CONFIG: join(root, 'config.json') } });
    running.push(serve);
    const settings = await call<SettingsView>(serve, 'getSettings');
    expect(settings.retentionDays).not.toBe(30);
    expect(settings.lockedByPolicy).not.toContain('retentionDays');
    expect(settings.notificationsEnabled).toBe(true);
    expect(await serve.stop()).toBe(0);
  });

  it('`lifeboat watch --policy` is no option any more', async () => {
    const root = tempDir('lifeboat-config-flag-');
    const watch = spawn(process.execPath, [LIFEBOAT_BIN, 'watch', '--policy', join(root, 'p.json'), '--vault', join(root, 'vault')], { env: { ...process.env, LIFEBOAT_DATA_DIR: join(root, 'data') }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    watch.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const code = await new Promise<number | null>((resolve) => watch.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown option '--policy'/);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
