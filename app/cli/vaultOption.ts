import { Option } from 'commander';
import { defaultLocations } from '../core/paths/defaultLocations.ts';
import { CliError } from './cliError.ts';

/** An empty --vault (or LIFEBOAT_VAULT="") would resolve to the current directory and put a vault there. */
function vaultDir(value: string): string {
  if (value.trim() === '') throw new CliError('--vault (or LIFEBOAT_VAULT) must name the vault directory; it is empty', 2);
  return value;
}

/**
 * --vault for every command that opens the vault. Without it, the vault the tray app, `watch` and
 * `serve` use: LIFEBOAT_VAULT, else `<data folder>/vault` (paths/defaultLocations.ts), so practice
 * IT at a GP's PC needs no path. Reading commands never create one there (openVault.ts).
 */
export function vaultOption(): Option {
  return new Option('--vault <dir>', 'vault directory').env('LIFEBOAT_VAULT').argParser(vaultDir).default(defaultLocations().vaultDir, "the data folder's vault");
}
