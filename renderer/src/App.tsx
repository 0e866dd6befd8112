import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { StatusView } from '../../app/common/api.ts';
import { api } from './api/client.ts';
import { useLifeboatEvents } from './api/useApiData.ts';
import { HealthBadge } from './health/HealthBadge.tsx';
import { HealthBanner } from './health/HealthBanner.tsx';
import { LifeboatMark } from './health/HealthIcon.tsx';
import { IncidentsPage } from './incidents/IncidentsPage.tsx';
import { Nav } from './layout/Nav.tsx';
import { NotePage } from './note/NotePage.tsx';
import { useNoteSession } from './note/useNoteSession.ts';
import { PracticePage } from './practice/PracticePage.tsx';
import { RecoveryPage } from './recovery/RecoveryPage.tsx';
import { PAGE_TITLES } from './routing/route.ts';
import { replaceRoute, useRoute } from './routing/useRoute.ts';
import { SettingsPage } from './settings/SettingsPage.tsx';
import { StatusPage } from './status/StatusPage.tsx';
import { initialToasts, toastReducer } from './toasts/toastReducer.ts';
import { Toasts } from './toasts/Toasts.tsx';

const STATUS_REFRESH_MS = 10_000;
const LOST_CONTACT = new Set(['UNREACHABLE', 'UNAUTHORIZED', 'FORBIDDEN', 'TRANSPORT']);

export function App() {
  const route = useRoute();
  // One state object, replaced whole by each answer from Lifeboat: health, the client, the
  // incidents and the notes to recover always come from the same moment.
  const [status, setStatus] = useState<StatusView | null>(null);
  const [statusError, setStatusError] = useState<string | null>(null);
  const [unreachable, setUnreachable] = useState<string | null>(null);
  const [toasts, dispatch] = useReducer(toastReducer, initialToasts);
  const statusRef = useRef(status);
  statusRef.current = status;
  const mainRef = useRef<HTMLElement>(null);
  const session = useNoteSession(() => statusRef.current?.profile);

  const refreshStatus = useCallback(async () => {
    const result = await api.getStatus({});
    if (result.ok) {
      setStatus(result.value);
      setStatusError(null);
      setUnreachable(null);
    } else if (LOST_CONTACT.has(result.error.code)) setUnreachable(result.error.message);
    else setStatusError(result.error.message);
  }, []);

  useEffect(() => {
    void refreshStatus();
    const timer = window.setInterval(() => void refreshStatus(), STATUS_REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [refreshStatus]);

  useLifeboatEvents((event) => {
    if (event.type === 'notification') dispatch({ type: 'notify', event, now: Date.now() });
    if (event.type === 'health' || event.type === 'incident') void refreshStatus();
  });

  // Toasts that time out: checked once a second while any is showing.
  const hasExpiring = toasts.toasts.some((t) => t.expiresAt !== null);
  useEffect(() => {
    if (!hasExpiring) return;
    const timer = window.setInterval(() => dispatch({ type: 'tick', now: Date.now() }), 1000);
    return () => window.clearInterval(timer);
  }, [hasExpiring]);

  // Routes opened from outside (tray, notification click): "#/note?new=1", "#/note?id=ID".
  const { page, params } = route;
  useEffect(() => {
    if (page !== 'note') return;
    const id = params.get('id');
    if (params.get('new') === '1') void session.newNote().then(() => replaceRoute('#/note'));
    else if (id) void session.open(id).then(() => replaceRoute('#/note'));
    // Keyed on the route object: the same hash opened twice from the tray is two requests.
  }, [route]);

  // In Recovery the crash and hang toasts have done their job: gone, so nothing sits above the note.
  useEffect(() => {
    if (page === 'recovery') dispatch({ type: 'dismissKinds', kinds: ['crashed', 'hung'] });
  }, [page, toasts.toasts.length]);

  // A new screen: title, and focus on its heading (the editor on Note) so keyboard and screen
  // reader users start at the top of what changed.
  // Keyed on the route, not the page: following the link to the page already shown moves focus too.
  useEffect(() => {
    document.title = `${PAGE_TITLES[route.page]} · Lifeboat`;
    if (route.page === 'note') return;
    mainRef.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [route]);

  const clientName = status?.profileDisplayName ?? 'the clinical system';
  return (
    <>
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          mainRef.current?.focus();
        }}
      >
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <span className="brand">
            <LifeboatMark /> Lifeboat
          </span>
          {/* Said once: the Status page shows the state large, so the bar does not repeat it there. */}
          {status && page !== 'status' ? <HealthBadge state={status.health} client={status.profileDisplayName} /> : null}
          <Nav current={page} recoverable={status?.recoverableDrafts ?? null} />
        </div>
      </header>
      <HealthBanner status={status} unreachable={unreachable} page={page} onRetry={() => void refreshStatus()} />
      <Toasts toasts={toasts.toasts} onDismiss={(id) => dispatch({ type: 'dismiss', id })} />
      <main id="main" ref={mainRef} tabIndex={-1}>
        {page === 'status' ? <StatusPage status={status} error={statusError} onRetry={() => void refreshStatus()} onChanged={() => void refreshStatus()} /> : null}
        {page === 'note' ? <NotePage session={session} clientName={clientName} focusEditor /> : null}
        {page === 'recovery' ? <RecoveryPage initialDraft={params.get('draft')} onChanged={() => void refreshStatus()} /> : null}
        {page === 'incidents' ? <IncidentsPage status={status} /> : null}
        {page === 'practice' ? <PracticePage /> : null}
        {page === 'settings' ? <SettingsPage /> : null}
      </main>
    </>
  );
}
