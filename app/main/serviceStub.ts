import type { ApiArg, SettingsView } from '../common/api.ts';
import { createApiHandlers, LifeboatEvents } from '../core/api/apiBackend.ts';
import { applySettingsPatch } from '../core/api/settingsPatch.ts';
import { clientCaptureView, NO_CAPTURE_HERE } from '../core/capture/captureDescription.ts';
import { Vault } from '../core/vault/vault.ts';
import type { LifeboatServiceHandle, LifeboatServiceOptions } from './lifeboatService.ts';

const STUB_REASON = 'the clinical-client watcher is not connected yet';

/**
 * A stand-in for the live service until the watcher is wired in: a real vault (notes save,
 * recovery works), health permanently "not running", settings kept in memory.
 */
export function startStubService(options: LifeboatServiceOptions): LifeboatServiceHandle {
  const { clock } = options;
  const vault = Vault.open({ dir: options.vaultDir, keySource: options.keySource, clock });
  const events = new LifeboatEvents();
  const startedAt = clock.now();
  let pausedUntil: number | null = null;
  let settings: SettingsView = {
    notificationsEnabled: true,
    retentionDays: 14,
    activeProfile: 'emis-web',
    profiles: [{ name: 'emis-web', displayName: 'EMIS Web' }],
    lockedByPolicy: [],
    logFolders: [],
    clientCapture: clientCaptureView({ enabled: false, clipboardJournal: false, clientName: 'EMIS Web', retentionDays: 14, clipboardMaxChars: 100_000, availability: { ...NO_CAPTURE_HERE, unavailable: STUB_REASON } }),
  };
  const currentPause = (): string | null => {
    if (pausedUntil !== null && clock.now() >= pausedUntil) pausedUntil = null;
    return pausedUntil === null ? null : new Date(pausedUntil).toISOString();
  };
  const handlers = createApiHandlers({
    vault,
    now: () => clock.now(),
    status: {
      status: () => ({
        health: 'not-running',
        healthSince: new Date(startedAt).toISOString(),
        healthReason: STUB_REASON,
        profile: settings.activeProfile,
        profileDisplayName: settings.profiles.find((p) => p.name === settings.activeProfile)?.displayName ?? settings.activeProfile,
        clientRunning: false,
        uptimeTodayMinutes: 0,
        practiceOutage: null,
        notificationsPausedUntil: currentPause(),
      }),
      pauseNotifications: (minutes) => {
        pausedUntil = minutes > 0 ? clock.now() + minutes * 60_000 : null;
        return currentPause();
      },
    },
    settings: {
      get: () => settings,
      update: (patch: ApiArg<'updateSettings'>) => {
        settings = applySettingsPatch(settings, patch);
        return settings;
      },
    },
  });
  return {
    handlers,
    events,
    health: () => ({ state: 'not-running', since: startedAt, reason: STUB_REASON }),
    vault,
    stop: () => vault.close(),
  };
}
