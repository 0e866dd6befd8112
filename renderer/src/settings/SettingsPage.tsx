import { useEffect, useState } from 'react';
import type { ApiArg, SettingsView } from '../../../app/common/api.ts';
import { api } from '../api/client.ts';
import { useApiData } from '../api/useApiData.ts';
import { ActionNotice, type ActionMessage } from '../layout/ActionNotice.tsx';
import { ConfigProblemNotice } from '../layout/ConfigProblemNotice.tsx';
import { Field } from '../layout/Field.tsx';
import { LoadProblem } from '../layout/LoadProblem.tsx';
import { isLocked, type EditableSetting } from './settingsLocks.ts';

function PolicyNote(props: { id: string; locked: boolean }) {
  return props.locked ? (
    <span id={props.id} className="policy-note">
      Set by your practice’s policy: read-only
    </span>
  ) : null;
}

const validRetention = (days: number): boolean => Number.isInteger(days) && days >= 1 && days <= 365;

/**
 * The GP's choices, each applied the moment it changes (nothing waits on a Save button to be
 * lost); what the practice's policy fixes is shown read-only, with the reason.
 */
export function SettingsPage() {
  const settings = useApiData(() => api.getSettings({}), []);
  const [view, setView] = useState<SettingsView | null>(null);
  const [retention, setRetention] = useState<number>(NaN);
  const [message, setMessage] = useState<ActionMessage | null>(null);

  useEffect(() => {
    if (settings.data) {
      setView(settings.data);
      setRetention(settings.data.retentionDays);
    }
  }, [settings.data]);

  // The heading is there from the first frame: focus lands on it while the settings load.
  if (!view) {
    return (
      <div className="settings-page">
        <h1 tabIndex={-1}>Settings</h1>
        {settings.error ? (
          <LoadProblem what="The settings" error={settings.error} onRetry={settings.reload} />
        ) : (
          <p className="meta" role="status">
            Loading settings…
          </p>
        )}
      </div>
    );
  }
  const locked = (s: EditableSetting): boolean => isLocked(view, s);

  /** Shows the change at once (a checkbox must tick when clicked), then applies it; a refusal puts it back. */
  const apply = async (patch: ApiArg<'updateSettings'>, what: string, shown?: (v: SettingsView) => SettingsView): Promise<void> => {
    if (shown) setView(shown(view));
    const result = await api.updateSettings(patch);
    if (result.ok) {
      setView(result.value);
      setRetention(result.value.retentionDays);
      setMessage({ text: `Saved: ${what}.`, error: false });
    } else {
      setMessage({ text: `Not saved: ${result.error.message}`, error: true });
      setView(view);
      settings.reload();
    }
  };

  const applyRetention = (): void => {
    if (!validRetention(retention) || retention === view.retentionDays) return;
    void apply({ retentionDays: retention }, `notes are kept for ${retention} days`);
  };

  const folders = view.logFolders;
  return (
    <div className="settings-page">
      <h1 tabIndex={-1}>Settings</h1>
      <ConfigProblemNotice problem={view.configProblem} />
      <p className="meta">Changes apply at once.</p>
      <div className="card settings-form">
        <fieldset>
          <legend>Clinical system</legend>
          <Field label="Profile">
            {(id) => (
              <>
                <select
                  id={id}
                  value={view.activeProfile}
                  disabled={locked('activeProfile')}
                  aria-describedby={locked('activeProfile') ? 'lock-profile' : undefined}
                  onChange={(e) => void apply({ activeProfile: e.target.value }, `profile ${view.profiles.find((p) => p.name === e.target.value)?.displayName ?? e.target.value}`, (v) => ({ ...v, activeProfile: e.target.value }))}
                >
                  {view.profiles.map((p) => (
                    <option key={p.name} value={p.name}>
                      {p.displayName}
                    </option>
                  ))}
                </select>
                <PolicyNote id="lock-profile" locked={locked('activeProfile')} />
              </>
            )}
          </Field>
          <div className="field">
            <span className="field-label" id="folders-label">
              Log folders watched
            </span>
            {folders.length === 0 ? (
              <p className="meta">None: this profile has no log folders.</p>
            ) : (
              <ul className="plain folders" aria-labelledby="folders-label" data-testid="log-folders">
                {folders.map((f) => (
                  <li key={f.path}>
                    <code>{f.path}</code> <span className={f.found ? 'tag tag-found' : 'tag tag-missing'}>{f.found ? 'found' : 'not found on this computer'}</span>
                  </li>
                ))}
              </ul>
            )}
            <span className="meta">Practice IT sets folders in the policy file.</span>
          </div>
        </fieldset>

        <fieldset>
          <legend>Notifications</legend>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={view.notificationsEnabled}
              disabled={locked('notificationsEnabled')}
              aria-describedby={locked('notificationsEnabled') ? 'lock-notifications' : undefined}
              onChange={(e) => void apply({ notificationsEnabled: e.target.checked }, e.target.checked ? 'notifications on' : 'notifications off', (v) => ({ ...v, notificationsEnabled: e.target.checked }))}
            />
            Show a notification when the clinical system slows down, stops responding or crashes
          </label>
          <PolicyNote id="lock-notifications" locked={locked('notificationsEnabled')} />
          <p className="meta">The banner in this window always shows the state, whatever this setting says.</p>
        </fieldset>

        <fieldset>
          <legend>Reading the note from the clinical system</legend>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={view.clientCapture.enabled}
              disabled={locked('clientCaptureEnabled')}
              aria-describedby={locked('clientCaptureEnabled') ? 'capture-help lock-capture' : 'capture-help'}
              onChange={(e) =>
                void apply({ clientCaptureEnabled: e.target.checked }, e.target.checked ? 'reading the clinical system’s note box is on' : 'reading the clinical system’s note box is off', (v) => ({
                  ...v,
                  clientCapture: { ...v.clientCapture, enabled: e.target.checked },
                }))
              }
            />
            Keep what I type in the clinical system’s own note box
          </label>
          <p id="capture-help" className="meta" data-testid="capture-description">
            {view.clientCapture.description}
          </p>
          <PolicyNote id="lock-capture" locked={locked('clientCaptureEnabled')} />
          {!view.clientCapture.available && view.clientCapture.unavailableReason ? <p className="meta">Not running on this computer: {view.clientCapture.unavailableReason}.</p> : null}
          <label className="checkbox">
            <input
              type="checkbox"
              checked={view.clientCapture.clipboardJournal}
              disabled={locked('clipboardJournalEnabled') || !view.clientCapture.enabled}
              aria-describedby={locked('clipboardJournalEnabled') ? 'clipboard-help lock-clipboard' : 'clipboard-help'}
              onChange={(e) =>
                void apply({ clipboardJournalEnabled: e.target.checked }, e.target.checked ? 'keeping copied text is on' : 'keeping copied text is off', (v) => ({
                  ...v,
                  clientCapture: { ...v.clientCapture, clipboardJournal: e.target.checked },
                }))
              }
            />
            Also keep text I copy from the clinical system
          </label>
          <p id="clipboard-help" className="meta">
            {view.clientCapture.clipboardDescription}
          </p>
          <PolicyNote id="lock-clipboard" locked={locked('clipboardJournalEnabled')} />
        </fieldset>

        <fieldset>
          <legend>Keeping notes</legend>
          <Field label="Keep notes for (days, 1–365)">
            {(id) => (
              <>
                <input
                  id={id}
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={365}
                  value={Number.isNaN(retention) ? '' : retention}
                  disabled={locked('retentionDays')}
                  aria-invalid={!validRetention(retention)}
                  aria-describedby={locked('retentionDays') ? 'retention-help lock-retention' : 'retention-help'}
                  onChange={(e) => setRetention(e.target.valueAsNumber)}
                  onBlur={applyRetention}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') applyRetention();
                  }}
                />
                <span id="retention-help" className="meta">
                  {validRetention(retention) ? 'Applies when you leave the box. ' : 'A whole number of days from 1 to 365. '}
                  Older notes are deleted for good, including notes marked as pasted back.
                </span>
                <PolicyNote id="lock-retention" locked={locked('retentionDays')} />
              </>
            )}
          </Field>
        </fieldset>
        <ActionNotice message={message} />
      </div>
    </div>
  );
}
