import { randomBytes, createHmac } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, chmodSync, linkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { VaultKeyMissingError } from './vaultErrors.ts';

/** A 256-bit vault key. Electron supplies it unwrapped from safeStorage; headless runs use env or a key file. */
export interface VaultKeySource {
  /** Returns the key, creating one only when `mayCreate` (a brand-new vault). */
  load(mayCreate: boolean): Buffer;
  /** Where the key comes from, for error messages (never the key). */
  readonly description: string;
}

const KEY_BYTES = 32;

export function newVaultKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

export function parseHexKey(text: string, where: string): Buffer {
  const trimmed = text.trim();
  if (!/^[0-9a-fA-F]{64}$/.test(trimmed)) {
    throw new VaultKeyMissingError(`${where} must hold a 256-bit key as 64 hex characters`);
  }
  return Buffer.from(trimmed, 'hex');
}

/** A short, non-secret fingerprint of the key: tells "wrong key" apart from "corrupt file". */
export function keyFingerprint(key: Buffer): string {
  return createHmac('sha256', key).update('lifeboat vault key id v1').digest('hex').slice(0, 16);
}

export class EnvKeySource implements VaultKeySource {
  readonly description = 'LIFEBOAT_VAULT_KEY';
  private readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  load(): Buffer {
    return parseHexKey(this.value, 'LIFEBOAT_VAULT_KEY');
  }
}

/** Key file beside the vault, mode 0600: for headless use on a machine the user owns. */
export class KeyFileSource implements VaultKeySource {
  readonly path: string;
  readonly description: string;
  constructor(path: string) {
    this.path = path;
    this.description = `key file ${path}`;
  }
  load(mayCreate: boolean): Buffer {
    if (existsSync(this.path)) return parseHexKey(readFileSync(this.path, 'utf8'), this.description);
    if (!mayCreate) {
      throw new VaultKeyMissingError(
        `the vault exists but its key is missing (${this.path}); restore the key file or set LIFEBOAT_VAULT_KEY`,
      );
    }
    const key = newVaultKey();
    // Written whole under a temporary name, then linked into place: link() refuses to replace a
    // key another process created a moment ago, and nobody ever reads a half-written key file.
    const tmp = `${this.path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    writeFileSync(tmp, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    try {
      chmodSync(tmp, 0o600);
      linkSync(tmp, this.path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // Another process won the race: its key is the vault's key.
      if (code === 'EEXIST') return parseHexKey(readFileSync(this.path, 'utf8'), this.description);
      // A file system without hard links: 'wx' still refuses to replace another process's key.
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw err;
      writeFileSync(this.path, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    } finally {
      rmSync(tmp, { force: true });
    }
    return key;
  }
}

/** LIFEBOAT_VAULT_KEY wins over the key file, so IT can hold keys outside the profile. */
export function headlessKeySource(vaultDir: string, env: NodeJS.ProcessEnv = process.env): VaultKeySource {
  const fromEnv = env.LIFEBOAT_VAULT_KEY;
  if (fromEnv !== undefined && fromEnv !== '') return new EnvKeySource(fromEnv);
  return new KeyFileSource(join(vaultDir, 'vault.key'));
}

/** A key already in memory (Electron after safeStorage unwrap, and tests). */
export class FixedKeySource implements VaultKeySource {
  readonly description: string;
  private readonly key: Buffer;
  constructor(key: Buffer, description = 'supplied key') {
    if (key.length !== KEY_BYTES) throw new VaultKeyMissingError(`a vault key must be ${KEY_BYTES} bytes`);
    this.key = key;
    this.description = description;
  }
  load(): Buffer {
    return this.key;
  }
}
