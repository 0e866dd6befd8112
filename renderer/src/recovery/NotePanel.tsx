import { useEffect, useRef, useState } from 'react';
import type { DraftListItem, RecoveryDraftView } from '../../../app/common/api.ts';
import { isDealtWith, notePreview } from '../../../app/common/draftText.ts';
import type { IncidentKind } from '../../../app/common/incident.ts';
import { api } from '../api/client.ts';
import { useApiData } from '../api/useApiData.ts';
import { copyText } from '../clipboard.ts';
import { clockTime } from '../format/time.ts';
import { ActionNotice, type ActionMessage } from '../layout/ActionNotice.tsx';
import { Field } from '../layout/Field.tsx';
import { LoadProblem } from '../layout/LoadProblem.tsx';
import { routeHref } from '../routing/route.ts';
import { DiffView } from './DiffView.tsx';
import { draftHeading, REASON_TEXT, typedLine } from './recoveryLabels.ts';

/** What the list knows of the note (all of it for a listed note, only the id when opened by link). */
export type PanelDraft = { id: string } & Partial<DraftListItem & Pick<RecoveryDraftView, 'lastSavedBeforeIncident' | 'secondsBeforeIncident'>> & { incidentKind?: IncidentKind | null };

/** null: the current text (the last save), which may be newer than the last revision. */
type Version = number | null;

const versionLabel = (v: Version): string => (v === null ? 'the current text' : `revision ${v}`);

/** Alt+C: copies the open note from anywhere on the page, as the Copy button says. */
export const COPY_SHORTCUT = { label: 'Alt+C', aria: 'Alt+C' } as const;

function useText(id: string, version: Version | undefined, reloadKey: number) {
  return useApiData(() => (version === undefined ? Promise.resolve({ ok: true as const, value: null }) : api.getDraft(version === null ? { id } : { id, revision: version })), [id, version, reloadKey]);
}

/**
 * One note: who and when first (so the GP can check it is the right patient), then Copy, Done and
 * Discard as a toolbar above the text, so Copy is on the first screen even in a small window;
 * Done and Discard end its recovery. Earlier versions wait behind "History".
 */
export function NotePanel(props: { draft: PanelDraft; onChanged: (removedId?: string) => void }) {
  const { id } = props.draft;
  const [reloadKey, setReloadKey] = useState(0);
  const [viewed, setViewed] = useState<Version>(null);
  const [compareWith, setCompareWith] = useState<Version | undefined>(undefined);
  const [mode, setMode] = useState<'text' | 'changes'>('text');
  const [message, setMessage] = useState<ActionMessage | null>(null);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const discardRef = useRef<HTMLButtonElement>(null);

  const info = useApiData(() => api.getDraftInfo({ id }), [id, reloadKey]);
  const revisions = useApiData(() => api.listRevisions({ id }), [id, reloadKey]);
  const text = useText(id, viewed, reloadKey);
  const other = useText(id, mode === 'changes' ? compareWith : undefined, reloadKey);

  useEffect(() => {
    setViewed(null);
    setMode('text');
    setMessage(null);
    setConfirmDiscard(false);
  }, [id]);

  useEffect(() => {
    if (confirmDiscard) discardRef.current?.focus();
  }, [confirmDiscard]);

  const newestFirst = [...(revisions.data ?? [])].reverse();
  // By default compare with the version just before the one viewed.
  useEffect(() => {
    const list = revisions.data ?? [];
    const before = viewed === null ? list.at(-2)?.seq : list.filter((r) => r.seq < viewed).at(-1)?.seq;
    setCompareWith(before ?? undefined);
  }, [viewed, revisions.data]);

  const copy = async (): Promise<void> => {
    const ok = text.data ? await copyText(text.data.body) : false;
    setMessage(ok ? { text: `Copied ${versionLabel(viewed)}. Paste it into the clinical system, then press “Done — pasted back”.`, error: false } : { text: 'The browser did not allow copying: select the text and press Ctrl+C.', error: true });
  };
  const copyRef = useRef(copy);
  copyRef.current = copy;

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey && e.code === 'KeyC') {
        e.preventDefault();
        void copyRef.current();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const setState = async (state: 'saved-in-client' | 'open'): Promise<void> => {
    const result = await api.setDraftState({ id, state });
    if (!result.ok) return setMessage({ text: `Not changed: ${result.error.message}`, error: true });
    setMessage(state === 'saved-in-client' ? { text: 'Marked done: this note no longer counts as one to recover.', error: false } : { text: 'Marked as not done yet.', error: false });
    setReloadKey((k) => k + 1);
    props.onChanged();
  };

  const discard = async (): Promise<void> => {
    const result = await api.discardDraft({ id });
    setConfirmDiscard(false);
    if (!result.ok) return setMessage({ text: `Not discarded: ${result.error.message}`, error: true });
    props.onChanged(id);
  };

  const restore = async (): Promise<void> => {
    if (viewed === null) return;
    const result = await api.restoreRevision({ id, revision: viewed });
    if (!result.ok) return setMessage({ text: `Not restored: ${result.error.message}`, error: true });
    setMessage({ text: `Revision ${viewed} is now the current text (saved ${clockTime(result.value.savedAt)}).`, error: false });
    setViewed(null);
    setReloadKey((k) => k + 1);
    props.onChanged();
  };

  if (info.error) return <LoadProblem what="This note" error={info.error} onRetry={() => setReloadKey((k) => k + 1)} />;
  const d = info.data;
  // The list's facts when there are some; the note's own otherwise (opened from a link).
  const facts = d ? { ...props.draft, ...d, preview: props.draft.preview ?? notePreview(text.data?.body ?? '', d.title), clientName: props.draft.clientName ?? null } : null;
  const done = d ? isDealtWith(d.state) : false;
  const patientRef = d && d.origin === 'note' ? d.patientRef : null;
  const firstWords = text.data && viewed === null ? notePreview(text.data.body, '', 60) : '';

  return (
    <section className="revision-panel" aria-labelledby="draft-heading" data-testid="note-panel">
      <h2 id="draft-heading">{facts ? draftHeading(facts) : 'Loading…'}</h2>
      {facts ? (
        <p className="note-facts">
          {patientRef ? (
            <>
              <strong>Patient ref {patientRef}</strong> ·{' '}
            </>
          ) : null}
          {typedLine(facts, props.draft.incidentKind ?? null)}
        </p>
      ) : null}
      {d && d.origin !== 'note' ? (
        <p className="notice notice-check" data-testid="captured-warning">
          {d.origin === 'capture' ? 'Read from the clinical system’s window, not typed in Lifeboat. It may hold text you deleted on purpose. ' : 'Copied from the clinical system. '}
          Check it is the right patient before you paste it back{firstWords ? <>: it begins “{firstWords}”.</> : '.'}
        </p>
      ) : null}

      <div className="actions note-actions">
        <button type="button" className="button button-primary" onClick={() => void copy()} disabled={!text.data} aria-keyshortcuts={COPY_SHORTCUT.aria} data-testid="copy-note">
          Copy {viewed === null ? 'note' : versionLabel(viewed)} <kbd>{COPY_SHORTCUT.label}</kbd>
        </button>
        {d && !done ? (
          <button type="button" className="button" onClick={() => void setState('saved-in-client')}>
            Done — pasted back
          </button>
        ) : null}
        {d && done ? (
          <>
            <span className="tag tag-done">Done ✓ pasted back</span>
            <button type="button" className="button button-quiet" onClick={() => void setState('open')}>
              Not done yet
            </button>
          </>
        ) : null}
        {d && !confirmDiscard ? (
          <button type="button" className="button button-quiet" onClick={() => setConfirmDiscard(true)}>
            Discard…
          </button>
        ) : null}
      </div>
      {confirmDiscard ? (
        <div className="confirm" role="group" aria-labelledby="discard-question">
          <p id="discard-question">Discard this note? Its text and every earlier version are deleted from Lifeboat for good.</p>
          <div className="actions">
            <button type="button" ref={discardRef} className="button button-danger" onClick={() => void discard()}>
              Discard for good
            </button>
            <button type="button" className="button" onClick={() => setConfirmDiscard(false)}>
              Keep it
            </button>
          </div>
        </div>
      ) : null}
      <ActionNotice message={message} />

      {viewed !== null ? (
        <p className="meta viewing">
          Showing revision {viewed}.{' '}
          <button type="button" className="button-link" onClick={() => setViewed(null)}>
            Show the current text
          </button>
        </p>
      ) : null}
      {text.error ? <LoadProblem what="The text" error={text.error} onRetry={() => setReloadKey((k) => k + 1)} /> : null}
      {mode === 'text' && text.data ? (
        <pre className="note-text" tabIndex={0} aria-label={`Text of ${versionLabel(viewed)}`} data-testid="recovered-text">
          {text.data.body}
        </pre>
      ) : null}
      {mode === 'changes' && text.data && other.data && compareWith !== undefined ? (
        <DiffView before={other.data.body} after={text.data.body} beforeLabel={versionLabel(compareWith)} afterLabel={versionLabel(viewed)} />
      ) : null}

      <details className="history">
        <summary>
          History: {newestFirst.length} saved version{newestFirst.length === 1 ? '' : 's'}
        </summary>
        <p>
          <a href={routeHref('note', { id })}>Open in the note editor</a> to go on writing it.
        </p>
        <div className="revision-layout">
          <nav className="timeline" aria-label="Versions of this note">
            <ol>
              <li>
                <button type="button" className="timeline-item" aria-pressed={viewed === null} onClick={() => setViewed(null)}>
                  <span className="timeline-time">{clockTime(d?.updatedAt)}</span> Current text
                </button>
              </li>
              {newestFirst.map((r) => (
                <li key={r.seq}>
                  <button type="button" className="timeline-item" aria-pressed={viewed === r.seq} onClick={() => setViewed(r.seq)}>
                    <span className="timeline-time">{clockTime(r.at)}</span> Revision {r.seq}
                    <span className="timeline-detail">
                      {REASON_TEXT[r.reason]} · {r.length.toLocaleString('en-GB')} characters
                    </span>
                  </button>
                </li>
              ))}
            </ol>
          </nav>
          <div className="revision-view">
            <div className="segmented" role="group" aria-label="Show">
              <button type="button" aria-pressed={mode === 'text'} onClick={() => setMode('text')}>
                Text
              </button>
              <button type="button" aria-pressed={mode === 'changes'} onClick={() => setMode('changes')} disabled={newestFirst.length < 1}>
                Changes
              </button>
            </div>
            {mode === 'changes' ? (
              <Field label={`Compare ${versionLabel(viewed)} with`}>
                {(fieldId) => (
                  <select id={fieldId} value={compareWith ?? ''} onChange={(e) => setCompareWith(e.target.value === '' ? undefined : Number(e.target.value))}>
                    <option value="">(choose a revision)</option>
                    {newestFirst
                      .filter((r) => r.seq !== viewed)
                      .map((r) => (
                        <option key={r.seq} value={r.seq}>
                          Revision {r.seq} · {clockTime(r.at)}
                        </option>
                      ))}
                  </select>
                )}
              </Field>
            ) : null}
            {mode === 'changes' && compareWith === undefined ? <p className="meta">Choose a revision to compare with.</p> : null}
            <button type="button" className="button" onClick={() => void restore()} disabled={viewed === null}>
              Restore {viewed === null ? 'a revision' : versionLabel(viewed)} as the current text
            </button>
          </div>
        </div>
      </details>
    </section>
  );
}
