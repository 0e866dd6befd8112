import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../app/common/clock.ts';
import { Vault } from '../../../app/core/vault/vault.ts';
import { VaultKeyMismatchError, VaultKeyMissingError } from '../../../app/core/vault/vaultErrors.ts';
import type { SafeStoragePort, StorageBackend } from '../../../app/main/electronPorts.ts';
import { KeystoreChangedError, KeystoreNotSecureError, KeystoreUnavailableError, KeyUnwrapError, SafeStorageKeySource } from '../../../app/main/safeStorageKey.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'lifeboat-key-'));
  dirs.push(d);
  return d;
}

/** A stand-in keystore: "encrypts" by XOR with a per-keystore secret, so another keystore cannot unwrap. */
class FakeSafeStorage implements SafeStoragePort {
  backend: StorageBackend;
  available = true;
  secret: number;
  encryptCalls = 0;
  constructor(backend: StorageBackend = 'dpapi', secret = 0x5a) {
    this.backend = backend;
    this.secret = secret;
  }
  isEncryptionAvailable(): boolean {
    return this.available;
  }
  encryptString(plainText: string): Buffer {
    this.encryptCalls++;
    const body = Buffer.from(plainText, 'utf8').map((b) => b ^ this.secret);
    return Buffer.concat([Buffer.from('v10'), body]);
  }
  decryptString(encrypted: Buffer): string {
    if (encrypted.subarray(0, 3).toString() !== 'v10') throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    const text = Buffer.from(encrypted.subarray(3).map((b) => b ^ this.secret)).toString('utf8');
    if (!/^[0-9a-f]*$/.test(text)) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return text;
  }
  getSelectedStorageBackend(): StorageBackend {
    return this.backend;
  }
}

function source(dir: string, safeStorage: SafeStoragePort, allowKeyFileWithoutKeystore = false): SafeStorageKeySource {
  return new SafeStorageKeySource({ safeStorage, wrappedKeyPath: join(dir, 'vault.key.enc'), keyFilePath: join(dir, 'vault.key'), allowKeyFileWithoutKeystore });
}

describe('vault key wrapped with safeStorage', () => {
  it('creates a random 32-byte key, stores it only wrapped, and unwraps the same key later', () => {
    const dir = tempDir();
    const ss = new FakeSafeStorage();
    const key = source(dir, ss).load(true);
    expect(key).toHaveLength(32);
    const file = readFileSync(join(dir, 'vault.key.enc'), 'utf8');
    expect(file).not.toContain(key.toString('hex'));
    expect(JSON.parse(file)).toMatchObject({ format: 'lifeboat-wrapped-vault-key', version: 1, backend: 'dpapi' });
    if (process.platform !== 'win32') expect(statSync(join(dir, 'vault.key.enc')).mode & 0o777).toBe(0o600);
    expect(source(dir, ss).load(false).equals(key)).toBe(true);
    expect(source(dir, ss).load(true).equals(key)).toBe(true); // never replaced by a new key
    expect(ss.encryptCalls).toBe(1);
    expect(existsSync(join(dir, 'vault.key'))).toBe(false);
  });

  it('opens a real encrypted vault with the key, and a second launch opens it again', () => {
    const dir = tempDir();
    const ss = new FakeSafeStorage();
    const clock = new ManualClock();
    const vault = Vault.open({ dir, keySource: source(dir, ss), clock });
    const saved = vault.save({ body: 'Seen today, BP 130/80.' });
    vault.close();
    const again = Vault.open({ dir, keySource: source(dir, ss), clock });
    expect(again.show(saved.id).body).toBe('Seen today, BP 130/80.');
    again.close();
  });

  it('REFUSES Linux basic_text (no keyring) unless machine policy allows a key file', () => {
    const dir = tempDir();
    const basic = new FakeSafeStorage('basic_text');
    expect(() => source(dir, basic).load(true)).toThrow(KeystoreNotSecureError);
    expect(existsSync(join(dir, 'vault.key.enc'))).toBe(false);
    expect(existsSync(join(dir, 'vault.key'))).toBe(false);
    const err = (() => {
      try {
        source(dir, basic).load(true);
      } catch (e) {
        return e as KeystoreNotSecureError;
      }
      return null;
    })();
    expect(err?.code).toBe('KEYSTORE_NOT_SECURE');
    expect(err?.message).toContain('allowKeyFileWithoutKeystore');

    const key = source(dir, basic, true).load(true);
    expect(key).toHaveLength(32);
    expect(readFileSync(join(dir, 'vault.key'), 'utf8').trim()).toBe(key.toString('hex'));
    expect(basic.encryptCalls).toBe(0); // never "encrypted" with the public basic_text key
  });

  it('detects a changed keystore backend as a typed error, including a keyring that vanished', () => {
    const dir = tempDir();
    source(dir, new FakeSafeStorage('gnome_libsecret')).load(true);
    expect(() => source(dir, new FakeSafeStorage('kwallet5')).load(false)).toThrow(KeystoreChangedError);
    expect(() => source(dir, new FakeSafeStorage('basic_text'), true).load(false)).toThrow(KeystoreChangedError);
    expect(() => source(dir, new FakeSafeStorage('kwallet5')).load(false)).toThrow(/GNOME keyring .*KWallet 5/);
  });

  it('reports a key the keystore cannot unwrap (profile moved) as KEY_UNWRAP_FAILED, not a new key', () => {
    const dir = tempDir();
    source(dir, new FakeSafeStorage('dpapi', 0x11)).load(true);
    const before = readFileSync(join(dir, 'vault.key.enc'), 'utf8');
    expect(() => source(dir, new FakeSafeStorage('dpapi', 0x22)).load(true)).toThrow(KeyUnwrapError);
    expect(readFileSync(join(dir, 'vault.key.enc'), 'utf8')).toBe(before);
  });

  it('rejects a damaged wrapped-key file, and a missing one when the vault already exists', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'vault.key.enc'), '{"format":"something-else"}');
    expect(() => source(dir, new FakeSafeStorage()).load(true)).toThrow(KeyUnwrapError);
    writeFileSync(join(dir, 'vault.key.enc'), 'not json');
    expect(() => source(dir, new FakeSafeStorage()).load(true)).toThrow(KeyUnwrapError);
    const empty = tempDir();
    expect(() => source(empty, new FakeSafeStorage()).load(false)).toThrow(VaultKeyMissingError);
  });

  it('is unavailable before Electron is ready or while the keystore is locked', () => {
    const dir = tempDir();
    expect(() => source(dir, new FakeSafeStorage('unknown')).load(true)).toThrow(KeystoreUnavailableError);
    const locked = new FakeSafeStorage('gnome_libsecret');
    locked.available = false;
    expect(() => source(dir, locked).load(true)).toThrow(KeystoreUnavailableError);
  });

  it('a vault is never opened with a different key: a lost wrapped key is not silently replaced, a swapped one is refused', () => {
    const dir = tempDir();
    const clock = new ManualClock();
    const ss = new FakeSafeStorage();
    Vault.open({ dir, keySource: source(dir, ss), clock }).close();
    const original = readFileSync(join(dir, 'vault.key.enc'));
    rmSync(join(dir, 'vault.key.enc'));
    expect(() => Vault.open({ dir, keySource: source(dir, ss), clock })).toThrow(VaultKeyMissingError);
    const elsewhere = tempDir();
    source(elsewhere, ss).load(true);
    writeFileSync(join(dir, 'vault.key.enc'), readFileSync(join(elsewhere, 'vault.key.enc')));
    expect(() => Vault.open({ dir, keySource: source(dir, ss), clock })).toThrow(VaultKeyMismatchError);
    writeFileSync(join(dir, 'vault.key.enc'), original);
    Vault.open({ dir, keySource: source(dir, ss), clock }).close();
  });
});
