import type { PracticeView } from '../../../app/common/api.ts';
import { api } from '../api/client.ts';
import { useApiData, useLifeboatEvents } from '../api/useApiData.ts';
import { dayTime, hourMinute, localDateKey, whenText } from '../format/time.ts';
import { PracticeOutageNotice } from '../incidents/PracticeOutageNotice.tsx';
import { KIND_LABEL, KIND_PLURAL } from '../incidents/incidentLabels.ts';
import { LoadProblem } from '../layout/LoadProblem.tsx';

const KINDS = ['crash', 'hang', 'slow', 'exit'] as const;

function clockNote(seconds: number | null, corrected: boolean): string {
  if (seconds === null) return '—';
  if (Math.abs(seconds) < 1) return 'in step';
  const text = `${seconds > 0 ? '+' : '−'}${Math.abs(seconds)} s`;
  return corrected ? `${text} (times corrected)` : text;
}

function NotSetUp() {
  return (
    <div className="card">
      <h2>No practice share on this computer</h2>
      <p>
        The practice view reads the folder every PC in the practice writes its incidents to. Practice IT sets it in the machine policy, for example{' '}
        <code>{'{ "settings": { "sharePath": "\\\\\\\\server\\\\lifeboat" } }'}</code> in <code>C:\ProgramData\Lifeboat\policy.json</code>.
      </p>
    </div>
  );
}

/**
 * The practice as IT sees it: every workstation on the share with its incidents and when it was
 * last heard from, and the times several PCs were in trouble together. What `lifeboat practice`
 * prints, in a table.
 */
export function PracticePage() {
  const view = useApiData(() => api.practiceView({}), []);
  useLifeboatEvents((event) => {
    if (event.type === 'incident') view.reload();
  });
  const v: PracticeView | null = view.data;

  return (
    <div className="practice-page">
      <h1 tabIndex={-1}>Practice</h1>
      {view.error ? <LoadProblem what="The practice share" error={view.error} onRetry={view.reload} /> : null}
      {!v && !view.error ? (
        <p className="meta" role="status">
          Reading the practice share…
        </p>
      ) : null}
      {v && v.sharePath === null ? <NotSetUp /> : null}
      {v && v.sharePath !== null ? (
        <>
          <p className="meta">
            {v.workstations.length} computer{v.workstations.length === 1 ? '' : 's'} on <code>{v.sharePath}</code> · read {whenText(v.generatedAt)} · a practice-wide problem is {v.rule.minWorkstations} or more
            computers in trouble within {v.rule.windowMinutes} minutes.{' '}
            <button type="button" className="button button-small button-quiet" onClick={view.reload}>
              Read again
            </button>
          </p>
          <PracticeOutageNotice outage={v.outageNow} />
          <section aria-labelledby="workstations-heading">
            <h2 id="workstations-heading">Computers</h2>
            {v.workstations.length === 0 ? (
              <p className="meta">No computer has written to the share yet.</p>
            ) : (
              <div className="table-wrap" tabIndex={0} role="region" aria-label="Computers and their incidents">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Computer</th>
                      {KINDS.map((k) => (
                        <th key={k} scope="col" className="num">
                          {KIND_LABEL[k]}
                        </th>
                      ))}
                      <th scope="col">Last incident</th>
                      <th scope="col">Last heard from</th>
                      <th scope="col">Clock</th>
                    </tr>
                  </thead>
                  <tbody>
                    {v.workstations.map((w) => (
                      <tr key={w.name} className={w.thisComputer ? 'row-open' : undefined}>
                        <th scope="row">
                          {w.name}
                          {w.thisComputer ? <span className="meta"> (this computer)</span> : null}
                        </th>
                        {KINDS.map((k) => (
                          <td key={k} className="num">
                            {w.counts[k]}
                          </td>
                        ))}
                        <td>{w.lastIncidentAt ? dayTime(w.lastIncidentAt) : '—'}</td>
                        <td>{w.lastSeen ? dayTime(w.lastSeen) : '—'}</td>
                        <td>{clockNote(w.clockSkewSeconds, w.skewCorrected)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
          <section aria-labelledby="outages-heading">
            <h2 id="outages-heading">Practice-wide problems</h2>
            {v.outages.length === 0 ? (
              <p className="meta">None: no {v.rule.minWorkstations} computers had trouble within {v.rule.windowMinutes} minutes of each other.</p>
            ) : (
              <ul className="plain incident-list">
                {[...v.outages].reverse().map((o) => (
                  <li key={o.id}>
                    <strong>
                      {dayTime(o.firstSeen)}–{localDateKey(new Date(o.firstSeen)) === localDateKey(new Date(o.lastSeen)) ? hourMinute(o.lastSeen) : dayTime(o.lastSeen)}
                    </strong>
                    : {o.affected} computers ({o.workstations.join(', ')}), {o.incidents} incidents
                    {KINDS.filter((k) => o.kinds[k] > 0)
                      .map((k) => ` · ${o.kinds[k]} ${o.kinds[k] === 1 ? KIND_LABEL[k].toLowerCase() : KIND_PLURAL[k]}`)
                      .join('')}
                  </li>
                ))}
              </ul>
            )}
          </section>
          {v.skipped.length > 0 ? (
            <section aria-labelledby="skipped-heading">
              <h2 id="skipped-heading">Files skipped</h2>
              <ul className="plain incident-list">
                {v.skipped.map((s) => (
                  <li key={s.path}>
                    <code>{s.path}</code>: {s.reason}
                    {s.recordsKept !== undefined ? ` (${s.recordsKept} records kept)` : ''}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
