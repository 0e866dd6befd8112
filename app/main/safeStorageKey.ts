import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { createFileOnceSync } from '../core/atomicWrite/atomicWrite.ts';
import { VaultError, VaultKeyMissingError } from '../core/vault/vaultErrors.ts';
import { KeyFileSource, newVaultKey, parseHexKey, type VaultKeySource } from '../core/vault/vaultKey.ts';
import type { SafeStoragePort, StorageBackend } from './electronPorts.ts';

/** safeStorage cannot encrypt at all (called before app ready, or the keystore is locked or broken). */
export class KeystoreUnavailableError extends VaultError {
  override readonly code = 'KEYSTORE_UNAVAILABLE';
}

/** Linux with no keyring: safeStorage would "encrypt" with a fixed, public key. Refused unless policy allows a key file. */
export class KeystoreNotSecureError extends VaultError {
  override readonly code = 'KEYSTORE_NOT_SECURE';
}

/** The key was wrapped by one keystore and the session now has another: unwrapping would fail or mislead. */
export class KeystoreChangedError extends VaultError {
  override readonly code = 'KEYSTORE_CHANGED';
}

/** The wrapped key file is unreadable, or the keystore refused to unwrap it. */
export class KeyUnwrapError extends VaultError {
  override readonly code = 'KEY_UNWRAP_FAILED';
}

const WrappedKeyFileSchema = z
  .object({
    format: z.literal('lifeboat-wrapped-vault-key'),
    version: z.literal(1),
    /** The keystore that wrapped it, to tell "keystore changed" apart from "wrong key". */
    backend: z.string().max(40),
    wrapped: z.string().min(1).max(4096).regex(/^[A-Za-z0-9+/]+=*$/),
  })
  .strict();
type WrappedKeyFile = z.infer<typeof WrappedKeyFileSchema>;

export interface SafeStorageKeyOptions {
  safeStorage: SafeStoragePort;
  /** DIR/vault.key.enc: the 32-byte key, hex, wrapped by safeStorage. */
  wrappedKeyPath: string;
  /**
   * Machine policy (IT decides, never the user): where the OS has no real keystore, keep the key
   * in a plain file readable only by the user (mode 0600). Default false: refuse.
   */
  allowKeyFileWithoutKeystore?: boolean;
  /** DIR/vault.key, used only when the policy allows it and there is no keystore. */
  keyFilePath: string;
}

const BACKEND_NAMES: Partial<Record<StorageBackend, string>> = {
  dpapi: 'Windows DPAPI',
  keychain: 'the macOS Keychain',
  gnome_libsecret: 'the GNOME keyring (libsecret)',
  kwallet: 'KWallet',
  kwallet5: 'KWallet 5',
  kwallet6: 'KWallet 6',
};
const describeBackend = (b: string): string => BACKEND_NAMES[b as StorageBackend] ?? b;

/**
 * The vault key for the Electron app: 32 random bytes, stored only wrapped by Electron's
 * safeStorage (DPAPI on Windows, Keychain on macOS, the desktop keyring on Linux).
 *
 * Decision (patient notes, so stricter than Signal Desktop): on Linux, safeStorage's `basic_text`
 * backend means there is no keyring; it still "encrypts", but with a hard-coded key, which is
 * plaintext in all but name. Lifeboat REFUSES to create or open the vault then
 * (KeystoreNotSecureError) unless the practice's machine policy sets
 * allowKeyFileWithoutKeystore, in which case the key lives in a 0600 key file beside the vault:
 * honest about what it is, and the same protection the headless CLI gives. Windows (the target)
 * always has DPAPI, so GPs never meet this.
 *
 * The wrapped file records which backend wrapped it; a different backend now (a KDE session
 * where the key was made under GNOME, a keyring that vanished to basic_text) is
 * KeystoreChangedError, not a silent new key and not a misleading "wrong key".
 */
export class SafeStorageKeySource implements VaultKeySource {
  readonly description: string;
  private readonly options: SafeStorageKeyOptions;

  constructor(options: SafeStorageKeyOptions) {
    this.options = options;
    this.description = `vault key wrapped by the OS keystore (${options.wrappedKeyPath})`;
  }

  load(mayCreate: boolean): Buffer {
    const { safeStorage, wrappedKeyPath } = this.options;
    const backend = safeStorage.getSelectedStorageBackend();
    if (backend === 'unknown') {
      throw new KeystoreUnavailableError('the OS keystore was asked for before Electron was ready; this is a Lifeboat bug, please report it');
    }
    const stored = existsSync(wrappedKeyPath) ? this.readWrapped() : null;

    if (stored && stored.backend !== backend) {
      throw new KeystoreChangedError(
        `the vault key was protected by ${describeBackend(stored.backend)}, but this session offers ${describeBackend(backend)}; ` +
          'sign in to the desktop session Lifeboat was set up in, or ask practice IT. The vault was left untouched.',
      );
    }
    if (backend === 'basic_text') return this.withoutKeystore(mayCreate);
    if (!safeStorage.isEncryptionAvailable()) {
      throw new KeystoreUnavailableError(`${describeBackend(backend)} is not available to Lifeboat right now (is the keyring locked?); the vault was left untouched`);
    }
    if (stored) return this.unwrap(stored);
    if (!mayCreate) {
      throw new VaultKeyMissingError(`the vault exists but its wrapped key is missing (${wrappedKeyPath}); restore it from backup or ask practice IT`);
    }
    return this.create(backend);
  }

  private withoutKeystore(mayCreate: boolean): Buffer {
    if (!this.options.allowKeyFileWithoutKeystore) {
      throw new KeystoreNotSecureError(
        'this computer has no OS keyring for Lifeboat to protect the vault key with, so Lifeboat will not store notes here. ' +
          'Practice IT can allow a key file (allowKeyFileWithoutKeystore in the machine policy) or set up a keyring.',
      );
    }
    return new KeyFileSource(this.options.keyFilePath).load(mayCreate);
  }

  private readWrapped(): WrappedKeyFile {
    const path = this.options.wrappedKeyPath;
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw new KeyUnwrapError(`the wrapped vault key ${path} is not readable (${err instanceof Error ? err.message.split('\n')[0] : 'unknown error'}); the vault was left untouched`);
    }
    const parsed = WrappedKeyFileSchema.safeParse(json);
    if (!parsed.success) throw new KeyUnwrapError(`the wrapped vault key ${path} is not a Lifeboat key file; the vault was left untouched`);
    return parsed.data;
  }

  private unwrap(stored: WrappedKeyFile): Buffer {
    let hex: string;
    try {
      hex = this.options.safeStorage.decryptString(Buffer.from(stored.wrapped, 'base64'));
    } catch {
      throw new KeyUnwrapError(
        `${describeBackend(stored.backend)} could not unlock the vault key (was the Windows profile moved or reset?); the vault was left untouched`,
      );
    }
    return parseHexKey(hex, this.options.wrappedKeyPath);
  }

  private create(backend: StorageBackend): Buffer {
    const { safeStorage, wrappedKeyPath } = this.options;
    const key = newVaultKey();
    const hex = key.toString('hex');
    const wrapped = safeStorage.encryptString(hex);
    // Prove the keystore gives the key back before a vault depends on it.
    if (safeStorage.decryptString(wrapped) !== hex) throw new KeystoreUnavailableError(`${describeBackend(backend)} did not return the key it was given; no vault was created`);
    const file: WrappedKeyFile = { format: 'lifeboat-wrapped-vault-key', version: 1, backend, wrapped: wrapped.toString('base64') };
    if (!createFileOnceSync(wrappedKeyPath, JSON.stringify(file) + '\n')) {
      // Another Lifeboat process created the key a moment ago: use that one.
      return this.unwrap(this.readWrapped());
    }
    return key;
  }
}
