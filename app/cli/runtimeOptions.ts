import { resolve } from 'node:path';
import type { LoadedConfig } from '../core/config/configFile.ts';
import { loadConfig } from '../core/config/configFile.ts';
import type { PlatformPolicy } from '../core/config/platformPolicy.ts';
import { ConfigError } from '../core/config/configError.ts';
import { defaultLocations } from '../core/paths/defaultLocations.ts';
import { headlessKeySource } from '../core/vault/vaultKey.ts';
import type { StartLifeboatOptions } from '../core/startLifeboat.ts';
import { CliError } from './cliError.ts';

export interface RuntimeFlags {
  vault?: string;
  profile?: string;
  config?: string;
  policy?: string;
}

/** Narrows the watched clients to one profile, by name, with a clear error for a typo. */
export function withActiveProfile(config: LoadedConfig, name: string | undefined): LoadedConfig {
  if (name === undefined) return config;
  const profile = config.profiles.find((p) => p.name === name);
  if (!profile) throw new CliError(`no client profile named "${name}"; known: ${config.profiles.map((p) => p.name).join(', ')}`, 2);
  return { ...config, active: [profile], settings: { ...config.settings, activeProfiles: [name] } };
}

/**
 * The headless way to start Lifeboat: default locations, key from env or key file, config files.
 * With `onBadConfig`, a broken config file is reported and the built-in defaults are used (the
 * GP must still reach their notes); without it, the ConfigError is thrown.
 */
export function headlessRuntimeOptions(flags: RuntimeFlags, env: NodeJS.ProcessEnv = process.env, onBadConfig?: (error: ConfigError) => void, policy?: PlatformPolicy): StartLifeboatOptions {
  const locations = defaultLocations(env);
  const vaultDir = resolve(flags.vault ?? locations.vaultDir);
  const userConfigPath = flags.config ?? locations.userConfig;
  const policyConfigPath = flags.policy ?? locations.policyConfig;
  const base = { vaultDir, keySource: headlessKeySource(vaultDir, env), stateDir: flags.vault ? resolve(vaultDir, 'watcher-state') : locations.stateDir, env, ...(policy ? { policy } : {}) };
  try {
    const config = withActiveProfile(loadConfig({ env, userPath: userConfigPath, policyPath: policyConfigPath, policySources: policy?.sources ?? [] }), flags.profile);
    return { ...base, userConfigPath, policyConfigPath, config };
  } catch (err) {
    if (!(err instanceof ConfigError) || !onBadConfig) throw err;
    onBadConfig(err);
    return { ...base, config: withActiveProfile(loadConfig({ env }), flags.profile) };
  }
}
