import { useEffect, useState } from 'react';
import { clockTime } from '../format/time.ts';
import { routeHref } from '../routing/route.ts';
import type { Toast } from './toastReducer.ts';

/** A crash or a practice-wide outage is the one to show when only one fits. */
const URGENT = new Set(['crashed', 'outage']);

function ToastCard(props: { toast: Toast; onDismiss: (id: number) => void }) {
  const t = props.toast;
  return (
    <div className={`toast toast-${t.kind}`} role={t.kind === 'crashed' ? 'alert' : undefined}>
      <p className="toast-text">
        <span className="toast-title">
          {t.title}
          {t.repeats > 1 ? <span className="toast-repeats"> (×{t.repeats})</span> : null}
        </span>{' '}
        <span className="toast-body">{t.body}</span> <span className="toast-meta">{clockTime(t.at)}</span>
      </p>
      <div className="toast-actions">
        {t.draftId !== null || t.kind === 'crashed' || t.kind === 'hung' ? (
          <a className="button button-small" href={routeHref('recovery', t.draftId ? { draft: t.draftId } : {})} onClick={() => props.onDismiss(t.id)}>
            Recover note
          </a>
        ) : null}
        <button type="button" className="button button-small button-quiet" onClick={() => props.onDismiss(t.id)}>
          Dismiss<span className="visually-hidden"> notification: {t.title}</span>
        </button>
      </div>
    </div>
  );
}

/**
 * In-page notifications (browser mode has no system notifications, and Focus Assist can hide
 * them anyway). They sit in the page's flow between the banner and the content, never over it:
 * nothing covers the note, its Copy button or a confirmation. One is shown (a crash first), the
 * rest fold into one line, so a burst of them cannot push the note off a small screen.
 * A polite live region announces them; crashes are alerts.
 */
export function Toasts(props: { toasts: Toast[]; onDismiss: (id: number) => void }) {
  const [expanded, setExpanded] = useState(false);
  // Folded again once there is nothing left to fold.
  useEffect(() => {
    if (props.toasts.length <= 1) setExpanded(false);
  }, [props.toasts.length]);
  const first = props.toasts.find((t) => URGENT.has(t.kind)) ?? props.toasts[0];
  const shown = expanded ? props.toasts : first ? [first] : [];
  const more = props.toasts.length - shown.length;
  return (
    <section className={props.toasts.length > 0 ? 'toasts' : 'toasts toasts-empty'} aria-label="Notifications">
      <div role="status" aria-live="polite" aria-atomic="false" className="toast-stack">
        {shown.map((t) => (
          <ToastCard key={t.id} toast={t} onDismiss={props.onDismiss} />
        ))}
      </div>
      {more > 0 || (expanded && props.toasts.length > 1) ? (
        <p className="toast-more">
          {more > 0 ? `${more} more notification${more === 1 ? '' : 's'}` : null}{' '}
          <button type="button" className="button-link" aria-expanded={expanded} onClick={() => setExpanded(!expanded)}>
            {expanded ? 'Show only the latest' : 'Show all'}
          </button>{' '}
          <button type="button" className="button-link" onClick={() => props.toasts.forEach((t) => props.onDismiss(t.id))}>
            Dismiss all
          </button>
        </p>
      ) : null}
    </section>
  );
}
