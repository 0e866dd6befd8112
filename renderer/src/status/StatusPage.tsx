import { useState } from 'react';
import type { StatusView } from '../../../app/common/api.ts';
import { api } from '../api/client.ts';
import { dayTime, hourMinute, minutesText, whenText } from '../format/time.ts';
import { HealthBadge } from '../health/HealthBadge.tsx';
import { KIND_LABEL } from '../incidents/incidentLabels.ts';
import { routeHref } from '../routing/route.ts';
import { ActionNotice } from '../layout/ActionNotice.tsx';

/** How the clinical system is doing now, today, and what Lifeboat holds for the GP. */
export function StatusPage(props: { status: StatusView | null; error: string | null; onChanged: () => void }) {
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
      {props.error ? <p className="notice notice-error">{props.error}</p> : null}
      {!s ? (
        <p className="meta">Loading…</p>
      ) : (
        <div className="cards">
          <section className="card" aria-labelledby="health-heading">
            <h2 id="health-heading">{s.profileDisplayName}</h2>
            <p>
              <HealthBadge state={s.health} large />
            </p>
            <p>
              Since {whenText(s.healthSince)}. <span className="reason">{s.healthReason}</span>
            </p>
            <dl className="facts">
              <dt>Running today</dt>
              <dd>{minutesText(s.uptimeTodayMinutes)}</dd>
              <dt>Running now</dt>
              <dd>{s.clientRunning ? 'Yes' : 'No'}</dd>
              <dt>Notifications</dt>
              <dd>{s.notificationsPausedUntil ? `Paused until ${hourMinute(s.notificationsPausedUntil)}` : 'On'}</dd>
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
          </section>

          <section className="card" aria-labelledby="recover-heading">
            <h2 id="recover-heading">Notes to recover</h2>
            <p className="big-number">{s.recoverableDrafts}</p>
            <p>{s.recoverableDrafts === 1 ? 'note was' : 'notes were'} being written just before a crash or hang.</p>
            <a className="button button-primary" href={routeHref('recovery')}>
              Recover notes
            </a>
          </section>

          <section className="card card-wide" aria-labelledby="last-incidents-heading">
            <h2 id="last-incidents-heading">Last incidents</h2>
            {s.lastIncidents.length === 0 ? (
              <p className="meta">None in the last 7 days.</p>
            ) : (
              <ul className="plain incident-list">
                {s.lastIncidents.map((i) => (
                  <li key={i.id}>
                    <span className={`kind kind-${i.kind}`}>{KIND_LABEL[i.kind]}</span> {i.app} · {dayTime(i.startedAt)}
                    {i.endedAt ? `–${hourMinute(i.endedAt)}` : ' (ongoing)'}
                  </li>
                ))}
              </ul>
            )}
            <a href={routeHref('incidents')}>All incidents</a>
          </section>
        </div>
      )}
    </div>
  );
}
