import type { StatusView } from '../../../app/common/api.ts';
import { whenText } from '../format/time.ts';
import { routeHref } from '../routing/route.ts';
import { HEALTH } from './healthLabels.ts';

/**
 * The tray's message, repeated in the window: a notification may be hidden (Focus Assist, a
 * browser tab in the background), so it is never the only place the GP learns the client is in trouble.
 */
export function HealthBanner(props: { status: StatusView | null; unreachable: string | null }) {
  if (props.unreachable) {
    return (
      <div className="banner banner-crashed" role="alert">
        <strong>Lifeboat is not answering.</strong> {props.unreachable}
      </div>
    );
  }
  const s = props.status;
  if (!s || s.health === 'ok') return <div className="banner-placeholder" role="status" />;
  const h = HEALTH[s.health];
  const trouble = s.health === 'crashed' || s.health === 'hung';
  return (
    <div className={`banner banner-${h.tone}`} role="status" data-health={s.health}>
      <span className="badge-symbol" aria-hidden="true">
        {h.symbol}{' '}
      </span>
      <strong>{h.banner(s.profileDisplayName)}</strong> <span className="banner-since">Since {whenText(s.healthSince)}.</span>
      {trouble || s.recoverableDrafts > 0 ? (
        <>
          {' '}
          <a href={routeHref('recovery')}>Recover notes{s.recoverableDrafts > 0 ? ` (${s.recoverableDrafts})` : ''}</a>
        </>
      ) : null}
    </div>
  );
}
