import { useState } from 'react';
import type { IncidentView } from '../../../app/common/api.ts';
import { splitEvidenceLine } from '../../../app/common/evidenceLine.ts';
import { saveExport } from '../export/saveExport.ts';
import { browserTimeZone, lastedText, whenExact } from '../format/time.ts';
import { ActionNotice, type ActionMessage } from '../layout/ActionNotice.tsx';
import { KIND_LABEL, programName, SOURCE_LABEL } from './incidentLabels.ts';

/**
 * One incident with the evidence from every source, as IT needs it for a supplier ticket: every
 * time in this computer's local time (evidence is stored in UTC), and the evidence pack to send.
 */
export function IncidentDetails(props: { incident: IncidentView; headingId: string }) {
  const i = props.incident;
  const [message, setMessage] = useState<ActionMessage | null>(null);
  const [saving, setSaving] = useState(false);
  const save = async (): Promise<void> => {
    setSaving(true);
    const tz = browserTimeZone();
    setMessage(await saveExport({ kind: 'evidence', incidentId: i.id, ...(tz ? { timeZone: tz } : {}) }));
    setSaving(false);
  };
  return (
    <div className="incident-details" data-testid="incident-details">
      <h3 id={props.headingId} tabIndex={-1}>
        {KIND_LABEL[i.kind]}: {i.clientName}, {whenExact(i.startedAt)}
      </h3>
      <dl className="facts">
        <dt>Started</dt>
        <dd>{whenExact(i.startedAt)}</dd>
        <dt>Ended</dt>
        <dd>{i.endedAt ? `${whenExact(i.endedAt)} (lasted ${lastedText(i.startedAt, i.endedAt)})` : 'still going on'}</dd>
        <dt>Clinical system</dt>
        <dd>
          {i.clientName} <span className="meta">(program {programName(i.app)})</span>
        </dd>
        {i.workstation ? (
          <>
            <dt>Computer</dt>
            <dd>{i.workstation}</dd>
          </>
        ) : null}
        <dt>Signature</dt>
        <dd>
          <code>{i.signature ?? 'none'}</code>
        </dd>
        <dt>Seen by</dt>
        <dd>{i.sources.map((s) => SOURCE_LABEL[s] ?? s).join(', ') || 'none'}</dd>
        <dt>Incident id</dt>
        <dd>
          <code>{i.id}</code>
        </dd>
      </dl>
      <h4>Evidence (patient details removed)</h4>
      {i.evidence.length === 0 ? (
        <p className="meta">No evidence lines were recorded.</p>
      ) : (
        <ol className="evidence" tabIndex={0} aria-label="Evidence lines">
          {i.evidence.map((line, n) => {
            const e = splitEvidenceLine(line);
            return (
              <li key={n}>
                {e.at ? <span className="evidence-time">{whenExact(e.at)}</span> : null} {e.source ? <span className="evidence-source">{SOURCE_LABEL[e.source] ?? e.source}:</span> : null} <code>{e.text}</code>
              </li>
            );
          })}
        </ol>
      )}
      <div className="actions">
        <button type="button" className="button" onClick={() => void save()} disabled={saving}>
          Save evidence pack for this incident
        </button>
      </div>
      <ActionNotice message={message} />
    </div>
  );
}
