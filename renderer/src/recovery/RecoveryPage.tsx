import { useEffect, useState } from 'react';
import type { RecoveryDraftView, RecoveryGroupView, SearchHit } from '../../../app/common/api.ts';
import { isDealtWith, SNIPPET_MARK } from '../../../app/common/draftText.ts';
import type { IncidentKind } from '../../../app/common/incident.ts';
import { api } from '../api/client.ts';
import { useApiData, useLifeboatEvents } from '../api/useApiData.ts';
import { Field } from '../layout/Field.tsx';
import { LoadProblem } from '../layout/LoadProblem.tsx';
import { NotePanel, type PanelDraft } from './NotePanel.tsx';
import { draftHeading, draftPreview, groupHeading, ORIGIN_TEXT, snippetParts, typedLine } from './recoveryLabels.ts';

type Listed = (RecoveryDraftView | SearchHit) & { incidentKind?: IncidentKind | null };

const isHit = (d: Listed): d is SearchHit & { incidentKind?: IncidentKind | null } => 'snippet' in d;

function Snippet(props: { text: string }) {
  return (
    <span className="draft-preview">
      {snippetParts(props.text, SNIPPET_MARK).map((p, i) => (p.match ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </span>
  );
}

/** One note in the list: what tells it apart at a glance, before it is opened. */
function DraftButton(props: { draft: Listed; selected: boolean; onSelect: (d: Listed) => void }) {
  const d = props.draft;
  const preview = draftPreview(d);
  const done = isDealtWith(d.state);
  return (
    <button type="button" className={done ? 'draft-item draft-done' : 'draft-item'} aria-current={props.selected ? 'true' : undefined} onClick={() => props.onSelect(d)}>
      <span className="draft-title">{draftHeading(d)}</span>
      {isHit(d) ? <Snippet text={d.snippet} /> : preview ? <span className="draft-preview">{preview}</span> : null}
      <span className="draft-detail">
        {d.patientRef ? <>Patient ref {d.patientRef} · </> : null}
        {typedLine(d, isHit(d) ? null : (d.incidentKind ?? null))}
      </span>
      <span className="draft-tags">
        {d.origin !== 'note' ? <span className="tag">{ORIGIN_TEXT[d.origin]}</span> : null}
        {done ? <span className="tag tag-done">Done ✓</span> : null}
      </span>
    </button>
  );
}

const matchCount = (n: number, query: string): string => `${n === 1 ? '1 note matches' : `${n} notes match`} “${query}”`;

/**
 * Notes to bring back after a crash: grouped around incidents, searchable, each with Done (pasted
 * back) and Discard so recovery ends. Below the width breakpoint the open note comes first.
 */
export function RecoveryPage(props: { initialDraft: string | null; onChanged: () => void }) {
  const [selectedId, setSelectedId] = useState<string | null>(props.initialDraft);
  const [query, setQuery] = useState('');
  const [searched, setSearched] = useState('');
  const groups = useApiData(() => api.recoveryCandidates({}), []);
  const results = useApiData(() => (searched === '' ? Promise.resolve({ ok: true as const, value: [] as SearchHit[] }) : api.searchDrafts({ query: searched, limit: 50 })), [searched]);

  useEffect(() => {
    if (props.initialDraft) setSelectedId(props.initialDraft);
  }, [props.initialDraft]);

  // Search as the GP types, a quarter of a second after they stop.
  useEffect(() => {
    const t = window.setTimeout(() => setSearched(query.trim()), 250);
    return () => window.clearTimeout(t);
  }, [query]);

  useLifeboatEvents((event) => {
    if (event.type === 'incident') groups.reload();
  });

  const list: RecoveryGroupView[] = groups.data ?? [];
  const listed: Listed[] = list.flatMap((g) => g.drafts.map((d) => ({ ...d, incidentKind: g.incident?.kind ?? null })));
  const hits: Listed[] = results.data ?? [];
  // With nothing chosen, open the note the crash notification offered for the latest incident that
  // still has one (the same rule decides both, in core), else the first listed.
  const offeredId = list.find((g) => g.incident && g.offeredDraftId)?.offeredDraftId ?? null;
  const firstPending = listed.find((d) => d.id === offeredId) ?? listed[0];
  const shownId = selectedId ?? firstPending?.id ?? null;
  const shown: PanelDraft | null = shownId === null ? null : ([...listed, ...hits].find((d) => d.id === shownId) ?? { id: shownId });

  const changed = (removed?: string): void => {
    if (removed && removed === shownId) setSelectedId(null);
    groups.reload();
    if (searched !== '') results.reload();
    props.onChanged();
  };

  return (
    <div className="recovery-page">
      <h1 tabIndex={-1}>Recover notes</h1>
      <div className={shown ? 'split split-selected' : 'split'}>
        <section className="draft-list" aria-label="Notes">
          <div className="search-row">
            <Field label="Search all notes">{(id) => <input id={id} type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="words from the note" />}</Field>
            {query !== '' ? (
              <button type="button" className="button button-small button-quiet" onClick={() => setQuery('')}>
                Clear search
              </button>
            ) : null}
          </div>
          {searched !== '' ? (
            <div role="region" aria-label="Search results">
              <p className="meta" role="status">
                {results.loading && !results.data ? 'Searching…' : results.error ? '' : matchCount(results.data?.length ?? 0, searched)}
              </p>
              {results.error ? <LoadProblem what="The search" error={results.error} onRetry={results.reload} /> : null}
              <ul className="plain">
                {hits.map((d) => (
                  <li key={d.id}>
                    <DraftButton draft={d} selected={shownId === d.id} onSelect={(x) => setSelectedId(x.id)} />
                  </li>
                ))}
              </ul>
            </div>
          ) : (
            <>
              {groups.error ? <LoadProblem what="The notes" error={groups.error} onRetry={groups.reload} /> : null}
              {groups.loading && !groups.data ? (
                <p className="meta" role="status">
                  Loading notes…
                </p>
              ) : null}
              {groups.data && list.length === 0 ? <p className="meta">No notes in Lifeboat yet.</p> : null}
              {list.map((group) => (
                <section key={group.incident?.id ?? 'other'} className="draft-group" aria-label={groupHeading(group)}>
                  <h2 className={group.incident ? 'group-heading group-incident' : 'group-heading'}>{groupHeading(group)}</h2>
                  <ul className="plain">
                    {group.drafts.map((d) => (
                      <li key={d.id}>
                        <DraftButton draft={{ ...d, incidentKind: group.incident?.kind ?? null }} selected={shownId === d.id} onSelect={(x) => setSelectedId(x.id)} />
                      </li>
                    ))}
                  </ul>
                </section>
              ))}
            </>
          )}
        </section>
        <div className="draft-detail-pane">{shown ? <NotePanel draft={shown} onChanged={changed} /> : <p className="meta">Choose a note to see its text and history.</p>}</div>
      </div>
    </div>
  );
}
