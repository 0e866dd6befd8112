import type { SettingsView } from '../../../app/common/api.ts';

export type EditableSetting = 'notificationsEnabled' | 'retentionDays' | 'activeProfile' | 'clientCaptureEnabled' | 'clipboardJournalEnabled';

/** The policy file's own names for each setting (loadConfig reports those) as well as the view's. */
const ALIASES: Record<EditableSetting, string[]> = {
  notificationsEnabled: ['notificationsEnabled', 'notifications', 'notifications.enabled'],
  retentionDays: ['retentionDays'],
  activeProfile: ['activeProfile', 'activeProfiles'],
  clientCaptureEnabled: ['clientCaptureEnabled', 'capture', 'clientCapture', 'clientCapture.enabled'],
  clipboardJournalEnabled: ['clipboardJournalEnabled', 'capture', 'clientCapture', 'clientCapture.clipboardJournal'],
};

/** Whether the practice's machine policy fixes this setting: the screen then shows it read-only. */
export function isLocked(view: Pick<SettingsView, 'lockedByPolicy'>, setting: EditableSetting): boolean {
  return ALIASES[setting].some((name) => view.lockedByPolicy.includes(name));
}
