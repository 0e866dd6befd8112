import type { LiveStatus, SettingsSource, StatusSource } from '../../app/core/api/apiBackend.ts';

const NOT_WATCHING = 'nothing watches the clinical client in this test (the note side only)';

/**
 * Health for tests that run the note side without a watcher: "not running", and why. Pausing
 * notifications is remembered so the screens behave as they will with the live service. The
 * settings are the real store's (app/core/settings/settingsStore.ts).
 */
export class NotWatchingStatus implements StatusSource {
  private readonly startedAt: number;
  private readonly now: () => number;
  private readonly settings: SettingsSource;
  private pausedUntil: number | null = null;

  constructor(options: { now: () => number; settings: SettingsSource }) {
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
