import { openVaultDatabase, type OpenVaultOptions } from './openVaultDatabase.ts';
import { asReadConnection, type ReadConnection } from './vaultHandles.ts';
import { VaultQueries } from './vaultReads.ts';

/**
 * The vault through a read-only connection: lists, searches, incidents and everything built on
 * them (recovery grouping, reports). It has no write method, and SQLite refuses writes on its
 * connection: the maintenance worker answers the UI's long reads with one of these.
 */
export class ReadOnlyVault extends VaultQueries {
  private readonly db: ReadConnection;

  static open(options: Omit<OpenVaultOptions, 'readonly' | 'maxSizeBytes'>): ReadOnlyVault {
    const opened = openVaultDatabase({ ...options, readonly: true });
    return new ReadOnlyVault(asReadConnection(opened.db), opened.paths.db, opened.busyTimeoutMs);
  }

  private constructor(db: ReadConnection, path: string, busyTimeoutMs: number) {
    super(db, path, busyTimeoutMs);
    this.db = db;
  }

  /** Runs reads in one read transaction: every answer from the same moment of the vault. */
  snapshot<T>(fn: () => T): T {
    return this.read(() => this.db.transaction(fn).deferred());
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
