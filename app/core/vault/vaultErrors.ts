/**
 * Typed vault errors. Each message is written for the person who has to act on it:
 * a GP (the note is safe / is not saved) or practice IT (what to check).
 */
export class VaultError extends Error {
  readonly code: string = 'VAULT_ERROR';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class VaultKeyMismatchError extends VaultError {
  override readonly code = 'VAULT_KEY_MISMATCH';
  constructor(path: string) {
    super(`the vault key does not open this vault (${path}); the vault was left untouched: give the key it was made with (LIFEBOAT_VAULT_KEY or the vault.key beside it)`);
  }
}

export class VaultKeyMissingError extends VaultError {
  override readonly code = 'VAULT_KEY_MISSING';
}

export class VaultBusyError extends VaultError {
  override readonly code = 'VAULT_BUSY';
  constructor(path: string, waitedMs: number, options?: { cause?: unknown }) {
    super(`vault busy: another Lifeboat process is writing to ${path} (waited ${waitedMs} ms); try again`, options);
  }
}

export class VaultTooNewError extends VaultError {
  override readonly code = 'VAULT_TOO_NEW';
  constructor(path: string, found: number, supported: number) {
    super(
      `this vault (${path}) was written by a newer Lifeboat (schema ${found}, this version understands up to ${supported}); ` +
        'update Lifeboat; the vault was left untouched',
    );
  }
}

export class VaultCorruptError extends VaultError {
  override readonly code = 'VAULT_CORRUPT';
  /** Where the file was moved, or null when it was left in place (key not proven, or a reading command). */
  readonly movedTo: string | null;
  constructor(path: string, movedTo: string | null, options?: { cause?: unknown; why?: string }) {
    super(
      movedTo !== null
        ? `the vault file ${path} is not a readable Lifeboat vault; it was moved aside to ${movedTo} (nothing deleted)`
        : `the vault file ${path} is not readable with this key; it was left in place (${options?.why ?? 'nothing was changed'}); ` +
            'check the vault key, or start Lifeboat itself, which moves a damaged vault aside once the key is proven',
      options,
    );
    this.movedTo = movedTo;
  }
}

export class DiskFullError extends VaultError {
  override readonly code = 'DISK_FULL';
  constructor(path: string, options?: { cause?: unknown }) {
    super(`not saved: the disk (or the vault's size limit) is full at ${path}; the last saved version is intact`, options);
  }
}

export class DraftNotFoundError extends VaultError {
  override readonly code = 'DRAFT_NOT_FOUND';
  constructor(id: string, revision?: number) {
    super(revision === undefined ? `no draft with id ${id}; \`lifeboat drafts list\` shows the ids` : `draft ${id} has no revision ${revision}; \`lifeboat drafts revisions ${id}\` lists them`);
  }
}

/** A key file or vault folder that someone else could read, replace or has planted: refused. */
export class VaultNotPrivateError extends VaultError {
  override readonly code = 'VAULT_NOT_PRIVATE';
}

export class VaultInputError extends VaultError {
  override readonly code = 'VAULT_INPUT';
}
