import { resolve } from 'node:path';
import { systemClock } from '../common/clock.ts';
import { Vault } from '../core/vault/vault.ts';
import { headlessKeySource } from '../core/vault/vaultKey.ts';
import { databaseExists, vaultPaths } from '../core/vault/vaultFiles.ts';
import { CliError } from './cliError.ts';

/** Opens the vault the headless way: key from LIFEBOAT_VAULT_KEY or DIR/vault.key. */
export function openCliVault(dir: string, options: { moveAsideCorrupt?: boolean } = {}): Vault {
  const absolute = resolve(dir);
  const busy = process.env.LIFEBOAT_BUSY_TIMEOUT_MS;
  return Vault.open({
    dir: absolute,
    keySource: headlessKeySource(absolute),
    clock: systemClock,
    ...(busy ? { busyTimeoutMs: Number(busy) } : {}),
    moveAsideCorrupt: options.moveAsideCorrupt ?? true,
  });
}

/**
 * Reading commands never create a vault (and a key) where there was none: a typo in --vault
 * would. Nor do they move a damaged vault aside: that is for the process that writes a new one.
 */
export async function withVault<T>(dir: string, fn: (vault: Vault) => T | Promise<T>, options: { mayCreate?: boolean } = {}): Promise<T> {
  if (!options.mayCreate && !databaseExists(vaultPaths(resolve(dir)).db)) throw new CliError(`no vault at ${resolve(dir)}; give the vault's folder with --vault (or LIFEBOAT_VAULT)`);
  const vault = openCliVault(dir, { moveAsideCorrupt: options.mayCreate === true });
  try {
    return await fn(vault);
  } finally {
    vault.close();
  }
}
