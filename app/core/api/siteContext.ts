import { hostname } from 'node:os';
import { dirname } from 'node:path';
import type { LoadedConfig } from '../config/configFile.ts';

/**
 * What the API knows about this computer and practice beyond the vault: named in reports and
 * evidence packs, and where the practice share is. Built once from the loaded config.
 */
export interface SiteContext {
  workstation: string;
  practiceName: string | null;
  odsCode: string | null;
  /** The practice share (settings.sharePath), or null when none is set up. */
  sharePath: string | null;
  /** The vault's folder: the evidence pack reports the free space of its disk. */
  vaultDir: string;
}

export function siteContext(options: { vaultPath: string; config?: Pick<LoadedConfig, 'settings'> | undefined; workstation?: string | undefined }): SiteContext {
  const settings = options.config?.settings;
  return {
    workstation: options.workstation ?? hostname(),
    practiceName: settings?.practice?.name ?? null,
    odsCode: settings?.practice?.odsCode?.toUpperCase() ?? null,
    sharePath: settings?.sharePath ?? null,
    vaultDir: dirname(options.vaultPath),
  };
}
