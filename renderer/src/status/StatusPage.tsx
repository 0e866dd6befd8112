import { useState } from 'react';
import type { StatusView } from '../../../app/common/api.ts';
import { api } from '../api/client.ts';
import { dayTime, hourMinute, lastedText, minutesText, whenText } from '../format/time.ts';
import { HealthBadge } from '../health/HealthBadge.tsx';
import { KIND_LABEL } from '../incidents/incidentLabels.ts';
import { ActionNotice } from '../layout/ActionNotice.tsx';
import { ConfigProblemNotice } from '../layout/ConfigProblemNotice.tsx';
import { LoadProblem, Pending } from '../layout/LoadProblem.tsx';
import { routeHref } from '../routing/route.ts';

/** How the clinical system is doing now, today, and what Lifeboat holds for the GP. */
export function StatusPage(props: { status: StatusView | null; error: string | null; onRetry: () => void; onChanged: () => void }) {
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const s = props.status;

  const pause = async (minutes: number): Promise<void> => {
    const result = await api.pauseNotifications({ minutes });
    if (!result.ok) return setMessage({ text: `Could not change notifications: ${result.error.message}`, error: true });
    setMessage({ text: result.value.pausedUntil ? `Notifications paused until ${hourMinute(result.value.pausedUntil)}.` : 'Notifications are on again.', error: false });
    props.onChanged();
  };

  return (
    <div className="status-page">
      <h1 tabIndex={-1}>Status</h1>
      {props.error && !s ? <LoadProblem what="The status" error={props.error} onRetry={props.onRetry} /> : null}
      <ConfigProblemNotice problem={s?.configProblem} />
      <div className="cards" aria-busy={s === null}>
        <section className="card" aria-labelledby="health-heading">
          <h2 id="health-heading">{s ? s.profileDisplayName : 'The clinical system'}</h2>
          {s ? (
            <>
              <p className="health-line">
                <HealthBadge state={s.health} large /> <span className="meta">since {whenText(s.healthSince)}</span>
              </p>
              <dl className="facts">
                <dt>Running today</dt>
                <dd>{minutesText(s.uptimeTodayMinutes)}</dd>
                <dt>Notifications</dt>
                <dd>{s.notificationsPausedUntil ? `Paused until ${hourMinute(s.notificationsPausedUntil)}` : 'On'}</dd>
                <dt>Technical detail</dt>
                <dd className="reason">{s.healthReason}</dd>
              </dl>
              <div className="actions">
                {s.notificationsPausedUntil ? (
                  <button type="button" className="button" onClick={() => void pause(0)}>
                    Resume notifications
                  </button>
                ) : (
                  <button type="button" className="button" onClick={() => void pause(60)}>
                    Pause notifications for 1 hour
                  </button>
                )}
              </div>
              <ActionNotice message={message} />
            </>
          ) : (
            <p className="big-number">
              <Pending label="Loading the status" />
            </p>
          )}
        </section>

        <section className="card" aria-labelledby="recover-heading">
          <h2 id="recover-heading">Notes to recover</h2>
          <p className="big-number" data-testid="recover-count">
            {s ? s.recoverableDrafts : <Pending label="Loading" />}
          </p>
          {s ? (
            <p>
              {s.recoverableDrafts === 0
                ? 'Nothing to do: every note from before a crash or hang has been dealt with.'
                : `${s.recoverableDrafts === 1 ? 'note was' : 'notes were'} being written just before a crash or hang and ${s.recoverableDrafts === 1 ? 'is' : 'are'} not marked done yet.`}
            </p>
          ) : null}
          <a className="button button-primary" href={routeHref('recovery')}>
            Recover notes
          </a>
        </section>

        <section className="card card-wide" aria-labelledby="last-incidents-heading">
          <h2 id="last-incidents-heading">Last incidents</h2>
          {!s ? (
            <p className="meta">
              <Pending label="Loading" />
            </p>
          ) : s.lastIncidents.length === 0 ? (
            <p className="meta">None in the last 7 days. Lifeboat is watching {s.profileDisplayName}.</p>
          ) : (
            <ul className="plain incident-list">
              {s.lastIncidents.map((i) => (
                <li key={i.id}>
                  <span className={`kind kind-${i.kind}`}>{KIND_LABEL[i.kind]}</span> {i.clientName} · {dayTime(i.startedAt)} · {i.endedAt ? `lasted ${lastedText(i.startedAt, i.endedAt)}` : 'still going on'}
                </li>
              ))}
            </ul>
          )}
          <a href={routeHref('incidents')}>All incidents</a>
        </section>
      </div>
    </div>
  );
}
