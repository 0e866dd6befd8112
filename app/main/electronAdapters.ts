// The one real implementation of electronPorts.ts: every Electron call Lifeboat's main process
// makes is in this file (and main.ts's bootstrap). It cannot run on the development machine (no
// Electron binary); it is type-checked against electron.d.ts and kept free of decisions, which
// live in the tested modules it calls.
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeImage, nativeTheme, Notification, powerMonitor, protocol, safeStorage, session, Tray, utilityProcess } from 'electron';
import type { AppPort, IpcPort, MenuItemSpec, NotificationPort, SafeStoragePort, TrayPort, UtilityProcessPort, WindowsPort } from './electronPorts.ts';
import { isTrustedRendererUrl, type TrustedRenderer } from './trustedRenderer.ts';
import { AT_LOGIN_ARG } from './lifecycle.ts';
import { allowNavigation, allowPermission, contentSecurityPolicy, windowOpenDecision, withContentSecurityPolicy, checkedWindowOptions } from './windowSecurity.ts';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, appProtocolResponse, rendererUrl } from './appProtocol.ts';
import { ROUTES } from './windowRoutes.ts';
import { writeFileAtomicSync } from '../core/atomicWrite/atomicWrite.ts';
import type { IpcBridgeDeps } from './ipcBridge.ts';
import { saveDialogFilter, windowBackground } from './windowTheme.ts';

/** Called before ready. */
export function createAppPort(): AppPort & { emitSessionEnd(): void } {
  const sessionEnd: Array<() => void> = [];
  // Every renderer sandboxed, whatever a window's own preferences say.
  app.enableSandbox();
  // A tray app: closing the last window must not quit. Subscribing replaces Electron's default quit.
  app.on('window-all-closed', () => {});
  // powerMonitor works only once the app is ready.
  void app.whenReady().then(() => powerMonitor.on('shutdown', () => sessionEnd.forEach((l) => l())));
  return {
    get isPackaged() {
      return app.isPackaged;
    },
    requestSingleInstanceLock: () => app.requestSingleInstanceLock(),
    onSecondInstance: (listener) => {
      app.on('second-instance', () => listener());
    },
    setLoginItemSettings: ({ openAtLogin }) => app.setLoginItemSettings({ openAtLogin, args: [AT_LOGIN_ARG] }),
    setAppUserModelId: (id) => app.setAppUserModelId(id),
    quit: () => app.quit(),
    onBeforeQuit: (listener) => {
      app.on('before-quit', (event) => listener(event));
    },
    onSessionEnd: (listener) => {
      sessionEnd.push(listener);
    },
    emitSessionEnd: () => sessionEnd.forEach((l) => l()),
  };
}

export function createSafeStoragePort(platform: NodeJS.Platform = process.platform): SafeStoragePort {
  return {
    isEncryptionAvailable: () => safeStorage.isEncryptionAvailable(),
    encryptString: (plainText) => safeStorage.encryptString(plainText),
    decryptString: (encrypted) => safeStorage.decryptString(encrypted),
    getSelectedStorageBackend: () => (platform === 'win32' ? 'dpapi' : platform === 'darwin' ? 'keychain' : safeStorage.getSelectedStorageBackend()),
  };
}

export function createIpcPort(): IpcPort {
  return {
    handle: (channel, handler) => {
      ipcMain.handle(channel, (event, arg: unknown) => {
        const frame = event.senderFrame;
        // Only a top-level frame can be our renderer; subframes get '' which no check accepts.
        return handler(frame && frame.parent === null ? frame.url : '', arg);
      });
    },
  };
}

/** The watcher's process: Electron's utilityProcess (a Node process Electron starts, sandbox-free, no window). */
export function createUtilityProcessPort(): UtilityProcessPort {
  return { fork: (modulePath, args, options) => utilityProcess.fork(modulePath, args, options) };
}

export function createNotificationPort(iconPath: string): NotificationPort {
  // Windows drops the click handler of a notification that was garbage-collected: keep recent ones.
  const live = new Set<Notification>();
  return {
    isSupported: () => Notification.isSupported(),
    show: ({ title, body }, onClick) => {
      const note = new Notification({ title, body, icon: iconPath, silent: false });
      live.add(note);
      if (live.size > 20) live.delete(live.values().next().value!);
      note.on('click', () => onClick());
      note.show();
    },
  };
}

/** A Tray that is garbage-collected vanishes from the taskbar: hold every one for the app's life. */
const liveTrays: Tray[] = [];

export function createTrayPort(initialIconPath: string): TrayPort {
  const tray = new Tray(nativeImage.createFromPath(initialIconPath));
  liveTrays.push(tray);
  return {
    setImage: (iconPath) => tray.setImage(nativeImage.createFromPath(iconPath)),
    setToolTip: (text) => tray.setToolTip(text),
    setContextMenu: (items) => tray.setContextMenu(Menu.buildFromTemplate(items.map(toMenuItem))),
    onClick: (listener) => {
      tray.on('click', () => listener());
    },
  };
}

function toMenuItem(item: MenuItemSpec): Electron.MenuItemConstructorOptions {
  if (item.type === 'separator') return { type: 'separator' };
  const click = item.click;
  return { label: item.label, enabled: item.enabled ?? true, ...(click ? { click: () => click() } : {}) };
}

/** Before ready: app:// is a standard, secure scheme of its own (see appProtocol.ts). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...APP_SCHEME_PRIVILEGES } }]);
}

/** After ready: app:// answers with files of the built renderer only, each with our CSP header. */
export function serveAppScheme(rendererDir: string, devServerOrigin: string | null): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const answer = await appProtocolResponse({ url: request.url, method: request.method }, rendererDir, { devServerOrigin });
    return new Response(answer.body === null ? null : new Uint8Array(answer.body), { status: answer.status, headers: answer.headers });
  });
}

export interface WindowsOptions {
  trusted: TrustedRenderer;
  /** Development only. */
  devServerUrl: string | null;
  preloadPath: string;
  iconPath: string;
  devTools: boolean;
  onSessionEnd(): void;
}

/** Locks down the default session: CSP on every http response, permissions denied but one. */
export function hardenSession(options: { trusted: TrustedRenderer; devServerOrigin: string | null }): void {
  const csp = contentSecurityPolicy({ devServerOrigin: options.devServerOrigin });
  const ses = session.defaultSession;
  ses.webRequest.onHeadersReceived((details, callback) => callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders, csp) }));
  ses.setPermissionRequestHandler((_wc, permission, callback, details) => callback(allowPermission(permission, details.requestingUrl, options.trusted)));
  ses.setPermissionCheckHandler((_wc, permission, _origin, details) => allowPermission(permission, details.requestingUrl, options.trusted));
}

export function createWindowsPort(options: WindowsOptions): WindowsPort {
  let win: BrowserWindow | null = null;

  const load = (target: BrowserWindow, route: string): void => {
    const loading = options.devServerUrl
      ? target.loadURL(new URL(route, options.devServerUrl).href)
      : target.loadURL(rendererUrl(route));
    loading.catch((err: unknown) => console.error(`lifeboat: could not load the window: ${err instanceof Error ? err.message : String(err)}`));
  };

  const create = (route: string): BrowserWindow => {
    const created = new BrowserWindow(
      checkedWindowOptions({
        width: 1100,
        height: 760,
        minWidth: 560,
        minHeight: 420,
        show: false,
        title: 'Lifeboat',
        icon: options.iconPath,
        backgroundColor: windowBackground(nativeTheme.shouldUseDarkColors),
        autoHideMenuBar: true,
        // Written out here, not built by a helper, so a static checker (Electronegativity) sees
        // every value; checkedWindowOptions makes the compiler hold each one to windowSecurity.ts.
        webPreferences: {
          contextIsolation: true,
          sandbox: true,
          nodeIntegration: false,
          nodeIntegrationInWorker: false,
          nodeIntegrationInSubFrames: false,
          webSecurity: true,
          allowRunningInsecureContent: false,
          webviewTag: false,
          experimentalFeatures: false,
          navigateOnDragDrop: false,
          safeDialogs: true,
          disableBlinkFeatures: 'Auxclick',
          devTools: options.devTools,
          // Reviewed: the preload exposes only LifeboatApi's named calls (tests/unit/preload/api.test.ts).
          preload: options.preloadPath, // eng-disable PRELOAD_JS_CHECK
        },
      }),
    );
    const contents = created.webContents;
    contents.on('will-navigate', (event, url) => {
      if (!allowNavigation(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => windowOpenDecision());
    created.once('ready-to-show', () => created.show());
    created.on('session-end', () => options.onSessionEnd());
    created.on('closed', () => {
      if (win === created) win = null;
    });
    load(created, route);
    return created;
  };

  const currentRoute = (target: BrowserWindow): string => {
    try {
      return new URL(target.webContents.getURL()).hash;
    } catch {
      return '';
    }
  };

  const reveal = (target: BrowserWindow): void => {
    if (target.isMinimized()) target.restore();
    target.show();
    target.focus();
  };

  // The OS switched between light and dark: the page follows by itself; the frame behind it too.
  nativeTheme.on('updated', () => {
    if (win && !win.isDestroyed()) win.setBackgroundColor(windowBackground(nativeTheme.shouldUseDarkColors));
  });

  return {
    open: (route) => {
      if (!win || win.isDestroyed()) {
        win = create(route);
        return;
      }
      // Only a different route navigates: loading the same URL again would reload the page.
      if (currentRoute(win) !== route) load(win, route);
      reveal(win);
    },
    focus: () => {
      if (!win || win.isDestroyed()) win = create(ROUTES.status);
      else reveal(win);
    },
    send: (channel, payload) => {
      if (!win || win.isDestroyed()) return;
      // Events only ever go to our own page, never to whatever a frame may have become.
      if (!isTrustedRendererUrl(win.webContents.getURL(), options.trusted)) return;
      win.webContents.send(channel, payload);
    },
  };
}

/** The save dialog for exports (reports, evidence packs): the file is written only where the GP says. */
export function createSaveFilePort(): NonNullable<IpcBridgeDeps['saveFile']> {
  return async ({ fileName, bytes }) => {
    const options: Electron.SaveDialogOptions = { title: 'Save the Lifeboat file', defaultPath: join(app.getPath('downloads'), fileName), filters: [saveDialogFilter(fileName)] };
    const parent = BrowserWindow.getFocusedWindow();
    const answer = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
    if (answer.canceled || !answer.filePath) return null;
    // Readable only by the user, as `lifeboat report --out` writes it.
    writeFileAtomicSync(answer.filePath, bytes, { mode: 0o600 });
    return answer.filePath;
  };
}

/** Follow the OS theme (Windows' "Choose your mode"): the renderer's prefers-color-scheme reads it. */
export function followSystemTheme(): void {
  nativeTheme.themeSource = 'system';
}

export function showFatalError(title: string, message: string): void {
  dialog.showErrorBox(title, message);
}
