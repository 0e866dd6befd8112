import { describe, expect, it, vi } from 'vitest';
import type { LifeboatEvent, StatusView } from '../../../app/common/api.ts';
import type { HealthState } from '../../../app/common/incident.ts';
import { LifeboatEvents, type ApiHandlers } from '../../../app/core/api/apiBackend.ts';
import type { MenuItemSpec, TrayPort } from '../../../app/main/electronPorts.ts';
import { bindTrayToService, TrayController, type TrayActions, type TrayView } from '../../../app/main/trayController.ts';

const T0 = Date.UTC(2026, 0, 5, 9, 41, 0);

class FakeTray implements TrayPort {
  images: string[] = [];
  tooltip = '';
  menu: MenuItemSpec[] = [];
  clicks: Array<() => void> = [];
  setImage(path: string): void {
    this.images.push(path);
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setContextMenu(items: MenuItemSpec[]): void {
    this.menu = items;
  }
  onClick(listener: () => void): void {
    this.clicks.push(listener);
  }
  labels(): string[] {
    return this.menu.map((m) => (m.type === 'separator' ? '---' : m.label));
  }
  click(label: string): void {
    const item = this.menu.find((m) => m.type !== 'separator' && m.label.startsWith(label));
    if (!item || item.type === 'separator' || !item.click) throw new Error(`no clickable ${label}`);
    item.click();
  }
}

function setup() {
  const tray = new FakeTray();
  const actions: TrayActions = { newNote: vi.fn(), recoverNotes: vi.fn(), incidents: vi.fn(), togglePause: vi.fn(), settings: vi.fn(), quit: vi.fn() };
  const controller = new TrayController({ tray, iconFor: (s: HealthState) => `/icons/${s}.ico`, actions, timeZone: 'UTC' });
  const view: TrayView = { state: 'ok', since: T0, clientDisplayName: 'EMIS Web', pausedUntil: null, recoverableDrafts: 0, noteToRecover: null };
  return { tray, actions, controller, view };
}

describe('tray controller', () => {
  it('shows one icon per health state and the state and time in the tooltip', () => {
    const { tray, controller, view } = setup();
    for (const state of ['ok', 'slow', 'hung', 'crashed', 'not-running'] as const) controller.show({ ...view, state });
    expect(tray.images).toEqual(['/icons/ok.ico', '/icons/slow.ico', '/icons/hung.ico', '/icons/crashed.ico', '/icons/not-running.ico']);
    controller.show({ ...view, state: 'slow' });
    expect(tray.tooltip).toBe('Lifeboat: EMIS Web is running slowly (since 09:41)');
  });

  it('does not reset the icon when the state has not changed', () => {
    const { tray, controller, view } = setup();
    controller.show(view);
    controller.show({ ...view, recoverableDrafts: 3 });
    expect(tray.images).toEqual(['/icons/ok.ico']);
  });

  it('has the menu: status, New note, Recover notes (count), Incidents, Pause for 1 hour, Settings, Quit', () => {
    const { tray, controller, view, actions } = setup();
    controller.show({ ...view, state: 'crashed', recoverableDrafts: 2 });
    expect(tray.labels()).toEqual([
      'EMIS Web has stopped; your notes are safe',
      '---',
      'New note',
      'Recover notes (2)',
      'Incidents',
      '---',
      'Pause notifications for 1 hour',
      'Settings',
      '---',
      'Quit',
    ]);
    expect(tray.menu[0]).toMatchObject({ enabled: false });
    tray.click('New note');
    tray.click('Recover notes');
    tray.click('Incidents');
    tray.click('Settings');
    tray.click('Quit');
    tray.click('Pause');
    expect(actions.newNote).toHaveBeenCalledOnce();
    expect(actions.recoverNotes).toHaveBeenCalledExactlyOnceWith(null);
    expect(actions.incidents).toHaveBeenCalledOnce();
    expect(actions.settings).toHaveBeenCalledOnce();
    expect(actions.quit).toHaveBeenCalledOnce();
    expect(actions.togglePause).toHaveBeenCalledWith(false);
  });

  it('offers Resume while paused, and says until when', () => {
    const { tray, controller, view, actions } = setup();
    controller.show({ ...view, pausedUntil: T0 + 3_600_000 });
    expect(tray.labels()).toContain('Resume notifications (paused until 10:41)');
    expect(tray.tooltip).toContain('alerts paused until 10:41');
    tray.click('Resume');
    expect(actions.togglePause).toHaveBeenCalledWith(true);
    controller.show({ ...view, recoverableDrafts: 0 });
    expect(tray.labels()).toContain('Recover notes');
  });
});

describe('tray bound to the service', () => {
  function service(overrides: Partial<StatusView> = {}) {
    const events = new LifeboatEvents();
    let health: { state: HealthState; since: number; reason: string } = { state: 'ok', since: T0, reason: '' };
    const status: StatusView = {
      health: 'ok',
      healthSince: new Date(T0).toISOString(),
      healthReason: '',
      profile: 'emis-web',
      profileDisplayName: 'EMIS Web',
      clientRunning: true,
      uptimeTodayMinutes: 10,
      practiceOutage: null,
      awaitingRecovery: null,
      lastIncidents: [],
      notificationsPausedUntil: null,
      recoverableDrafts: 1,
      configProblem: null,
      ...overrides,
    };
    const getStatus = vi.fn(() => status);
    const handlers = { getStatus } as unknown as ApiHandlers;
    return {
      events,
      handlers,
      getStatus,
      status,
      setHealth: (h: typeof health) => (health = h),
      health: () => health,
    };
  }

  it('changes the icon on a health event at once, and re-reads counts on incidents', async () => {
    const { tray, controller } = setup();
    const svc = service();
    const binding = bindTrayToService({ controller, service: svc, refreshEveryMs: 3_600_000 });
    await binding.refresh();
    expect(tray.labels()).toContain('Recover notes (1)');
    const calls = svc.getStatus.mock.calls.length;
    const crash: LifeboatEvent = { type: 'health', state: 'crashed', previous: 'ok', reason: 'x', at: new Date(T0 + 60_000).toISOString() };
    svc.events.emit(crash);
    expect(tray.images.at(-1)).toBe('/icons/crashed.ico');
    expect(tray.tooltip).toContain('(since 09:42)');
    expect(svc.getStatus.mock.calls.length).toBe(calls); // a health event does not query the vault
    svc.status.recoverableDrafts = 4;
    svc.setHealth({ state: 'crashed', since: T0 + 60_000, reason: '' });
    svc.events.emit({ type: 'incident', change: 'opened', incident: { id: 'i', kind: 'crash', app: 'x', profile: 'p', startedAt: '', endedAt: null, sources: [], evidence: [], signature: null } });
    await vi.waitFor(() => expect(tray.labels()).toContain('Recover notes (4)'));
    binding.stop();
  });

  it('"Recover notes" opens the note the crash notification offered (the status read by the one rule)', async () => {
    const { tray, controller, actions } = setup();
    const incident = { id: 'i', kind: 'crash' as const, app: 'x', profile: 'p', startedAt: new Date(T0).toISOString(), endedAt: null, sources: [], evidence: [], signature: null, clientName: 'EMIS Web' };
    const svc = service({ recoverableDrafts: 2, awaitingRecovery: { incident, drafts: 2, draftId: 'note-before-the-crash' } });
    const binding = bindTrayToService({ controller, service: svc, refreshEveryMs: 3_600_000 });
    await binding.refresh();
    tray.click('Recover notes (2)');
    expect(actions.recoverNotes).toHaveBeenCalledWith('note-before-the-crash');
    binding.stop();
  });

  it('still shows health when the vault cannot answer', async () => {
    const { tray, controller } = setup();
    const svc = service();
    svc.getStatus.mockImplementation(() => {
      throw new Error('vault busy');
    });
    svc.setHealth({ state: 'hung', since: T0, reason: '' });
    const lines: string[] = [];
    const binding = bindTrayToService({ controller, service: svc, log: (l) => lines.push(l) });
    await binding.refresh();
    expect(tray.images).toEqual(['/icons/hung.ico']);
    expect(lines[0]).toContain('vault busy');
    binding.stop();
  });
});
