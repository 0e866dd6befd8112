import { useEffect, useState, type FormEvent } from 'react';
import type { ApiArg, SettingsView } from '../../../app/common/api.ts';
import { api } from '../api/client.ts';
import { useApiData } from '../api/useApiData.ts';
import { Field } from '../layout/Field.tsx';
import { isLocked, type EditableSetting } from './settingsLocks.ts';
import { ActionNotice } from '../layout/ActionNotice.tsx';

function PolicyNote(props: { id: string; locked: boolean }) {
  return props.locked ? (
    <span id={props.id} className="policy-note">
      Set by your practice’s policy: read-only
    </span>
  ) : null;
}

/** The GP's choices; what the practice's policy fixes is shown, read-only, with the reason. */
export function SettingsPage() {
  const settings = useApiData(() => api.getSettings({}), []);
  const [draft, setDraft] = useState<SettingsView | null>(null);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  useEffect(() => {
    if (settings.data) setDraft(settings.data);
  }, [settings.data]);

  // The heading is there from the first frame: focus lands on it while the settings load.
  if (!draft) {
    return (
      <div className="settings-page">
        <h1 tabIndex={-1}>Settings</h1>
        {settings.error ? <p className="notice notice-error">{settings.error}</p> : <p className="meta">Loading…</p>}
      </div>
    );
  }
  const locked = (s: EditableSetting): boolean => isLocked(draft, s);

  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const patch: ApiArg<'updateSettings'> = {};
    if (!locked('notificationsEnabled')) patch.notificationsEnabled = draft.notificationsEnabled;
    if (!locked('retentionDays')) patch.retentionDays = draft.retentionDays;
    if (!locked('activeProfile')) patch.activeProfile = draft.activeProfile;
    if (!locked('clientCaptureEnabled')) patch.clientCaptureEnabled = draft.clientCapture.enabled;
    if (!locked('clipboardJournalEnabled')) patch.clipboardJournalEnabled = draft.clientCapture.clipboardJournal;
    const result = await api.updateSettings(patch);
    if (result.ok) {
      setDraft(result.value);
      setMessage({ text: 'Settings saved.', error: false });
    } else setMessage({ text: `Settings not saved: ${result.error.message}`, error: true });
  };

  const retentionValid = Number.isInteger(draft.retentionDays) && draft.retentionDays >= 1 && draft.retentionDays <= 365;

  return (
    <div className="settings-page">
      <h1 tabIndex={-1}>Settings</h1>
      <form className="card settings-form" onSubmit={(e) => void save(e)} noValidate>
        <fieldset>
          <legend>Clinical system</legend>
          <Field label="Profile">
            {(id) => (
              <>
                <select id={id} value={draft.activeProfile} disabled={locked('activeProfile')} aria-describedby={locked('activeProfile') ? 'lock-profile' : undefined} onChange={(e) => setDraft({ ...draft, activeProfile: e.target.value })}>
                  {draft.profiles.map((p) => (
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
            {draft.logFolders.length === 0 ? (
              <p className="meta">None configured.</p>
            ) : (
              <ul className="plain folders" aria-labelledby="folders-label">
                {draft.logFolders.map((f) => (
                  <li key={f}>
                    <code>{f}</code>
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
              checked={draft.notificationsEnabled}
              disabled={locked('notificationsEnabled')}
              aria-describedby={locked('notificationsEnabled') ? 'lock-notifications' : undefined}
              onChange={(e) => setDraft({ ...draft, notificationsEnabled: e.target.checked })}
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
              checked={draft.clientCapture.enabled}
              disabled={locked('clientCaptureEnabled')}
              aria-describedby={locked('clientCaptureEnabled') ? 'capture-help lock-capture' : 'capture-help'}
              onChange={(e) => setDraft({ ...draft, clientCapture: { ...draft.clientCapture, enabled: e.target.checked } })}
            />
            Keep what I type in the clinical system’s own note box
          </label>
          <p id="capture-help" className="meta" data-testid="capture-description">
            {draft.clientCapture.description}
          </p>
          <PolicyNote id="lock-capture" locked={locked('clientCaptureEnabled')} />
          {!draft.clientCapture.available && draft.clientCapture.unavailableReason ? <p className="meta">Not running on this computer: {draft.clientCapture.unavailableReason}.</p> : null}
          <label className="checkbox">
            <input
              type="checkbox"
              checked={draft.clientCapture.clipboardJournal}
              disabled={locked('clipboardJournalEnabled') || !draft.clientCapture.enabled}
              aria-describedby={locked('clipboardJournalEnabled') ? 'clipboard-help lock-clipboard' : 'clipboard-help'}
              onChange={(e) => setDraft({ ...draft, clientCapture: { ...draft.clientCapture, clipboardJournal: e.target.checked } })}
            />
            Also keep text I copy from the clinical system
          </label>
          <p id="clipboard-help" className="meta">
            {draft.clientCapture.clipboardDescription}
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
                  value={Number.isNaN(draft.retentionDays) ? '' : draft.retentionDays}
                  disabled={locked('retentionDays')}
                  aria-invalid={!retentionValid}
                  aria-describedby={locked('retentionDays') ? 'retention-help lock-retention' : 'retention-help'}
                  onChange={(e) => setDraft({ ...draft, retentionDays: e.target.valueAsNumber })}
                />
                <span id="retention-help" className="meta">
                  Older notes are deleted for good, including notes marked as saved in the clinical system.
                </span>
                <PolicyNote id="lock-retention" locked={locked('retentionDays')} />
              </>
            )}
          </Field>
        </fieldset>

        <div className="actions">
          <button type="submit" className="button button-primary" disabled={!retentionValid}>
            Save settings
          </button>
        </div>
        <ActionNotice message={message} />
      </form>
    </div>
  );
}
