// The headless key file and the vault folder (POSIX): whoever can read the key reads every note,
// whoever can plant one before a vault is made reads every note written after.
import { chmodSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../app/common/clock.ts';
import { Vault } from '../../../../app/core/vault/vault.ts';
import { VaultNotPrivateError } from '../../../../app/core/vault/vaultErrors.ts';
import { KeyFileSource } from '../../../../app/core/vault/vaultKey.ts';
import { cleanupTempDirs, openTestVault, tempDir, TEST_KEY_HEX } from '../../../fixtures/vault/vaultTestKit.ts';

afterAll(cleanupTempDirs);

const A_KEY = `${TEST_KEY_HEX}\n`;

describe('the key file', () => {
  it('is refused when other users can read it, with the command that fixes it', () => {
    const dir = tempDir();
    const path = join(dir, 'vault.key');
    writeFileSync(path, A_KEY, { mode: 0o644 });
    chmodSync(path, 0o644);
    expect(() => new KeyFileSource(path).load(false)).toThrow(VaultNotPrivateError);
    expect(() => new KeyFileSource(path).load(false)).toThrow(/readable or writable by other users \(mode 644\); .* Run: chmod 600/);
    chmodSync(path, 0o600);
    expect(new KeyFileSource(path).load(false).toString('hex')).toBe(TEST_KEY_HEX);
  });

  it('is never read through a symbolic link', () => {
    const dir = tempDir();
    const elsewhere = join(tempDir(), 'their.key');
    writeFileSync(elsewhere, A_KEY, { mode: 0o600 });
    symlinkSync(elsewhere, join(dir, 'vault.key'));
    expect(() => new KeyFileSource(join(dir, 'vault.key')).load(true)).toThrow(/is a symbolic link/);
  });

  it('is refused when another user owns it (a key planted for a new vault is never adopted)', () => {
    const dir = tempDir();
    const path = join(dir, 'vault.key');
    writeFileSync(path, A_KEY, { mode: 0o600 });
    const someoneElse = (process.getuid?.() ?? 0) + 1;
    expect(() => new KeyFileSource(path, { uid: someoneElse }).load(true)).toThrow(/belongs to another user/);
  });

  it('is not adopted from a folder other users can write to, and no vault is made there', () => {
    const dir = tempDir();
    chmodSync(dir, 0o777);
    writeFileSync(join(dir, 'vault.key'), A_KEY, { mode: 0o600 });
    expect(() => Vault.open({ dir, keySource: new KeyFileSource(join(dir, 'vault.key')), clock: new ManualClock() })).toThrow(/vault folder .* is writable by other users \(mode 777\); .* chmod 700/);
    expect(readdirSync(dir)).toEqual(['vault.key']);
  });
});

describe('the vault folder', () => {
  it('is refused when others can write to it, whatever the key source', () => {
    const dir = join(tempDir(), 'shared');
    mkdirSync(dir, { mode: 0o777 });
    chmodSync(dir, 0o777);
    expect(() => openTestVault(dir)).toThrow(VaultNotPrivateError);
    expect(readdirSync(dir)).toEqual([]);
    chmodSync(dir, 0o755);
    const vault = openTestVault(dir);
    vault.close();
  });
});
