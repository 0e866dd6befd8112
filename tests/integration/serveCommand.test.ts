import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../app/common/clock.ts';
import { Vault } from '../../app/core/vault/vault.ts';
import { headlessKeySource } from '../../app/core/vault/vaultKey.ts';
import { buildRenderer } from '../e2e/support/build.ts';
import { startServeProcess } from '../e2e/support/serveProcess.ts';

let root: string;
const env = (): Record<string, string> => ({ LIFEBOAT_CONFIG: join(root, 'config.json'), LIFEBOAT_DATA_DIR: join(root, 'data') });

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'lifeboat-serve-cli-'));
  await buildRenderer();
}, 120_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('lifeboat serve (the command)', () => {
  it('prints exactly one line, serves the screens, and closes the vault cleanly on SIGINT', async () => {
    const vaultDir = join(root, 'vault');
    const serve = await startServeProcess({ vaultDir, env: env() });
    const index = await fetch(serve.url);
    expect(await index.text()).toContain('<div id="root">');
    const token = new URL(serve.url).hash.replace(/^#token=/, '');
    const status = await fetch(`${serve.origin}/api/getStatus`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{}' });
    expect(status.status).toBe(200);

    serve.child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => serve.child.once('exit', resolve));
    expect(code).toBe(0);
    expect(serve.stdout()).toBe(`Lifeboat UI: ${serve.url}\n`);
    // A clean close checkpoints the WAL away; the vault opens again at once.
    expect(existsSync(join(vaultDir, 'vault.db-wal'))).toBe(false);
    Vault.open({ dir: vaultDir, keySource: headlessKeySource(vaultDir), clock: systemClock }).close();
  });

  it('says in one line when the port is taken', async () => {
    const first = await startServeProcess({ vaultDir: join(root, 'v1'), env: env() });
    const port = new URL(first.url).port;
    const entry = join(import.meta.dirname, '..', '..', 'bin', 'lifeboat.js');
    const second = spawnSync(process.execPath, [entry, 'serve', '--vault', join(root, 'v2'), '--port', port], { env: { ...process.env, ...env() }, encoding: 'utf8' });
    expect(second.status).toBe(1);
    expect(second.stdout).toBe('');
    expect(second.stderr).toBe(`lifeboat: port ${port} is in use; pick another with --port, or 0 for any\n`);
    expect(await first.stop()).toBe(0);
  });
});
