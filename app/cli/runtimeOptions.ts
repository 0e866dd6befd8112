import { resolve } from 'node:path';
import type { LoadedConfig } from '../core/config/configFile.ts';
import { loadConfig } from '../core/config/configFile.ts';
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

/** The headless way to start Lifeboat: default locations, key from env or key file, config files. */
export function headlessRuntimeOptions(flags: RuntimeFlags, env: NodeJS.ProcessEnv = process.env): StartLifeboatOptions {
  const locations = defaultLocations(env);
  const vaultDir = resolve(flags.vault ?? locations.vaultDir);
  const userConfigPath = flags.config ?? locations.userConfig;
  const policyConfigPath = flags.policy ?? locations.policyConfig;
  const config = withActiveProfile(loadConfig({ env, userPath: userConfigPath, policyPath: policyConfigPath }), flags.profile);
  return {
    vaultDir,
    keySource: headlessKeySource(vaultDir, env),
    stateDir: flags.vault ? resolve(vaultDir, '..', 'state') : locations.stateDir,
    env,
    userConfigPath,
    policyConfigPath,
    config,
  };
}
