import { EDITABLE_SETTINGS, type EditableSetting } from '../../common/api.ts';
import { isLockedByPolicy, type LoadedConfig } from './configFile.ts';

/** The config paths (as loadConfig reports policy locks) that fix each setting the GP can change. */
const LOCK_PATHS: Record<EditableSetting, readonly string[]> = {
  notificationsEnabled: ['notifications.enabled'],
  retentionDays: ['retentionDays'],
  activeProfile: ['activeProfiles'],
  clientCaptureEnabled: ['clientCapture.enabled'],
  clipboardJournalEnabled: ['clientCapture.clipboardJournal'],
};

/** Every path above: what the most restrictive settings lock when no policy can be read. */
export const EVERY_LOCK_PATH: readonly string[] = [...new Set([...Object.values(LOCK_PATHS).flat(), 'capture'])];

/**
 * The settings the policy fixes, by the one name the API and the screens use. A policy that
 * switches keeping drafts off (`capture: false`) fixes both capture switches too.
 */
export function lockedSettings(config: LoadedConfig): EditableSetting[] {
  const captureOffByPolicy = !config.settings.capture && isLockedByPolicy(config, 'capture');
  return EDITABLE_SETTINGS.filter(
    (setting) => LOCK_PATHS[setting].some((path) => isLockedByPolicy(config, path)) || (captureOffByPolicy && (setting === 'clientCaptureEnabled' || setting === 'clipboardJournalEnabled')),
  );
}
