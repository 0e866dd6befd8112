import { readFileSync } from 'node:fs';
import { ConfigError, formatFieldPath } from './configError.ts';
import { DEFAULT_PROFILES } from './defaultProfiles.ts';
import { parseJsoncText } from './jsoncText.ts';
import { expandPathVars } from './pathVars.ts';
import { ClientProfileSchema, ConfigFileSchema, SettingsSchema, type ClientProfile, type ConfigFile, type Settings } from './profiles.ts';
import type { PolicySource } from './registryPolicy.ts';

export interface LoadConfigOptions {
  /** The user's own file; missing is fine (defaults apply). */
  userPath?: string;
  /** The IT-managed machine policy; missing is fine. What it sets wins and is locked. */
  policyPath?: string;
  /**
   * Policy from the registry (Windows: HKCU then HKLM \SOFTWARE\Policies\Lifeboat, as Group Policy and
   * Intune set it), layered above policy.json in the order given: where both set a field, the
   * registry wins, and HKLM wins over HKCU. Each locks what it sets, like policy.json.
   */
  policySources?: readonly PolicySource[];
  env: Readonly<Record<string, string | undefined>>;
  platform?: NodeJS.Platform;
}

export type ConfigLayer = 'built-in' | 'user' | 'policy';

export interface LoadedConfig {
  settings: Settings;
  /** Every known profile: built-ins first, then those the files add, in file order. */
  profiles: ClientProfile[];
  /** The profiles named by settings.activeProfiles, in that order. */
  active: ClientProfile[];
  /** Settings the machine policy sets, as dotted paths ("capture", "notifications.enabled", "profiles.emis-web"). */
  lockedByPolicy: string[];
  /** The layer that last defined or changed each profile. */
  profileOrigins: Record<string, ConfigLayer>;
  /** Each profile's log folders with %VARS% and ~ expanded for this machine. */
  logFolders: Record<string, string[]>;
  /** The simulated client's socket folder per profile that has one, expanded like log folders. */
  simSocketDirs: Record<string, string>;
  /** The files that were found and read, and the registry keys that held policy. */
  files: { user: string | null; policy: string | null; registry: string[] };
}

/** One file (or registry key) read and checked on its own, before the layers are merged. */
export interface ConfigLayerFile {
  layer: 'user' | 'policy';
  /** The file's path, or the registry key's name, as IT would type it. */
  path: string;
  file: ConfigFile;
}

/** Reads the user file, the policy file and the registry policy, in that order. Throws ConfigError. */
export function readConfigLayers(options: Pick<LoadConfigOptions, 'userPath' | 'policyPath' | 'policySources'>): ConfigLayerFile[] {
  return [...readUserLayer(options.userPath), ...readPolicyLayers(options)];
}

export function readUserLayer(userPath: string | undefined): ConfigLayerFile[] {
  const file = userPath === undefined ? null : readConfigFile(userPath);
  return file && userPath !== undefined ? [{ layer: 'user', path: userPath, file }] : [];
}

/** The machine policy's layers: policy.json, then each registry source. Throws ConfigError. */
export function readPolicyLayers(options: Pick<LoadConfigOptions, 'policyPath' | 'policySources'>): ConfigLayerFile[] {
  const layers: ConfigLayerFile[] = [];
  const file = options.policyPath === undefined ? null : readConfigFile(options.policyPath);
  if (file && options.policyPath !== undefined) layers.push({ layer: 'policy', path: options.policyPath, file });
  for (const source of options.policySources ?? []) {
    const read = source.read();
    if (read) layers.push({ layer: 'policy', path: source.label, file: read });
  }
  return layers;
}

/**
 * Built-in defaults ← user file ← machine policy. A profile named in a file overrides the profile
 * of that name field by field (objects merge, lists replace: a policy's crash patterns are the
 * crash patterns); a new name adds a profile, which must then be complete. Throws ConfigError.
 * (A running Lifeboat loads through resolveConfig, which decides what a bad file means.)
 */
export function loadConfig(options: LoadConfigOptions): LoadedConfig {
  return mergeConfigLayers(readConfigLayers(options), options);
}

/** The layers, already read, merged over the built-in defaults. Throws ConfigError. */
export function mergeConfigLayers(layers: readonly ConfigLayerFile[], options: Pick<LoadConfigOptions, 'env' | 'platform' | 'policyPath'>): LoadedConfig {
  const platform = options.platform ?? process.platform;
  const profiles = new Map<string, { profile: ClientProfile; origin: ConfigLayer }>(DEFAULT_PROFILES.map((p) => [p.name, { profile: p, origin: 'built-in' }]));
  for (const { layer, path, file } of layers) {
    file.profiles?.forEach((override, index) => {
      const base = profiles.get(override.name)?.profile;
      const parsed = ClientProfileSchema.safeParse(deepMerge(base ?? {}, override));
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const detail = base ? issue.message : `new profile '${override.name}' is incomplete: ${issue.message}`;
        throw new ConfigError({ file: path, field: formatFieldPath(['profiles', index, ...issue.path]), detail });
      }
      profiles.set(override.name, { profile: parsed.data, origin: layer });
    });
  }

  let merged: Record<string, unknown> = {};
  for (const { file } of layers) merged = deepMerge(merged, file.settings ?? {});
  const settingsResult = SettingsSchema.safeParse(merged);
  if (!settingsResult.success) {
    // Each file passed its own checks, so this is a combination; name the file that decides.
    const issue = settingsResult.error.issues[0]!;
    throw new ConfigError({ file: layers.at(-1)?.path ?? '(built-in defaults)', field: formatFieldPath(['settings', ...issue.path]), detail: issue.message });
  }
  const settings = settingsResult.data;

  const active = settings.activeProfiles.map((name, index) => {
    const found = profiles.get(name);
    if (found) return found.profile;
    const setter = [...layers].reverse().find((l) => l.file.settings?.activeProfiles !== undefined);
    throw new ConfigError({
      file: setter?.path ?? '(built-in defaults)',
      field: `settings.activeProfiles[${index}]`,
      detail: `no profile named '${name}' (known: ${[...profiles.keys()].join(', ')})`,
    });
  });

  const policies = layers.filter((l) => l.layer === 'policy');
  const all = [...profiles.values()];
  return {
    settings,
    profiles: all.map((p) => p.profile),
    active,
    lockedByPolicy: [...new Set(policies.flatMap((policy) => [...settingPaths(policy.file.settings ?? {}), ...(policy.file.profiles ?? []).map((p) => `profiles.${p.name}`)]))],
    profileOrigins: Object.fromEntries(all.map((p) => [p.profile.name, p.origin])),
    logFolders: Object.fromEntries(all.map((p) => [p.profile.name, p.profile.logs.map((log) => expandPathVars(log.dir, options.env, platform))])),
    simSocketDirs: Object.fromEntries(all.flatMap((p) => (p.profile.simSocketDir ? [[p.profile.name, expandPathVars(p.profile.simSocketDir, options.env, platform)]] : []))),
    files: {
      user: layers.find((l) => l.layer === 'user')?.path ?? null,
      policy: options.policyPath !== undefined && policies.some((l) => l.path === options.policyPath) ? options.policyPath : null,
      registry: policies.filter((l) => l.path !== options.policyPath).map((l) => l.path),
    },
  };
}

/** The config watching only the profile named; null when there is no such profile. */
export function narrowToProfile(config: LoadedConfig, name: string): LoadedConfig | null {
  const profile = config.profiles.find((p) => p.name === name);
  return profile ? { ...config, active: [profile], settings: { ...config.settings, activeProfiles: [name] } } : null;
}

/** Whether the machine policy fixes this setting (or a setting that contains it). */
export function isLockedByPolicy(config: LoadedConfig, path: string): boolean {
  return config.lockedByPolicy.some((locked) => path === locked || path.startsWith(`${locked}.`));
}

/** Reads and validates one config file; null when it does not exist. */
export function readConfigFile(path: string): ConfigFile | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw new ConfigError({ file: path, detail: `cannot be read (${code ?? 'error'}): ${(error as Error).message}` });
  }
  const text = decodeConfigText(bytes);
  if (text.trim() === '') return {};
  const parsedText = parseJsoncText(text);
  if (!parsedText.ok) throw new ConfigError({ file: path, line: parsedText.line, column: parsedText.column, detail: `invalid JSON: ${parsedText.detail}` });
  const json = parsedText.value;
  const parsed = ConfigFileSchema.safeParse(json);
  if (!parsed.success) {
    const [first, ...rest] = parsed.error.issues;
    const more = rest.length > 0 ? ` (and ${rest.length} more problem${rest.length > 1 ? 's' : ''})` : '';
    throw new ConfigError({ file: path, field: formatFieldPath(first!.path) || undefined, detail: `${first!.message}${more}` });
  }
  return parsed.data;
}

/**
 * Config files are edited by hand on Windows: Notepad may add a UTF-8 BOM, and Windows PowerShell's
 * Out-File writes UTF-16LE. Accept all of them.
 */
export function decodeConfigText(bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  if (bytes.length >= 2 && bytes[0] !== 0 && bytes[1] === 0) return bytes.toString('utf16le');
  return bytes.toString('utf8');
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Objects merge key by key; anything else (lists included) in the override replaces the base. */
function deepMerge(base: object, override: object): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) continue;
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return out;
}

/** "capture", "notifications.enabled": the policy's settings down to one level inside groups. */
function settingPaths(settings: Record<string, unknown>): string[] {
  return Object.entries(settings).flatMap(([key, value]) =>
    value === undefined ? [] : isPlainObject(value) ? Object.keys(value).filter((k) => value[k] !== undefined).map((k) => `${key}.${k}`) : [key],
  );
}
