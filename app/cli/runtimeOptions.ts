import { resolve } from 'node:path';
import { narrowToProfile, type LoadedConfig } from '../core/config/configFile.ts';
import type { PlatformPolicy } from '../core/config/platformPolicy.ts';
import { defaultLocations } from '../core/paths/defaultLocations.ts';
import { headlessKeySource } from '../core/vault/vaultKey.ts';
import { startLifeboat, UnknownProfileError, type LifeboatRuntime, type StartLifeboatOptions } from '../core/startLifeboat.ts';
import { CliError } from './cliError.ts';
import type { MachineContext } from './program.ts';

export interface RuntimeFlags {
  vault?: string;
  profile?: string;
  /** The user's own settings file (theirs to move); the machine policy has no flag. */
  config?: string;
}

/** Narrows the watched clients to one profile, by name, with a clear error for a typo. */
export function withActiveProfile(config: LoadedConfig, name: string | undefined): LoadedConfig {
  if (name === undefined) return config;
  const narrowed = narrowToProfile(config, name);
  if (!narrowed) throw new CliError(`no client profile named "${name}"; known: ${config.profiles.map((p) => p.name).join(', ')}`, 2);
  return narrowed;
}

/**
 * The headless way to start Lifeboat (`serve`, `watch`): default locations, key from env or key
 * file, the user's file and the machine's policy where the machine keeps it. What a broken file
 * means is the composition root's one rule (startLifeboat), the same as the desktop app's.
 */
export function headlessRuntimeOptions(flags: RuntimeFlags, machine: MachineContext, env: NodeJS.ProcessEnv = process.env, policy?: PlatformPolicy): StartLifeboatOptions {
  const locations = defaultLocations(env);
  const vaultDir = resolve(flags.vault ?? locations.vaultDir);
  return {
    vaultDir,
    keySource: headlessKeySource(vaultDir, env),
    stateDir: flags.vault ? resolve(vaultDir, 'watcher-state') : locations.stateDir,
    env,
    userConfigPath: flags.config ?? locations.userConfig,
    policyConfigPath: machine.policy.path,
    ...(flags.profile ? { profile: flags.profile } : {}),
    ...(policy ? { policy } : {}),
  };
}

/** startLifeboat, with a typo in --profile as a one-line CLI error. */
export async function startHeadless(options: StartLifeboatOptions): Promise<LifeboatRuntime> {
  try {
    return await startLifeboat(options);
  } catch (err) {
    if (err instanceof UnknownProfileError) throw new CliError(err.message, 2);
    throw err;
  }
}
