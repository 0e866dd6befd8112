import type { StatusView } from '../../../app/common/api.ts';
import { hourMinute, whenText } from '../format/time.ts';
import type { Page } from '../routing/route.ts';
import { routeHref } from '../routing/route.ts';
import { HealthIcon } from './HealthIcon.tsx';
import { HEALTH, incidentSentence, stateSentence } from './healthLabels.ts';

/** What to say when Lifeboat cannot be reached, fitting the page: only the Note page has text on it. */
export function unreachableText(page: Page): string {
  return page === 'note'
    ? 'Your text is still on this screen: copy it somewhere safe if this lasts.'
    : 'Notes it has already saved are safe in its vault on this computer.';
}

/**
 * The tray's message, repeated in the window: a notification may be hidden (Focus Assist, a
 * browser tab in the background), so it is never the only place the GP learns of trouble. After a
 * crash or hang it stays, even once the client is running again, until the GP has dealt with
 * every note from before it (Done or Discard in Recovery).
 */
export function HealthBanner(props: { status: StatusView | null; unreachable: string | null; page: Page; onRetry: () => void }) {
  if (props.unreachable) {
    return (
      <div className="banner banner-crashed" role="alert">
        <strong>Lifeboat is not answering.</strong> {unreachableText(props.page)}{' '}
        <button type="button" className="button button-small" onClick={props.onRetry}>
          Try again
        </button>
      </div>
    );
  }
  const s = props.status;
  if (!s) return <div className="banner-placeholder" role="status" />;
  const awaiting = s.awaitingRecovery;
  const trouble = s.health === 'crashed' || s.health === 'hung';
  const client = s.profileDisplayName;
  if (!awaiting && (s.health === 'ok' || s.health === 'not-running')) return <div className="banner-placeholder" role="status" />;

  // A crash or hang with notes to recover outranks whatever the client is doing now.
  const state = awaiting ? (awaiting.incident.kind === 'hang' ? 'hung' : 'crashed') : s.health;
  const sentence = awaiting ? incidentSentence(client, awaiting.incident.kind, hourMinute(awaiting.incident.startedAt)) : stateSentence(client, s.health, whenText(s.healthSince));
  const backNow = awaiting && s.health === 'ok' ? ` ${client} is running again.` : '';
  return (
    <div className={`banner banner-${HEALTH[state].tone}`} role="status" data-health={state} data-testid="health-banner">
      <HealthIcon state={state} size={18} /> <strong>{sentence}</strong>
      {awaiting ? ` Your note is safe in Lifeboat.${backNow}` : ''}
      {trouble || s.recoverableDrafts > 0 ? (
        <>
          {' '}
          <a href={routeHref('recovery')}>Recover notes{s.recoverableDrafts > 0 ? ` (${s.recoverableDrafts})` : ''}</a>
        </>
      ) : null}
    </div>
  );
}
