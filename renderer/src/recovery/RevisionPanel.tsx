import { useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import { useApiData } from '../api/useApiData.ts';
import { copyText } from '../clipboard.ts';
import { clockTime, dayTime } from '../format/time.ts';
import { routeHref } from '../routing/route.ts';
import { Field } from '../layout/Field.tsx';
import { DiffView } from './DiffView.tsx';
import { REASON_TEXT, STATE_TEXT } from './recoveryLabels.ts';
import { ActionNotice } from '../layout/ActionNotice.tsx';

/** null: the current text (the last save), which may be newer than the last revision. */
type Version = number | null;

const versionLabel = (v: Version): string => (v === null ? 'the current text' : `revision ${v}`);

function useText(id: string, version: Version | undefined, reloadKey: number) {
  return useApiData(() => (version === undefined ? Promise.resolve({ ok: true as const, value: null }) : api.getDraft(version === null ? { id } : { id, revision: version })), [id, version, reloadKey]);
}

/** One draft: its revisions as a timeline, the text of any of them, changes between two, copy and restore. */
export function RevisionPanel(props: { id: string; onChanged: () => void }) {
  const { id } = props;
  const [reloadKey, setReloadKey] = useState(0);
  const [viewed, setViewed] = useState<Version>(null);
  const [compareWith, setCompareWith] = useState<Version | undefined>(undefined);
  const [mode, setMode] = useState<'text' | 'changes'>('text');
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  const info = useApiData(() => api.getDraftInfo({ id }), [id, reloadKey]);
  const revisions = useApiData(() => api.listRevisions({ id }), [id, reloadKey]);
  const text = useText(id, viewed, reloadKey);
  const other = useText(id, mode === 'changes' ? compareWith : undefined, reloadKey);

  useEffect(() => {
    setViewed(null);
    setMode('text');
    setMessage(null);
  }, [id]);

  const newestFirst = [...(revisions.data ?? [])].reverse();
  // By default compare with the version just before the one viewed.
  useEffect(() => {
    const list = revisions.data ?? [];
    const before = viewed === null ? list.at(-2)?.seq : list.filter((r) => r.seq < viewed).at(-1)?.seq;
    setCompareWith(before ?? undefined);
  }, [viewed, revisions.data]);

  const copy = async (): Promise<void> => {
    const ok = text.data ? await copyText(text.data.body) : false;
    setMessage(ok ? { text: `Copied ${versionLabel(viewed)}.`, error: false } : { text: 'The browser did not allow copying: select the text and press Ctrl+C.', error: true });
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

  if (info.error) return <p className="notice notice-error">{info.error}</p>;
  const draft = info.data;
  return (
    <section className="revision-panel" aria-labelledby="draft-heading">
      <h2 id="draft-heading">{draft ? draft.title || 'Untitled note' : 'Loading…'}</h2>
      {draft ? (
        <p className="meta">
          Started {dayTime(draft.createdAt)} · last saved {dayTime(draft.updatedAt)} · {STATE_TEXT[draft.state] ?? draft.state}
          {draft.patientRef && draft.origin === 'note' ? ` · patient ref ${draft.patientRef}` : ''}
        </p>
      ) : null}
      {draft && draft.origin !== 'note' ? (
        <p className="notice" data-testid="captured-warning">
          {draft.origin === 'capture'
            ? 'Read from the clinical system’s window, not typed in Lifeboat. It may hold text you deleted on purpose. Check it is the right patient before you paste it back.'
            : 'Copied from the clinical system. Check it is the right patient before you paste it back.'}
        </p>
      ) : null}

      <div className="revision-layout">
        <nav className="timeline" aria-label="Versions of this note">
          <ol>
            <li>
              <button type="button" className="timeline-item" aria-pressed={viewed === null} onClick={() => setViewed(null)}>
                <span className="timeline-time">{clockTime(draft?.updatedAt)}</span> Current text
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
              {(id) => (
                <select id={id} value={compareWith ?? ''} onChange={(e) => setCompareWith(e.target.value === '' ? undefined : Number(e.target.value))}>
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

          {text.error ? <p className="notice notice-error">{text.error}</p> : null}
          {mode === 'text' && text.data ? (
            <pre className="note-text" tabIndex={0} aria-label={`Text of ${versionLabel(viewed)}`} data-testid="recovered-text">
              {text.data.body}
            </pre>
          ) : null}
          {mode === 'changes' && text.data && other.data && compareWith !== undefined ? (
            <DiffView before={other.data.body} after={text.data.body} beforeLabel={versionLabel(compareWith)} afterLabel={versionLabel(viewed)} />
          ) : null}
          {mode === 'changes' && compareWith === undefined ? <p className="meta">Choose a revision to compare with.</p> : null}

          <div className="actions">
            <button type="button" className="button button-primary" onClick={() => void copy()} disabled={!text.data}>
              Copy {versionLabel(viewed)}
            </button>
            <button type="button" className="button" onClick={() => void restore()} disabled={viewed === null}>
              Restore {viewed === null ? 'this revision' : versionLabel(viewed)}
            </button>
            <a className="button button-quiet" href={routeHref('note', { id })}>
              Open in the note editor
            </a>
          </div>
          <ActionNotice message={message} />
        </div>
      </div>
    </section>
  );
}
