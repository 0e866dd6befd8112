import { loadConfig, type LoadConfigOptions } from '../../app/core/config/configFile.ts';
import { SettingsStore } from '../../app/core/settings/settingsStore.ts';

/** The real settings store over files loaded as given (built-in defaults when none), changes kept in memory. */
export function memorySettings(load: Partial<LoadConfigOptions> = {}): SettingsStore {
  return new SettingsStore({ resolved: { config: loadConfig({ env: {}, ...load }), rule: 'as-configured', problems: [], problem: null }, userPath: null });
}
