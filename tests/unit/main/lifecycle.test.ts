import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { LifeboatEvent } from '../../../app/common/api.ts';
import { ManualClock } from '../../../app/common/clock.ts';
import { LifeboatEvents } from '../../../app/core/api/apiBackend.ts';
import { Vault } from '../../../app/core/vault/vault.ts';
import { FixedKeySource, newVaultKey } from '../../../app/core/vault/vaultKey.ts';
import type { AppPort, NotificationPort, NotificationSpec, QuitEvent } from '../../../app/main/electronPorts.ts';
import { APP_USER_MODEL_ID, claimSingleInstance, configureApp, installShutdown, presentNotifications, routeForNotification } from '../../../app/main/lifecycle.ts';
import { recoveryRoute, ROUTES } from '../../../app/main/windowRoutes.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'lifeboat-main-'));
  dirs.push(d);
  return d;
}

/** Electron's app, as far as main uses it, with before-quit semantics: quit() emits it; preventDefault cancels. */
class FakeApp implements AppPort {
  isPackaged = true;
  lockAvailable = true;
  quitRequested = 0;
  quitted = false;
  appUserModelId: string | null = null;
  loginItem: { openAtLogin: boolean } | null = null;
  private secondInstance: Array<() => void> = [];
  private beforeQuit: Array<(e: QuitEvent) => void> = [];
  private sessionEnd: Array<() => void> = [];
  requestSingleInstanceLock(): boolean {
    return this.lockAvailable;
  }
  onSecondInstance(listener: () => void): void {
    this.secondInstance.push(listener);
  }
  setLoginItemSettings(settings: { openAtLogin: boolean }): void {
    this.loginItem = settings;
  }
  setAppUserModelId(id: string): void {
    this.appUserModelId = id;
  }
  quit(): void {
    this.quitRequested++;
    let prevented = false;
    for (const l of this.beforeQuit) l({ preventDefault: () => (prevented = true) });
    if (!prevented) this.quitted = true;
  }
  onBeforeQuit(listener: (e: QuitEvent) => void): void {
    this.beforeQuit.push(listener);
  }
  onSessionEnd(listener: () => void): void {
    this.sessionEnd.push(listener);
  }
  launchSecond(): void {
    this.secondInstance.forEach((l) => l());
  }
  endSession(): void {
    this.sessionEnd.forEach((l) => l());
  }
}

class FakeNotifications implements NotificationPort {
  shown: Array<{ spec: NotificationSpec; click: () => void }> = [];
  supported = true;
  isSupported(): boolean {
    return this.supported;
  }
  show(spec: NotificationSpec, onClick: () => void): void {
    this.shown.push({ spec, click: onClick });
  }
}

function openVault(dir: string, clock: ManualClock): Vault {
  return Vault.open({ dir, keySource: new FixedKeySource(newVaultKey()), clock });
}

describe('single instance and app setup', () => {
  it('a second launch focuses the running window; a launch without the lock quits', () => {
    const app = new FakeApp();
    const windows = { focus: vi.fn() };
    expect(claimSingleInstance(app, windows)).toBe(true);
    app.launchSecond();
    expect(windows.focus).toHaveBeenCalledOnce();
    const other = new FakeApp();
    other.lockAvailable = false;
    expect(claimSingleInstance(other, windows)).toBe(false);
    expect(other.quitted).toBe(true);
  });

  it('sets the AppUserModelID always, and the login item only for an installed build', () => {
    const app = new FakeApp();
    configureApp(app, { openAtLogin: true });
    expect(app.appUserModelId).toBe(APP_USER_MODEL_ID);
    expect(app.loginItem).toEqual({ openAtLogin: true });
    const dev = new FakeApp();
    dev.isPackaged = false;
    configureApp(dev, { openAtLogin: true });
    expect(dev.loginItem).toBeNull();
  });
});

describe('clean shutdown', () => {
  it('before quit, writes a shutdown revision of open drafts, then stops the service, then quits', async () => {
    const dir = tempDir();
    const clock = new ManualClock();
    const vault = openVault(dir, clock);
    const first = vault.save({ body: 'Presenting complaint: cough' });
    clock.advance(100);
    vault.save({ id: first.id, body: 'Presenting complaint: cough for 3 days' }); // coalesced: no revision yet
    expect(vault.revisions(first.id)).toHaveLength(1);
    const order: string[] = [];
    const app = new FakeApp();
    const stop = vi.fn(() => {
      order.push('stop');
      vault.close();
    });
    const control = installShutdown({
      app,
      service: {
        vault: {
          checkpointOpenDrafts: (reason) => {
            order.push('checkpoint');
            return vault.checkpointOpenDrafts(reason);
          },
        },
        stop,
      },
    });
    app.quit();
    expect(app.quitted).toBe(false); // held until the service has stopped
    expect(control.phase).toBe('stopping');
    app.quit(); // a second Quit click while stopping changes nothing
    await vi.waitFor(() => expect(app.quitted).toBe(true));
    expect(order).toEqual(['checkpoint', 'stop']);
    expect(stop).toHaveBeenCalledOnce();
  });

  it('the shutdown checkpoint is durable: a fresh vault handle sees the shutdown revision', async () => {
    const dir = tempDir();
    const clock = new ManualClock();
    const key = newVaultKey();
    const vault = Vault.open({ dir, keySource: new FixedKeySource(key), clock });
    const a = vault.save({ body: 'Plan: review in 2 weeks' });
    clock.advance(100);
    vault.save({ id: a.id, body: 'Plan: review in 2 weeks, bloods' });
    const app = new FakeApp();
    installShutdown({ app, service: { vault, stop: () => vault.close() } });
    app.quit();
    await vi.waitFor(() => expect(app.quitted).toBe(true));
    const after = Vault.open({ dir, keySource: new FixedKeySource(key), clock });
    const revisions = after.revisions(a.id);
    expect(revisions.at(-1)).toMatchObject({ reason: 'shutdown' });
    expect(after.show(a.id, revisions.at(-1)!.seq).body).toBe('Plan: review in 2 weeks, bloods');
    after.close();
  });

  it('on OS session end (no before-quit on Windows) the checkpoint still runs, once', () => {
    const checkpoint = vi.fn(() => 0);
    const app = new FakeApp();
    installShutdown({ app, service: { vault: { checkpointOpenDrafts: checkpoint }, stop: () => {} } });
    app.endSession();
    app.endSession();
    expect(checkpoint).toHaveBeenCalledOnce();
    expect(checkpoint).toHaveBeenCalledWith('shutdown');
  });

  it('quits even when the checkpoint fails or the service never stops', async () => {
    const app = new FakeApp();
    const lines: string[] = [];
    installShutdown({
      app,
      service: {
        vault: {
          checkpointOpenDrafts: () => {
            throw new Error('disk full');
          },
        },
        stop: () => new Promise<void>(() => {}),
      },
      stopTimeoutMs: 20,
      log: (l) => lines.push(l),
    });
    app.quit();
    await vi.waitFor(() => expect(app.quitted).toBe(true));
    expect(lines.join('\n')).toMatch(/checkpoint failed: disk full[\s\S]*did not stop in time/);
  });
});

describe('notification clicks', () => {
  const crash = (draftId: string | null): Extract<LifeboatEvent, { type: 'notification' }> => ({
    type: 'notification',
    kind: 'crashed',
    title: 'EMIS Web has stopped — your note from 09:41:07 is safe',
    body: 'Click to open it in Lifeboat Recovery.',
    at: '2026-01-05T09:41:12.000Z',
    draftId,
    incidentId: 'inc-1',
  });

  it('a click on the crash notification opens Recovery on its draft', () => {
    const events = new LifeboatEvents();
    const notification = new FakeNotifications();
    const windows = { open: vi.fn() };
    presentNotifications({ events, notification, windows });
    events.emit(crash('3f2a-77'));
    expect(notification.shown).toHaveLength(1);
    expect(notification.shown[0]!.spec).toEqual({ title: 'EMIS Web has stopped — your note from 09:41:07 is safe', body: 'Click to open it in Lifeboat Recovery.' });
    expect(windows.open).not.toHaveBeenCalled();
    notification.shown[0]!.click();
    expect(windows.open).toHaveBeenCalledWith('#/recovery?draft=3f2a-77');
  });

  it('routes other kinds sensibly, and never puts an odd id into a route', () => {
    expect(routeForNotification(crash(null))).toBe(ROUTES.recovery);
    expect(routeForNotification({ ...crash(null), kind: 'slow' })).toBe(ROUTES.status);
    expect(routeForNotification({ ...crash(null), kind: 'outage' })).toBe(ROUTES.incidents);
    expect(routeForNotification({ ...crash(null), kind: 'watcher' })).toBe(ROUTES.status);
    expect(recoveryRoute('../../x?y#z')).toBe('#/recovery');
    expect(recoveryRoute('a'.repeat(65))).toBe('#/recovery');
  });

  it('shows nothing for other events, or where the OS has no notifications', () => {
    const events = new LifeboatEvents();
    const notification = new FakeNotifications();
    presentNotifications({ events, notification, windows: { open: vi.fn() } });
    events.emit({ type: 'health', state: 'slow', previous: 'ok', reason: 'r', at: '2026-01-05T09:00:00.000Z' });
    notification.supported = false;
    events.emit(crash('d'));
    expect(notification.shown).toHaveLength(0);
  });
});
