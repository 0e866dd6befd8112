import type { Incident } from '../../../app/common/incident.ts';
import { dayTime, secondsText } from '../format/time.ts';
import { KIND_LABEL, SOURCE_LABEL } from './incidentLabels.ts';

/** One incident with the evidence from every source, as IT needs it for a supplier ticket. */
export function IncidentDetails(props: { incident: Incident; onClose: () => void }) {
  const i = props.incident;
  const lasted = i.endedAt ? secondsText((Date.parse(i.endedAt) - Date.parse(i.startedAt)) / 1000) : 'still open';
  return (
    <section className="card incident-details" aria-labelledby="incident-heading">
      <h2 id="incident-heading" tabIndex={-1}>
        {KIND_LABEL[i.kind]} of {i.app} at {dayTime(i.startedAt)}
      </h2>
      <dl className="facts">
        <dt>Started</dt>
        <dd>{dayTime(i.startedAt)}</dd>
        <dt>Ended</dt>
        <dd>{i.endedAt ? `${dayTime(i.endedAt)} (${lasted})` : 'still open'}</dd>
        <dt>Clinical system</dt>
        <dd>{i.profile}</dd>
        {i.workstation ? (
          <>
            <dt>Workstation</dt>
            <dd>{i.workstation}</dd>
          </>
        ) : null}
        <dt>Signature</dt>
        <dd>
          <code>{i.signature ?? 'none'}</code>
        </dd>
        <dt>Sources</dt>
        <dd>{i.sources.map((s) => SOURCE_LABEL[s] ?? s).join(', ') || 'none'}</dd>
        <dt>Incident id</dt>
        <dd>
          <code>{i.id}</code>
        </dd>
      </dl>
      <h3>Evidence</h3>
      {i.evidence.length === 0 ? (
        <p className="meta">No evidence lines were recorded.</p>
      ) : (
        <ol className="evidence" tabIndex={0} aria-label="Evidence lines">
          {i.evidence.map((line, n) => (
            <li key={n}>
              <code>{line}</code>
            </li>
          ))}
        </ol>
      )}
      <button type="button" className="button button-quiet" onClick={props.onClose}>
        Close details
      </button>
    </section>
  );
}
