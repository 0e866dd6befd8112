import type { EditableSetting, SettingsView } from '../../../app/common/api.ts';

export type { EditableSetting };

/** Whether the practice's machine policy fixes this setting: the screen then shows it read-only. */
export function isLocked(view: Pick<SettingsView, 'lockedByPolicy'>, setting: EditableSetting): boolean {
  return view.lockedByPolicy.includes(setting);
}
