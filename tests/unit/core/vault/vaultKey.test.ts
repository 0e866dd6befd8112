import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VaultKeyMissingError } from '../../../../app/core/vault/vaultErrors.ts';
import { KeyFileSource, keyFingerprint, parseHexKey } from '../../../../app/core/vault/vaultKey.ts';
import { cleanupTempDirs, tempDir } from '../../../fixtures/vault/vaultTestKit.ts';

afterAll(cleanupTempDirs);
const temp = (): string => tempDir('lifeboat-vault-unit-');

describe('vault key helpers', () => {
  it('parses exactly 64 hex characters, with a clear error otherwise', () => {
    expect(parseHexKey(` ${'Ab'.repeat(32)}\n`, 'k')).toEqual(Buffer.alloc(32, 0xab));
    expect(() => parseHexKey('ab'.repeat(31), 'the key file')).toThrow(VaultKeyMissingError);
    expect(() => parseHexKey('zz'.repeat(32), 'the key file')).toThrow(/the key file must hold a 256-bit key as 64 hex characters/);
  });
  it('fingerprints are stable, short and differ between keys', () => {
    expect(keyFingerprint(Buffer.alloc(32, 1))).toBe(keyFingerprint(Buffer.alloc(32, 1)));
    expect(keyFingerprint(Buffer.alloc(32, 1))).not.toBe(keyFingerprint(Buffer.alloc(32, 2)));
    expect(keyFingerprint(Buffer.alloc(32, 1))).toMatch(/^[0-9a-f]{16}$/);
  });
  it('a key file is created once, mode 0600, and a second source reads the same key without replacing it', () => {
    const path = join(temp(), 'vault.key');
    const first = new KeyFileSource(path).load(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(new KeyFileSource(path).load(true)).toEqual(first);
    expect(readFileSync(path, 'utf8')).toBe(first.toString('hex') + '\n');
    expect(readdirSync(join(path, '..'))).toEqual(['vault.key']);
  });
  it('a missing key file is not created when the vault already exists', () => {
    const path = join(temp(), 'vault.key');
    expect(() => new KeyFileSource(path).load(false)).toThrow(/the vault exists but its key is missing/);
    expect(readdirSync(join(path, '..'))).toEqual([]);
  });
});
