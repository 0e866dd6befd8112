import { routeHref } from '../routing/route.ts';
import { clockTime } from '../format/time.ts';
import type { Toast } from './toastReducer.ts';

/**
 * In-page notifications (browser mode has no system notifications, and Focus Assist can hide
 * them anyway). A polite live region announces them; crashes are alerts.
 */
export function Toasts(props: { toasts: Toast[]; onDismiss: (id: number) => void }) {
  return (
    <section className="toasts" aria-label="Notifications">
      <div role="status" aria-live="polite" aria-atomic="false" className="toast-stack">
        {props.toasts.map((t) => (
          <div key={t.id} className={`toast toast-${t.kind}`} role={t.kind === 'crashed' ? 'alert' : undefined}>
            <p className="toast-title">
              {t.title}
              {t.repeats > 1 ? <span className="toast-repeats"> (×{t.repeats})</span> : null}
            </p>
            <p className="toast-body">{t.body}</p>
            <p className="toast-meta">{clockTime(t.at)}</p>
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
        ))}
      </div>
    </section>
  );
}
