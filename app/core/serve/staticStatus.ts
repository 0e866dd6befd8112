import type { ApiArg, SettingsView } from '../../common/api.ts';
import type { LiveStatus, SettingsStore, StatusSource } from '../api/apiBackend.ts';
import { watchedLogFolders } from '../api/logFolderView.ts';
import { applySettingsPatch } from '../api/settingsPatch.ts';
import { clientCaptureView, NO_CAPTURE_HERE } from '../capture/captureDescription.ts';
import type { LoadedConfig } from '../config/configFile.ts';


const NOT_WATCHING = 'lifeboat serve keeps notes safe but does not watch the clinical client (the desktop app and lifeboat demo do)';

/**
 * Health for `lifeboat serve` on its own: nothing watches the clinical client, so it says so
 * ("not running", and why) rather than pretend all is well. Pausing notifications is remembered
 * so the screens behave as they will with the live service.
 */
export class StandaloneStatus implements StatusSource {
  private readonly startedAt: number;
  private readonly now: () => number;
  private readonly settings: SettingsStore;
  private pausedUntil: number | null = null;

  constructor(options: { now: () => number; settings: SettingsStore }) {
    this.now = options.now;
    this.settings = options.settings;
    this.startedAt = options.now();
  }

  status(): LiveStatus {
    const view = this.settings.get();
    return {
      health: 'not-running',
      healthSince: new Date(this.startedAt).toISOString(),
      healthReason: NOT_WATCHING,
      profile: view.activeProfile,
      profileDisplayName: view.profiles.find((p) => p.name === view.activeProfile)?.displayName ?? view.activeProfile,
      clientRunning: false,
      uptimeTodayMinutes: 0,
      practiceOutage: null,
      notificationsPausedUntil: this.currentPause(),
    };
  }

  pauseNotifications(minutes: number): string | null {
    this.pausedUntil = minutes > 0 ? this.now() + minutes * 60_000 : null;
    return this.currentPause();
  }

  private currentPause(): string | null {
    if (this.pausedUntil !== null && this.now() >= this.pausedUntil) this.pausedUntil = null;
    return this.pausedUntil === null ? null : new Date(this.pausedUntil).toISOString();
  }
}

/** Config paths the machine policy can lock (see loadConfig) → the SettingsView field they fix. */
const LOCK_FIELDS: Array<[configPath: string, field: keyof ApiArg<'updateSettings'>]> = [
  ['notifications.enabled', 'notificationsEnabled'],
  ['retentionDays', 'retentionDays'],
  ['activeProfiles', 'activeProfile'],
  ['capture', 'clientCaptureEnabled'],
  ['capture', 'clipboardJournalEnabled'],
  ['clientCapture.enabled', 'clientCaptureEnabled'],
  ['clientCapture.clipboardJournal', 'clipboardJournalEnabled'],
];

export class SettingLockedError extends Error {
  constructor(field: string) {
    super(`${field} is set by the practice's policy and cannot be changed here; ask practice IT`);
    this.name = 'SettingLockedError';
  }
}

/**
 * Settings from the user's and the practice's config files, changed in memory only: serve does
 * not write the user's file (the desktop app owns it). Fields the policy sets stay as the policy says.
 */
export class InMemorySettings implements SettingsStore {
  private view: SettingsView;

  constructor(config: LoadedConfig) {
    const locked = new Set<string>();
    for (const [path, field] of LOCK_FIELDS) {
      if (config.lockedByPolicy.some((l) => path === l || path.startsWith(`${l}.`))) locked.add(field);
    }
    this.view = {
      notificationsEnabled: config.settings.notifications.enabled,
      retentionDays: config.settings.retentionDays,
      activeProfile: config.active[0]?.name ?? config.profiles[0]?.name ?? 'generic',
      profiles: config.profiles.map((p) => ({ name: p.name, displayName: p.displayName })),
      lockedByPolicy: [...locked],
      logFolders: watchedLogFolders(config),
      clientCapture: clientCaptureView({
        enabled: config.settings.capture && config.settings.clientCapture.enabled,
        clipboardJournal: config.settings.capture && config.settings.clientCapture.clipboardJournal,
        clientName: config.active[0]?.displayName ?? 'the clinical system',
        retentionDays: config.settings.retentionDays,
        clipboardMaxChars: config.settings.clientCapture.clipboardMaxChars,
        availability: { ...NO_CAPTURE_HERE, unavailable: 'this window shows saved data only: the watcher is not running' },
      }),
    };
  }

  get(): SettingsView {
    return structuredClone(this.view);
  }

  update(patch: ApiArg<'updateSettings'>): SettingsView {
    for (const [field, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      const current =
        field === 'clientCaptureEnabled' ? this.view.clientCapture.enabled : field === 'clipboardJournalEnabled' ? this.view.clientCapture.clipboardJournal : this.view[field as keyof SettingsView];
      if (this.view.lockedByPolicy.includes(field) && current !== value) throw new SettingLockedError(field);
    }
    if (patch.activeProfile !== undefined && !this.view.profiles.some((p) => p.name === patch.activeProfile)) {
      throw new Error(`there is no clinical system profile named "${patch.activeProfile}"`);
    }
    this.view = applySettingsPatch(this.view, patch);
    return this.get();
  }
}
