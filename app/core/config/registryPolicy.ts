import { ConfigError, formatFieldPath } from './configError.ts';
import { policyDefinitions, POLICY_KEY, type PolicyDefinition } from './policySchema.ts';
import { ConfigFileSchema, type ConfigFile } from './profiles.ts';

/** One registry value as read: its type and data. */
export type RegistryValue =
  | { type: 'REG_DWORD' | 'REG_QWORD'; data: number }
  | { type: 'REG_SZ' | 'REG_EXPAND_SZ'; data: string }
  | { type: 'REG_MULTI_SZ'; data: string[] }
  | { type: 'REG_BINARY' | 'REG_NONE'; data: null };

/** The Lifeboat policy key as read: its values, and one level of subkeys with theirs. Names are case-insensitive, as in the registry. */
export interface PolicyKeyValues {
  values: Record<string, RegistryValue>;
  subkeys: Record<string, Record<string, RegistryValue>>;
}

export type PolicyHive = 'HKLM' | 'HKCU';

/** A policy layer beside policy.json: read whole when the config loads. Throws ConfigError for a bad value. */
export interface PolicySource {
  /** Where it comes from, as IT would type it: "HKLM\SOFTWARE\Policies\Lifeboat". */
  readonly label: string;
  read(): ConfigFile | null;
}

export function policyKeyLabel(hive: PolicyHive): string {
  return `${hive}\\${POLICY_KEY}`;
}

function lookup<T>(record: Record<string, T>, name: string): T | undefined {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(record)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

type Converted = { value: unknown } | { problem: string } | { unset: true };

/** A registry value as the setting's type, or what was wrong with it. */
function convert(definition: PolicyDefinition, value: RegistryValue): Converted {
  const isText = value.type === 'REG_SZ' || value.type === 'REG_EXPAND_SZ';
  switch (definition.kind) {
    case 'boolean':
      // A switch that can only be on: 0 (the template's "disabled") means the setting is not set.
      if (definition.onlyTrue && (value.type === 'REG_DWORD' || value.type === 'REG_QWORD') && value.data === 0) return { unset: true };
      if ((value.type === 'REG_DWORD' || value.type === 'REG_QWORD') && (value.data === 0 || value.data === 1)) return { value: value.data === 1 };
      return { problem: `expected a REG_DWORD of 0 or 1, found ${describe(value)}` };
    case 'decimal':
      if (value.type === 'REG_DWORD' || value.type === 'REG_QWORD') return { value: value.data };
      // ADMX decimal elements may be stored as text (storeAsText).
      if (isText && /^\d{1,15}$/.test(value.data.trim())) return { value: Number(value.data.trim()) };
      return { problem: `expected a REG_DWORD number, found ${describe(value)}` };
    case 'text':
      return isText ? { value: value.data } : { problem: `expected a REG_SZ string, found ${describe(value)}` };
    case 'list':
      if (value.type === 'REG_MULTI_SZ') return { value: value.data.filter((entry) => entry !== '') };
      return isText ? { value: [value.data] } : { problem: `expected a REG_MULTI_SZ list, found ${describe(value)}` };
    case 'json': {
      const text = value.type === 'REG_MULTI_SZ' ? value.data.join('\n') : isText ? value.data : null;
      if (text === null) return { problem: `expected JSON in a REG_SZ or REG_MULTI_SZ, found ${describe(value)}` };
      try {
        return { value: JSON.parse(text) as unknown };
      } catch (error) {
        return { problem: `invalid JSON: ${(error as Error).message}` };
      }
    }
  }
}

function describe(value: RegistryValue): string {
  return value.data === null ? value.type : `${value.type} ${JSON.stringify(value.data).slice(0, 60)}`;
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const segment of path.slice(0, -1)) {
    const next = node[segment];
    node = (typeof next === 'object' && next !== null ? next : (node[segment] = {})) as Record<string, unknown>;
  }
  node[path.at(-1)!] = value;
}

/**
 * The policy a registry key holds, as a config file (the same schema as policy.json). Values
 * Lifeboat does not know are left alone (a newer template may add some); a value of the wrong type
 * or out of range is a ConfigError naming the key and value, as a bad policy.json names its field.
 * In HKCU only the policies that may be set per user count.
 */
export function policyFromRegistry(hive: PolicyHive, key: PolicyKeyValues | null): ConfigFile | null {
  if (key === null) return null;
  const label = policyKeyLabel(hive);
  const file: Record<string, unknown> = {};
  let found = false;
  for (const definition of policyDefinitions()) {
    if (hive === 'HKCU' && definition.scope !== 'both') continue;
    const values = definition.subkey === '' ? key.values : lookup(key.subkeys, definition.subkey);
    const value = values ? lookup(values, definition.valueName) : undefined;
    if (value === undefined) continue;
    const where = definition.subkey === '' ? definition.valueName : `${definition.subkey}\\${definition.valueName}`;
    const converted = convert(definition, value);
    if ('problem' in converted) throw new ConfigError({ file: label, field: where, detail: converted.problem });
    if ('unset' in converted) continue;
    setPath(file, definition.path, converted.value);
    found = true;
  }
  if (!found) return null;
  const parsed = ConfigFileSchema.safeParse(file);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const definition = policyDefinitions().find((d) => formatFieldPath(issue.path).startsWith(formatFieldPath([...d.path])));
    const where = definition ? (definition.subkey === '' ? definition.valueName : `${definition.subkey}\\${definition.valueName}`) : formatFieldPath(issue.path);
    throw new ConfigError({ file: label, field: where, detail: `${issue.message} (${formatFieldPath(issue.path)})` });
  }
  return parsed.data;
}
