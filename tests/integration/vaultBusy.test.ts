import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { VaultBusyError } from '../../app/core/vault/vaultErrors.ts';
import { cleanupTempDirs, openTestVault, runCli, tempDir, TEST_KEY_HEX } from '../fixtures/vault/vaultTestKit.ts';

const HOLDER = join(import.meta.dirname, '..', 'fixtures', 'vault', 'holdWriteLock.ts');
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});
afterAll(cleanupTempDirs);

/** Starts a second process that holds the vault's write lock until told to release it. */
async function holdLock(dbPath: string): Promise<{ release: () => Promise<void> }> {
  const child = spawn(process.execPath, [HOLDER, dbPath], { env: { ...process.env, LIFEBOAT_VAULT_KEY: TEST_KEY_HEX }, stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const waitFor = (line: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (out.includes(`${line}\n`)) resolve();
        else if (child.exitCode !== null) reject(new Error(`lock holder exited before "${line}": ${err}`));
      };
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        check();
      });
      child.on('exit', check);
      check();
    });
  await waitFor('locked');
  return {
    release: async () => {
      child.stdin!.write('release\n');
      await waitFor('released');
    },
  };
}

describe('a busy vault (another process holds the write lock)', () => {
  it('save waits the busy timeout, then throws VaultBusyError; reads still work; after release all is well', async () => {
    const dir = tempDir();
    const setup = openTestVault(dir);
    const { id } = setup.save({ body: 'before the lock', reason: 'blur' });
    setup.close();

    const holder = await holdLock(join(dir, 'vault.db'));
    // Opening needs no write lock: it succeeds while the other process writes.
    const vault = openTestVault(dir, { busyTimeoutMs: 300 });
    const started = performance.now();
    let error: unknown;
    try {
      vault.save({ id, body: 'before the lock, and after', reason: 'blur' });
    } catch (err) {
      error = err;
    }
    const waited = performance.now() - started;
    expect(error).toBeInstanceOf(VaultBusyError);
    expect((error as Error).message).toMatch(/^vault busy: another Lifeboat process is writing to .*vault\.db \(waited 300 ms\); try again$/);
    expect(waited).toBeGreaterThanOrEqual(280);
    expect(waited).toBeLessThan(5000);

    // The GP can still read the saved note while the vault is busy.
    expect(vault.show(id).body).toBe('before the lock');
    expect(vault.list().map((d) => d.id)).toEqual([id]);

    await holder.release();
    const saved = vault.save({ id, body: 'before the lock, and after', reason: 'blur' });
    expect(saved.revision).toBe(2);
    expect(vault.show(id).body).toBe('before the lock, and after');
    expect(vault.integrityCheck()).toEqual(['ok']);
    // The view made while busy was audited after all, at the time it happened.
    const views = vault.auditTrail().filter((a) => a.action === 'view' && a.draftId === id);
    expect(views).toHaveLength(2);
    expect(vault.auditTrail().some((a) => a.detail.holder === true)).toBe(true);
    vault.close();
  });

  it('the CLI reports "vault busy" as one line with a non-zero exit code, and writes nothing', async () => {
    const dir = tempDir();
    const env = { LIFEBOAT_VAULT_KEY: TEST_KEY_HEX, LIFEBOAT_BUSY_TIMEOUT_MS: '300' };
    const first = await runCli(['drafts', 'save', '--vault', dir, '--id', 'busy-note'], { input: 'first', env });
    expect(first.code).toBe(0);
    const holder = await holdLock(join(dir, 'vault.db'));
    const second = await runCli(['drafts', 'save', '--vault', dir, '--id', 'busy-note'], { input: 'second', env });
    expect(second.code).not.toBe(0);
    expect(second.stdout).toBe('');
    expect(second.stderr).toMatch(/^lifeboat: vault busy: .*try again\n$/);
    await holder.release();
    const shown = await runCli(['drafts', 'show', 'busy-note', '--vault', dir, '--json'], { env });
    expect(JSON.parse(shown.stdout)).toMatchObject({ body: 'first', revision: 1 });
    const vault = openTestVault(dir);
    expect(vault.integrityCheck()).toEqual(['ok']);
    vault.close();
  });
});
