import { DiskFullError, VaultBusyError, VaultError } from './vaultErrors.ts';

interface SqliteLikeError {
  code?: unknown;
}

export function sqliteCode(err: unknown): string {
  const code = (err as SqliteLikeError | null)?.code;
  return typeof code === 'string' ? code : '';
}

/** Turns SQLite's codes into the vault's typed errors; anything unknown passes through unchanged. */
export function translateSqliteError(err: unknown, path: string, busyTimeoutMs: number): unknown {
  if (err instanceof VaultError) return err;
  const code = sqliteCode(err);
  if (code === 'SQLITE_FULL' || code.startsWith('SQLITE_FULL')) return new DiskFullError(path, { cause: err });
  if (code.startsWith('SQLITE_IOERR') && /ENOSPC|no space|disk is full/i.test(String((err as Error).message))) {
    return new DiskFullError(path, { cause: err });
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return new VaultBusyError(path, busyTimeoutMs, { cause: err });
  return err;
}
