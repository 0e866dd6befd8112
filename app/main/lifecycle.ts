import type { LifeboatEvent } from '../common/api.ts';
import type { AppPort, NotificationPort, WindowsPort } from './electronPorts.ts';
import type { LifeboatServiceHandle } from './lifeboatService.ts';
import { recoveryRoute, ROUTES } from './windowRoutes.ts';

/**
 * Fixed Windows AppUserModelID: notifications only show when it matches the Start Menu
 * shortcut's, and electron-builder gives that shortcut the appId (electron-builder.yml).
 */
export const APP_USER_MODEL_ID = 'org.lifeboat.app';

/** Passed to the login item so a start at login stays in the tray instead of opening a window. */
export const AT_LOGIN_ARG = '--at-login';

/**
 * One Lifeboat per user session: two would race for the vault and double every notification.
 * Returns false when another instance holds the lock (this one then quits); a second launch
 * brings the running instance's window forward instead.
 */
export function claimSingleInstance(app: AppPort, windows: Pick<WindowsPort, 'focus'>): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.onSecondInstance(() => windows.focus());
  return true;
}

/**
 * Called before ready: the AppUserModelID must be set before any notification. The login item is
 * only touched by an installed build: a development run must not register electron.exe at login.
 */
export function configureApp(app: AppPort, options: { openAtLogin: boolean }): void {
  app.setAppUserModelId(APP_USER_MODEL_ID);
  if (app.isPackaged) app.setLoginItemSettings({ openAtLogin: options.openAtLogin });
}

export interface ShutdownDeps {
  app: AppPort;
  service: Pick<LifeboatServiceHandle, 'vault' | 'stop'>;
  log?: (line: string) => void;
  /** A stop that hangs must not keep Lifeboat from quitting (Windows would kill it anyway). */
  stopTimeoutMs?: number;
}

export interface ShutdownControl {
  /** The checkpoint only (idempotent): for session end, when there is no time for more. */
  checkpoint(): void;
  readonly phase: 'running' | 'stopping' | 'stopped';
}

/**
 * Clean shutdown: on the first before-quit, hold the quit, write the shutdown checkpoint (a final
 * revision of every open draft with unrevisioned text: synchronous, durable on return), stop the
 * service (closes the vault), then quit for real. On OS session end only the checkpoint runs:
 * Electron emits no before-quit then and the OS gives little time.
 */
export function installShutdown(deps: ShutdownDeps): ShutdownControl {
  const log = deps.log ?? (() => {});
  let phase: ShutdownControl['phase'] = 'running';
  let checkpointed = false;
  const checkpoint = (): void => {
    if (checkpointed) return;
    checkpointed = true;
    try {
      const n = deps.service.vault.checkpointOpenDrafts('shutdown');
      log(`shutdown: checkpointed ${n} open draft(s)`);
    } catch (err) {
      log(`shutdown: checkpoint failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  deps.app.onBeforeQuit((event) => {
    if (phase === 'stopped') return;
    event.preventDefault();
    if (phase === 'stopping') return;
    phase = 'stopping';
    checkpoint();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        log('shutdown: the service did not stop in time; quitting anyway');
        resolve();
      }, deps.stopTimeoutMs ?? 5000);
    });
    void Promise.race([Promise.resolve().then(() => deps.service.stop()), timeout])
      .catch((err: unknown) => log(`shutdown: stop failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        clearTimeout(timer);
        phase = 'stopped';
        deps.app.quit();
      });
  });
  deps.app.onSessionEnd(checkpoint);
  return {
    checkpoint,
    get phase() {
      return phase;
    },
  };
}

/** Where a click on a notification takes the GP: a crash opens Recovery on its draft. */
export function routeForNotification(event: Extract<LifeboatEvent, { type: 'notification' }>): string {
  switch (event.kind) {
    case 'crashed':
    case 'recovered':
      return recoveryRoute(event.draftId);
    case 'outage':
      return ROUTES.incidents;
    case 'slow':
    case 'hung':
    case 'watcher':
      return ROUTES.status;
  }
}

/** Shows the service's notification events as OS notifications; returns the unsubscribe. */
export function presentNotifications(deps: {
  events: LifeboatServiceHandle['events'];
  notification: NotificationPort;
  windows: Pick<WindowsPort, 'open'>;
}): () => void {
  return deps.events.subscribe((event) => {
    if (event.type !== 'notification' || !deps.notification.isSupported()) return;
    const route = routeForNotification(event);
    deps.notification.show({ title: event.title, body: event.body }, () => deps.windows.open(route));
  });
}
