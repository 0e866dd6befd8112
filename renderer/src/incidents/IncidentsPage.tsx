import { useEffect, useMemo, useRef, useState } from 'react';
import type { Incident, IncidentKind } from '../../../app/common/incident.ts';
import { api } from '../api/client.ts';
import { useApiData, useLifeboatEvents } from '../api/useApiData.ts';
import { dayTime, localDateKey, secondsText } from '../format/time.ts';
import { bucketIncidents, KINDS, type Unit } from './buckets.ts';
import { Field } from '../layout/Field.tsx';
import { IncidentChart } from './IncidentChart.tsx';
import { IncidentDetails } from './IncidentDetails.tsx';
import { PracticeOutageNotice } from './PracticeOutageNotice.tsx';
import { KIND_LABEL, SOURCE_LABEL } from './incidentLabels.ts';

const RANGES = {
  day: { label: 'in the last 24 hours', ms: 24 * 3_600_000, unit: 'hour' as Unit },
  week: { label: 'in the last 7 days', ms: 7 * 24 * 3_600_000, unit: 'day' as Unit },
  month: { label: 'in the last 30 days', ms: 30 * 24 * 3_600_000, unit: 'day' as Unit },
};
type RangeKey = keyof typeof RANGES;

const duration = (i: Incident): string => (i.endedAt ? secondsText((Date.parse(i.endedAt) - Date.parse(i.startedAt)) / 1000) : 'open');

/** For practice IT: how often the clinical system fails, of what kind, and the evidence for each. */
export function IncidentsPage() {
  const [range, setRange] = useState<RangeKey>('week');
  const [kind, setKind] = useState<IncidentKind | ''>('');
  const [date, setDate] = useState('');
  const [openId, setOpenId] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const from = now - RANGES[range].ms;
  const incidents = useApiData(() => api.listIncidents({ from: new Date(from).toISOString() }), [from]);
  const status = useApiData(() => api.getStatus({}), [now]);
  const detailsRef = useRef<HTMLDivElement>(null);

  useLifeboatEvents((event) => {
    if (event.type === 'incident') setNow(Date.now());
  });

  const all = useMemo(() => [...(incidents.data ?? [])].sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt)), [incidents.data]);
  const buckets = useMemo(() => bucketIncidents(all, { from, to: now, unit: RANGES[range].unit }), [all, from, now, range]);
  const filtered = all.filter((i) => (kind === '' || i.kind === kind) && (date === '' || localDateKey(new Date(i.startedAt)) === date));
  const open = all.find((i) => i.id === openId) ?? null;

  useEffect(() => {
    if (open) detailsRef.current?.querySelector<HTMLElement>('h2')?.focus();
  }, [open]);

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
      <PracticeOutageNotice outage={status.data?.practiceOutage} />
      {incidents.error ? <p className="notice notice-error">{incidents.error}</p> : null}
      <IncidentChart buckets={buckets} unit={RANGES[range].unit} rangeLabel={RANGES[range].label} />

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
            {(id) => (
              <input id={id} type="date" value={date} onChange={(e) => setDate(e.target.value)} />
            )}
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
          {incidents.loading && !incidents.data ? 'Loading…' : `Showing ${filtered.length} of ${all.length}`}
        </p>
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Incident table">
          <table>
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Kind</th>
                <th scope="col">Application</th>
                <th scope="col">Lasted</th>
                <th scope="col">Sources</th>
                <th scope="col">
                  <span className="visually-hidden">Details</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {filtered.map((i) => (
                <tr key={i.id} className={openId === i.id ? "row-open" : undefined}>
                  <td>{dayTime(i.startedAt)}</td>
                  <td>
                    <span className={`kind kind-${i.kind}`}>{KIND_LABEL[i.kind]}</span>
                  </td>
                  <td>{i.app}</td>
                  <td>{duration(i)}</td>
                  <td>{i.sources.map((s) => SOURCE_LABEL[s] ?? s).join(', ')}</td>
                  <td>
                    <button type="button" className="button button-small" onClick={() => setOpenId(i.id)}>
                      Details<span className="visually-hidden"> of the {KIND_LABEL[i.kind].toLowerCase()} at {dayTime(i.startedAt)}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <div ref={detailsRef}>{open ? <IncidentDetails incident={open} onClose={() => setOpenId(null)} /> : null}</div>
    </div>
  );
}
