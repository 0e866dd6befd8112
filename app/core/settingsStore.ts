import { renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ApiArg, SettingsView } from '../common/api.ts';
import { ApiError, type SettingsStore } from './api/apiBackend.ts';
import { isLockedByPolicy, readConfigFile, type LoadedConfig } from './config/configFile.ts';

/**
 * The GP's settings as the UI sees them: what the loaded config says, changes written back to the
 * user's config file (atomically), and anything the machine policy fixes refused with a reason.
 */
export class ConfigSettingsStore implements SettingsStore {
  private readonly config: LoadedConfig;
  private readonly userPath: string | null;
  private view: SettingsView;
  private readonly onChange: (view: SettingsView) => void;

  constructor(config: LoadedConfig, userPath: string | null, onChange: (view: SettingsView) => void = () => {}) {
    this.config = config;
    this.userPath = userPath;
    this.onChange = onChange;
    this.view = {
      notificationsEnabled: config.settings.notifications.enabled,
      retentionDays: config.settings.retentionDays,
      activeProfile: config.active[0]?.name ?? config.settings.activeProfiles[0] ?? 'emis-web',
      profiles: config.profiles.map((p) => ({ name: p.name, displayName: p.displayName })),
      lockedByPolicy: config.lockedByPolicy,
      logFolders: Object.values(config.logFolders).flat(),
    };
  }

  get(): SettingsView {
    return this.view;
  }

  update(patch: ApiArg<'updateSettings'>): SettingsView {
    const locked: Array<[keyof typeof patch, string]> = [
      ['notificationsEnabled', 'notifications.enabled'],
      ['retentionDays', 'retentionDays'],
      ['activeProfile', 'activeProfiles'],
    ];
    for (const [key, path] of locked) {
      if (patch[key] !== undefined && isLockedByPolicy(this.config, path)) throw new ApiError('SETTING_LOCKED', `${path} is set by the practice's machine policy and cannot be changed here`);
    }
    if (patch.activeProfile !== undefined && !this.view.profiles.some((p) => p.name === patch.activeProfile)) throw new ApiError('BAD_ARGUMENT', `no client profile named ${patch.activeProfile}`);
    this.view = { ...this.view, ...patch };
    this.persist();
    this.onChange(this.view);
    return this.view;
  }

  private persist(): void {
    if (this.userPath === null) return;
    const existing = readConfigFile(this.userPath) ?? {};
    const settings = {
      ...existing.settings,
      retentionDays: this.view.retentionDays,
      activeProfiles: [this.view.activeProfile],
      notifications: { ...existing.settings?.notifications, enabled: this.view.notificationsEnabled },
    };
    mkdirSync(dirname(this.userPath), { recursive: true });
    const tmp = `${this.userPath}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify({ ...existing, settings }, null, 2) + '\n');
    renameSync(tmp, this.userPath);
  }
}
