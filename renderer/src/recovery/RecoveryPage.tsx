import { useEffect, useState } from 'react';
import type { RecoveryGroup } from '../../../app/common/api.ts';
import type { DraftSummary } from '../../../app/common/draft.ts';
import { api } from '../api/client.ts';
import { useApiData, useLifeboatEvents } from '../api/useApiData.ts';
import { clockTime, dayTime, secondsText } from '../format/time.ts';
import { Field } from '../layout/Field.tsx';
import { groupHeading, ORIGIN_TEXT, STATE_TEXT } from './recoveryLabels.ts';
import { RevisionPanel } from './RevisionPanel.tsx';

type Listed = DraftSummary & { lastSavedBeforeIncident?: string | null; secondsBeforeIncident?: number | null };

function DraftButton(props: { draft: Listed; selected: boolean; onSelect: (id: string) => void }) {
  const d = props.draft;
  const before =
    d.lastSavedBeforeIncident && d.secondsBeforeIncident !== null && d.secondsBeforeIncident !== undefined
      ? `saved ${clockTime(d.lastSavedBeforeIncident)}, ${secondsText(d.secondsBeforeIncident)} before`
      : `saved ${dayTime(d.updatedAt)}`;
  return (
    <button type="button" className="draft-item" aria-current={props.selected ? 'true' : undefined} onClick={() => props.onSelect(d.id)}>
      <span className="draft-title">{d.title || 'Untitled note'}</span>
      <span className="draft-detail">
        {ORIGIN_TEXT[d.origin] ?? d.origin} · {before} · {d.revisions} revision{d.revisions === 1 ? '' : 's'} · {STATE_TEXT[d.state] ?? d.state}
      </span>
    </button>
  );
}

/** Notes to bring back after a crash: grouped around incidents, searchable, with their history. */
export function RecoveryPage(props: { initialDraft: string | null }) {
  const [selected, setSelected] = useState<string | null>(props.initialDraft);
  const [query, setQuery] = useState('');
  const [searched, setSearched] = useState('');
  const groups = useApiData(() => api.recoveryCandidates({}), []);
  const results = useApiData(() => (searched === '' ? Promise.resolve({ ok: true as const, value: [] as DraftSummary[] }) : api.searchDrafts({ query: searched, limit: 50 })), [searched]);

  useEffect(() => {
    if (props.initialDraft) setSelected(props.initialDraft);
  }, [props.initialDraft]);

  // Search as the GP types, a quarter of a second after they stop.
  useEffect(() => {
    const t = window.setTimeout(() => setSearched(query.trim()), 250);
    return () => window.clearTimeout(t);
  }, [query]);

  useLifeboatEvents((event) => {
    if (event.type === 'incident') groups.reload();
  });

  // With nothing chosen, open the note nearest before the latest incident: the one most likely lost.
  const list: RecoveryGroup[] = groups.data ?? [];
  const shown = selected ?? list[0]?.drafts[0]?.id ?? null;

  return (
    <div className="recovery-page">
      <h1 tabIndex={-1}>Recover notes</h1>
      <div className="split">
        <section className="draft-list" aria-label="Notes">
          <Field label="Search all notes">{(id) => <input id={id} type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="words from the note" />}</Field>
          {searched !== '' ? (
            <div role="region" aria-label="Search results">
              <p className="meta" role="status">
                {results.loading ? 'Searching…' : `${results.data?.length ?? 0} note${results.data?.length === 1 ? '' : 's'} match “${searched}”`}
              </p>
              {results.error ? <p className="notice notice-error">{results.error}</p> : null}
              <ul className="plain">
                {(results.data ?? []).map((d) => (
                  <li key={d.id}>
                    <DraftButton draft={d} selected={shown === d.id} onSelect={setSelected} />
                  </li>
                ))}
              </ul>
            </div>
          ) : (
            <>
              {groups.error ? <p className="notice notice-error">{groups.error}</p> : null}
              {groups.data && list.length === 0 ? <p className="meta">No notes in Lifeboat yet.</p> : null}
              {list.map((group) => (
                <section key={group.incident?.id ?? 'other'} className="draft-group" aria-label={groupHeading(group)}>
                  <h2 className={group.incident ? 'group-heading group-incident' : 'group-heading'}>{groupHeading(group)}</h2>
                  <ul className="plain">
                    {group.drafts.map((d) => (
                      <li key={d.id}>
                        <DraftButton draft={d} selected={shown === d.id} onSelect={setSelected} />
                      </li>
                    ))}
                  </ul>
                </section>
              ))}
            </>
          )}
        </section>
        <div className="draft-detail-pane">{shown ? <RevisionPanel id={shown} onChanged={groups.reload} /> : <p className="meta">Choose a note to see its text and history.</p>}</div>
      </div>
    </div>
  );
}
