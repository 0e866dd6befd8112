import { Fragment, useEffect, useMemo, useState } from 'react';
import type { IncidentView, StatusView } from '../../../app/common/api.ts';
import type { IncidentKind } from '../../../app/common/incident.ts';
import { api } from '../api/client.ts';
import { useApiData, useLifeboatEvents } from '../api/useApiData.ts';
import { saveExport } from '../export/saveExport.ts';
import { browserTimeZone, dayTime, lastedText, localDateKey } from '../format/time.ts';
import { ActionNotice, type ActionMessage } from '../layout/ActionNotice.tsx';
import { Field } from '../layout/Field.tsx';
import { LoadProblem } from '../layout/LoadProblem.tsx';
import { bucketIncidents, KINDS, type Unit } from './buckets.ts';
import { IncidentChart } from './IncidentChart.tsx';
import { IncidentDetails } from './IncidentDetails.tsx';
import { KIND_LABEL, SOURCE_LABEL } from './incidentLabels.ts';
import { PracticeOutageNotice } from './PracticeOutageNotice.tsx';

const RANGES = {
  day: { label: 'in the last 24 hours', ms: 24 * 3_600_000, unit: 'hour' as Unit },
  week: { label: 'in the last 7 days', ms: 7 * 24 * 3_600_000, unit: 'day' as Unit },
  month: { label: 'in the last 30 days', ms: 30 * 24 * 3_600_000, unit: 'day' as Unit },
};
type RangeKey = keyof typeof RANGES;
const FORMATS = [
  { format: 'html', label: 'HTML report' },
  { format: 'csv', label: 'CSV' },
  { format: 'json', label: 'JSON' },
] as const;

/** For practice IT: how often the clinical system fails, of what kind, the evidence for each, and the files for the supplier. */
export function IncidentsPage(props: { status: StatusView | null }) {
  const [range, setRange] = useState<RangeKey>('week');
  const [kind, setKind] = useState<IncidentKind | ''>('');
  const [date, setDate] = useState('');
  const [openId, setOpenId] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const [exportMessage, setExportMessage] = useState<ActionMessage | null>(null);
  const from = now - RANGES[range].ms;
  const incidents = useApiData(() => api.listIncidents({ from: new Date(from).toISOString() }), [from]);

  useLifeboatEvents((event) => {
    if (event.type === 'incident') setNow(Date.now());
  });

  const all = useMemo<IncidentView[]>(() => [...(incidents.data ?? [])].sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt)), [incidents.data]);
  const buckets = useMemo(() => bucketIncidents(all, { from, to: now, unit: RANGES[range].unit }), [all, from, now, range]);
  const filtered = all.filter((i) => (kind === '' || i.kind === kind) && (date === '' || localDateKey(new Date(i.startedAt)) === date));
  const loaded = incidents.data !== null;

  // The details row has just opened: its heading takes focus, so a keyboard user lands in it.
  useEffect(() => {
    if (openId) document.getElementById(`incident-${openId}-heading`)?.focus();
  }, [openId]);

  const download = async (format: 'html' | 'csv' | 'json'): Promise<void> => {
    setExportMessage({ text: 'Preparing the file…', error: false });
    const tz = browserTimeZone();
    setExportMessage(await saveExport({ kind: 'report', format, from: new Date(from).toISOString(), to: new Date(now).toISOString(), ...(tz ? { timeZone: tz } : {}) }));
  };

  const client = props.status?.profileDisplayName ?? 'the clinical system';
  return (
    <div className="incidents-page">
      <div className="page-title-row">
        <h1 tabIndex={-1}>Incidents</h1>
        <Field label="Period" inline>
          {(id) => (
            <select id={id} value={range} onChange={(e) => setRange(e.target.value as RangeKey)}>
              <option value="day">Last 24 hours, by hour</option>
              <option value="week">Last 7 days, by day</option>
              <option value="month">Last 30 days, by day</option>
            </select>
          )}
        </Field>
      </div>
      <div className="export-row" role="group" aria-labelledby="export-label">
        <span id="export-label" className="field-label">
          Save for the supplier ({RANGES[range].label.replace(/^in /, '')}):
        </span>
        {FORMATS.map((f) => (
          <button key={f.format} type="button" className="button button-small" onClick={() => void download(f.format)}>
            {f.label}
          </button>
        ))}
      </div>
      <ActionNotice message={exportMessage} />
      <PracticeOutageNotice outage={props.status?.practiceOutage} />
      {incidents.error ? <LoadProblem what="The incidents" error={incidents.error} onRetry={incidents.reload} /> : null}
      {loaded ? <IncidentChart buckets={buckets} unit={RANGES[range].unit} rangeLabel={RANGES[range].label} /> : <div className="chart chart-pending" aria-hidden="true" />}

      <section aria-labelledby="incident-table-heading">
        <h2 id="incident-table-heading">All incidents {RANGES[range].label}</h2>
        <div className="filters" role="group" aria-label="Filter incidents">
          <Field label="Kind" inline>
            {(id) => (
              <select id={id} value={kind} onChange={(e) => setKind(e.target.value as IncidentKind | '')}>
                <option value="">All kinds</option>
                {KINDS.map((k) => (
                  <option key={k} value={k}>
                    {KIND_LABEL[k]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Day" inline>
            {(id) => <input id={id} type="date" value={date} onChange={(e) => setDate(e.target.value)} />}
          </Field>
          {kind !== '' || date !== '' ? (
            <button
              type="button"
              className="button button-quiet button-small"
              onClick={() => {
                setKind('');
                setDate('');
              }}
            >
              Clear filters
            </button>
          ) : null}
        </div>
        <p className="meta" role="status">
          {!loaded ? (incidents.error ? '' : 'Loading incidents…') : all.length === 0 ? `No incidents ${RANGES[range].label}. Lifeboat is watching ${client}.` : `Showing ${filtered.length} of ${all.length}`}
        </p>
        {loaded && all.length > 0 ? (
          <div className="table-wrap" tabIndex={0} role="region" aria-label="Incident table">
            <table>
              <thead>
                <tr>
                  <th scope="col">Started</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Clinical system</th>
                  <th scope="col">Lasted</th>
                  <th scope="col">Seen by</th>
                  <th scope="col">
                    <span className="visually-hidden">Details</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {filtered.map((i) => {
                  const open = openId === i.id;
                  return (
                    <Fragment key={i.id}>
                      <tr className={open ? 'row-open' : undefined}>
                        <td className="num">{dayTime(i.startedAt)}</td>
                        <td>
                          <span className={`kind kind-${i.kind}`}>{KIND_LABEL[i.kind]}</span>
                        </td>
                        <td>{i.clientName}</td>
                        <td className="num">{lastedText(i.startedAt, i.endedAt)}</td>
                        <td>{i.sources.map((s) => SOURCE_LABEL[s] ?? s).join(', ')}</td>
                        <td>
                          <button type="button" className="button button-small" aria-expanded={open} aria-controls={open ? `incident-${i.id}-details` : undefined} onClick={() => setOpenId(open ? null : i.id)}>
                            {open ? 'Hide details' : 'Details'}
                            <span className="visually-hidden">
                              {' '}
                              of the {KIND_LABEL[i.kind].toLowerCase()} at {dayTime(i.startedAt)}
                            </span>
                          </button>
                        </td>
                      </tr>
                      {open ? (
                        <tr className="details-row" id={`incident-${i.id}-details`}>
                          <td colSpan={6}>
                            <IncidentDetails incident={i} headingId={`incident-${i.id}-heading`} />
                          </td>
                        </tr>
                      ) : null}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </div>
  );
}
