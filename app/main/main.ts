// Electron main: wiring only. Every decision lives in a tested module (tray, IPC bridge, vault
// key, window security, lifecycle); every Electron call in electronAdapters.ts. Bundled to
// out/main/main.cjs by scripts/build-electron.js.
import { app } from 'electron';
import { join } from 'node:path';
import type { HealthState } from '../common/incident.ts';
import { systemClock } from '../common/clock.ts';
import { defaultLocations } from '../core/paths/defaultLocations.ts';
import {
  createAppPort,
  createIpcPort,
  createNotificationPort,
  createSafeStoragePort,
  createTrayPort,
  createSaveFilePort,
  createUtilityProcessPort,
  createWindowsPort,
  followSystemTheme,
  hardenSession,
  registerAppScheme,
  serveAppScheme,
  showFatalError,
} from './electronAdapters.ts';
import { registerIpcBridge } from './ipcBridge.ts';
import type { LifeboatServiceHandle, StartLifeboatService } from './lifeboatService.ts';
import { AT_LOGIN_ARG, claimSingleInstance, configureApp, installShutdown, presentNotifications } from './lifecycle.ts';
import { SafeStorageKeySource } from './safeStorageKey.ts';
import type { TrustedRenderer } from './trustedRenderer.ts';
import { startLiveService } from './liveService.ts';
import { readConfigFile } from '../core/config/configFile.ts';
import { machinePolicyLocation, type MachinePolicyLocation } from '../core/config/machinePolicy.ts';
import { bindTrayToService, TrayController } from './trayController.ts';
import { recoveryRoute, ROUTES } from './windowRoutes.ts';
import { utilityWatcherLauncher } from './utilityWatcherLauncher.ts';

export interface MainOptions {
  startService: StartLifeboatService;
  /** Start with the Windows session (installed builds only). */
  openAtLogin: boolean;
  /** Machine policy: a plain key file where the OS has no keystore (see safeStorageKey.ts). */
  allowKeyFileWithoutKeystore: boolean;
  /** Where the machine policy is: fixed per platform, never from the user's environment. */
  machinePolicy: MachinePolicyLocation;
}

const log = (line: string): void => console.log(`lifeboat: ${line}`);

export async function runLifeboatMain(options: MainOptions): Promise<void> {
  // out/ sits beside package.json in development and inside app.asar when installed.
  const root = app.getAppPath();
  const trayDir = join(root, 'out', 'tray');
  const iconFor = (state: HealthState): string => join(trayDir, process.platform === 'win32' ? `${state}.ico` : `${state}-16.png`);
  const devServerUrl = !app.isPackaged && process.env.LIFEBOAT_RENDERER_URL ? process.env.LIFEBOAT_RENDERER_URL : null;
  const trusted: TrustedRenderer = { devServerOrigin: devServerUrl ? new URL(devServerUrl).origin : null };
  registerAppScheme();

  const appPort = createAppPort();
  const windows = createWindowsPort({
    trusted,
    devServerUrl,
    preloadPath: join(root, 'out', 'preload', 'preload.cjs'),
    iconPath: join(root, 'out', 'app', 'icon.png'),
    devTools: !app.isPackaged,
    onSessionEnd: () => appPort.emitSessionEnd(),
  });
  if (!claimSingleInstance(appPort, windows)) return;
  configureApp(appPort, { openAtLogin: options.openAtLogin });

  await app.whenReady();
  followSystemTheme();
  hardenSession({ trusted, devServerOrigin: trusted.devServerOrigin ?? null });
  serveAppScheme(join(root, 'out', 'renderer'), trusted.devServerOrigin ?? null);

  const locations = defaultLocations();
  const machinePolicy = options.machinePolicy;
  if (machinePolicy.caveat) log(machinePolicy.caveat);
  // The watcher process and the worker threads are bundled beside main.cjs (scripts/build-electron.js).
  const entries = { watcher: join(root, 'out', 'main', 'watcher.cjs'), vaultWorker: join(root, 'out', 'main', 'vaultWorker.cjs'), sourceWorker: join(root, 'out', 'main', 'sourceWorker.cjs') };
  let service: LifeboatServiceHandle;
  try {
    service = await options.startService({
      vaultDir: locations.vaultDir,
      clock: systemClock,
      machinePolicy,
      log,
      runtime: { entries, launchWatcher: utilityWatcherLauncher(createUtilityProcessPort(), entries.watcher) },
      keySource: new SafeStorageKeySource({
        safeStorage: createSafeStoragePort(),
        wrappedKeyPath: join(locations.vaultDir, 'vault.key.enc'),
        keyFilePath: join(locations.vaultDir, 'vault.key'),
        allowKeyFileWithoutKeystore: options.allowKeyFileWithoutKeystore,
      }),
    });
  } catch (err) {
    showFatalError('Lifeboat cannot start', err instanceof Error ? err.message : String(err));
    app.exit(1);
    return;
  }

  installShutdown({ app: appPort, service, log });
  registerIpcBridge({ ipc: createIpcPort(), windows, handlers: service.handlers, events: service.events, trusted, saveFile: createSaveFilePort(), log });
  presentNotifications({ events: service.events, notification: createNotificationPort(join(root, 'out', 'app', 'icon.png')), windows });

  const trayPort = createTrayPort(iconFor(service.health().state));
  const controller = new TrayController({
    tray: trayPort,
    iconFor,
    actions: {
      newNote: () => windows.open(ROUTES.newNote),
      recoverNotes: (draftId) => windows.open(recoveryRoute(draftId)),
      incidents: () => windows.open(ROUTES.incidents),
      togglePause: (paused) => void Promise.resolve(service.handlers.pauseNotifications({ minutes: paused ? 0 : 60 })).then(() => binding.refresh()),
      settings: () => windows.open(ROUTES.settings),
      quit: () => app.quit(),
    },
  });
  const binding = bindTrayToService({ controller, service, log });
  trayPort.onClick(() => windows.focus());
  await binding.refresh();

  if (!process.argv.includes(AT_LOGIN_ARG)) windows.open(ROUTES.status);
}

/** Machine policy switch for Linux desktops without a keyring (see safeStorageKey.ts); never needed on Windows. */
function policyAllowsKeyFile(policyPath: string): boolean {
  try {
    const policy = readConfigFile(policyPath) as { settings?: { allowKeyFileWithoutKeystore?: boolean } } | null;
    return policy?.settings?.allowKeyFileWithoutKeystore === true;
  } catch {
    // Unreadable policy: the safer answer (no plain key file).
    return false;
  }
}

// main.cjs is CommonJS: no top-level await.
machinePolicyLocation()
  .then((machinePolicy) =>
    runLifeboatMain({
      startService: startLiveService,
      openAtLogin: true,
      allowKeyFileWithoutKeystore: policyAllowsKeyFile(machinePolicy.path),
      machinePolicy,
    }),
  )
  .catch((err: unknown) => {
    console.error(`lifeboat: fatal: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    app.exit(1);
  });
