/**
 * The small surface of Electron that Lifeboat's main process uses. The logic modules
 * (trayController, ipcBridge, safeStorageKey, lifecycle, notificationPresenter) depend only on
 * these interfaces, so they are unit-tested with fakes; electronAdapters.ts is the one real
 * implementation and is type-checked against electron.d.ts.
 */

export type MenuItemSpec = { type: 'separator' } | { type?: 'normal'; label: string; enabled?: boolean; click?: () => void };

export interface TrayPort {
  setImage(iconPath: string): void;
  setToolTip(text: string): void;
  setContextMenu(items: MenuItemSpec[]): void;
  /** Left click on the tray icon (Windows): the GP's quickest way to the window. */
  onClick(listener: () => void): void;
}

export interface NotificationSpec {
  title: string;
  body: string;
}

export interface NotificationPort {
  isSupported(): boolean;
  show(spec: NotificationSpec, onClick: () => void): void;
}

export interface WindowsPort {
  /** Shows the Lifeboat window on a hash route ("#/recovery?draft=ID"), creating it if needed. */
  open(route: string): void;
  /** Brings the window forward (creating it on the status route if there is none). */
  focus(): void;
  /** Sends to the renderer if a window exists; silently nothing otherwise. */
  send(channel: string, payload: unknown): void;
}

export interface QuitEvent {
  preventDefault(): void;
}

export interface AppPort {
  readonly isPackaged: boolean;
  requestSingleInstanceLock(): boolean;
  onSecondInstance(listener: () => void): void;
  setLoginItemSettings(settings: { openAtLogin: boolean }): void;
  setAppUserModelId(id: string): void;
  quit(): void;
  onBeforeQuit(listener: (event: QuitEvent) => void): void;
  /**
   * The OS is ending the session (Windows log-off/shutdown, Linux/macOS shutdown). Electron does
   * NOT emit before-quit then, so the shutdown checkpoint hangs off this too.
   */
  onSessionEnd(listener: () => void): void;
}

/** Linux backends as Electron names them; win32 and darwin report their platform keystore. */
export type StorageBackend = 'dpapi' | 'keychain' | 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown';

export interface SafeStoragePort {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend(): StorageBackend;
}

export interface IpcPort {
  /**
   * Registers an invoke handler. `senderUrl` is the URL of the frame that sent the call; the
   * adapter passes '' for anything but a top-level frame, which no check accepts.
   */
  handle(channel: string, handler: (senderUrl: string, arg: unknown) => Promise<unknown>): void;
}

/** A process started by Electron's utilityProcess.fork, as much of it as the watcher needs. */
export interface UtilityChild {
  readonly pid: number | undefined;
  /** Its stderr when forked with stdio 'pipe'. */
  readonly stderr: NodeJS.ReadableStream | null;
  postMessage(message: unknown): void;
  /** SIGTERM on POSIX (a blocked JavaScript thread cannot delay it), TerminateProcess on Windows. */
  kill(): boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
}

export interface UtilityProcessPort {
  fork(modulePath: string, args: string[], options: { serviceName: string; stdio: 'pipe' }): UtilityChild;
}

export interface ElectronPorts {
  tray: TrayPort;
  notification: NotificationPort;
  windows: WindowsPort;
  app: AppPort;
  safeStorage: SafeStoragePort;
  ipc: IpcPort;
  utilityProcess: UtilityProcessPort;
}
