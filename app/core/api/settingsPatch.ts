import type { ApiArg, SettingsView } from '../../common/api.ts';

/**
 * The view after an updateSettings call: fields the patch leaves out (or leaves undefined) keep
 * their value; the two capture switches land inside `clientCapture`. Locks and persistence are
 * each store's own business.
 */
export function applySettingsPatch(view: SettingsView, patch: ApiArg<'updateSettings'>): SettingsView {
  const { clientCaptureEnabled, clipboardJournalEnabled, ...plain } = patch;
  const defined = Object.fromEntries(Object.entries(plain).filter(([, value]) => value !== undefined));
  return {
    ...view,
    ...defined,
    clientCapture: { ...view.clientCapture, enabled: clientCaptureEnabled ?? view.clientCapture.enabled, clipboardJournal: clipboardJournalEnabled ?? view.clientCapture.clipboardJournal },
  };
}
