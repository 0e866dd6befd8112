/**
 * A config file Lifeboat cannot use. The message names the file, then the place (line:column for
 * a syntax error, the field path for a schema error), then what was expected, e.g.
 *   C:\ProgramData\Lifeboat\policy.json: profiles[0].patterns.crash[2]: invalid regular expression '(' — Unterminated group
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly file: string;
  readonly line: number | null;
  readonly column: number | null;
  /** Dotted field path such as "profiles[0].patterns.crash[2]", for schema errors. */
  readonly field: string | null;
  readonly detail: string;

  constructor(init: { file: string; detail: string; line?: number; column?: number; field?: string }) {
    const where = init.line !== undefined ? `:${init.line}:${init.column ?? 1}` : '';
    const field = init.field ? ` ${init.field}:` : '';
    super(`${init.file}${where}:${field} ${init.detail}`);
    this.file = init.file;
    this.line = init.line ?? null;
    this.column = init.column ?? null;
    this.field = init.field ?? null;
    this.detail = init.detail;
  }
}

/** ['profiles', 0, 'patterns', 'crash', 2] → "profiles[0].patterns.crash[2]" */
export function formatFieldPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}
