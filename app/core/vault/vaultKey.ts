import { randomBytes, createHmac } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createFileOnceSync } from '../atomicWrite/atomicWrite.ts';
import { VaultKeyMissingError, VaultNotPrivateError } from './vaultErrors.ts';
import { assertPrivate, ensureVaultDir, type OwnerCheck } from './vaultFiles.ts';

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
    throw new VaultKeyMissingError(`${where} must hold a 256-bit key as 64 hex characters; set it to that, or unset it to use the vault's own key file`);
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

/**
 * Key file beside the vault, mode 0600: for headless use on a machine the user owns.
 *
 * Whoever can read the key reads every note; whoever can place a key file before a vault is
 * created can read every note written after. So (POSIX; on Windows the profile ACL protects it):
 * the file is opened without following a symbolic link, and refused unless it is a plain file
 * owned by this user that nobody else can read or write; its folder is checked the same way
 * (ensureVaultDir) before any key is read, so a key planted in a new vault folder by another
 * user is never adopted: they could only have put it there if they own or can write the folder.
 */
export class KeyFileSource implements VaultKeySource {
  readonly path: string;
  readonly description: string;
  private readonly owner: OwnerCheck;
  constructor(path: string, owner: OwnerCheck = {}) {
    this.path = path;
    this.description = `key file ${path}`;
    this.owner = owner;
  }
  load(mayCreate: boolean): Buffer {
    if (process.platform !== 'win32') ensureVaultDir(dirname(this.path));
    const existing = this.read();
    if (existing) return existing;
    if (!mayCreate) {
      throw new VaultKeyMissingError(
        `the vault exists but its key is missing (${this.path}); restore the key file or set LIFEBOAT_VAULT_KEY`,
      );
    }
    const key = newVaultKey();
    // Appears whole or not at all, and never replaces a key another process created a moment ago.
    if (createFileOnceSync(this.path, key.toString('hex') + '\n', { mode: 0o600 })) return key;
    const winner = this.read();
    if (!winner) throw new VaultKeyMissingError(`the key file ${this.path} vanished while it was being created; try again`);
    return winner;
  }

  /** The key, or null when there is no key file. */
  private read(): Buffer | null {
    let fd: number;
    try {
      fd = openSync(this.path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return null;
      if (code === 'ELOOP') throw new VaultNotPrivateError(`the key file ${this.path} is a symbolic link; Lifeboat reads only a real file there. Replace the link with the key file itself`);
      throw err;
    }
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) throw new VaultNotPrivateError(`the key file ${this.path} is not a regular file`);
      if (process.platform !== 'win32') assertPrivate(st, `the key file ${this.path}`, `chmod 600 '${this.path}'`, this.owner);
      const buffer = Buffer.alloc(256);
      const length = readSync(fd, buffer, 0, buffer.length, 0);
      return parseHexKey(buffer.subarray(0, length).toString('utf8'), this.description);
    } finally {
      closeSync(fd);
    }
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
