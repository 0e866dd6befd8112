import type { HealthState } from '../common/incident.ts';
import { clockTime, trayStatusLine, trayTooltip } from '../core/notify/notifyText.ts';
import type { MenuItemSpec, TrayPort } from './electronPorts.ts';
import type { LifeboatServiceHandle } from './lifeboatService.ts';

export interface TrayActions {
  newNote(): void;
  /** Opens Recovery on `draftId` (the note offered for the latest incident), or on its list when null. */
  recoverNotes(draftId: string | null): void;
  incidents(): void;
  /** Pause for an hour, or resume when already paused. */
  togglePause(paused: boolean): void;
  settings(): void;
  quit(): void;
}

export interface TrayView {
  state: HealthState;
  /** Epoch ms the state began. */
  since: number;
  clientDisplayName: string;
  pausedUntil: number | null;
  recoverableDrafts: number;
  /** The note from before the latest crash or hang not yet dealt with (noteBeforeIncident's offer), or null. */
  noteToRecover: string | null;
}

export interface TrayControllerOptions {
  tray: TrayPort;
  /** The icon file for a state (ICO on Windows, PNG elsewhere). */
  iconFor(state: HealthState): string;
  actions: TrayActions;
  timeZone?: string;
}

/**
 * Health → tray icon, tooltip and menu. The icon changes only when the state does (Windows
 * flickers on needless setImage); tooltip and menu follow every update.
 */
export class TrayController {
  private readonly options: TrayControllerOptions;
  private shownState: HealthState | null = null;
  private view: TrayView | null = null;

  constructor(options: TrayControllerOptions) {
    this.options = options;
  }

  current(): TrayView | null {
    return this.view;
  }

  show(view: TrayView): void {
    const { tray, iconFor, timeZone } = this.options;
    this.view = view;
    if (view.state !== this.shownState) {
      tray.setImage(iconFor(view.state));
      this.shownState = view.state;
    }
    tray.setToolTip(trayTooltip({ state: view.state, since: view.since, clientDisplayName: view.clientDisplayName, pausedUntil: view.pausedUntil, timeZone }));
    tray.setContextMenu(this.menu(view));
  }

  /** Updates part of the view (a count, the pause) and redraws. */
  patch(change: Partial<TrayView>): void {
    if (this.view) this.show({ ...this.view, ...change });
  }

  private menu(view: TrayView): MenuItemSpec[] {
    const { actions, timeZone } = this.options;
    const paused = view.pausedUntil !== null;
    return [
      { label: trayStatusLine(view.state, view.clientDisplayName), enabled: false },
      { type: 'separator' },
      { label: 'New note', click: () => actions.newNote() },
      { label: view.recoverableDrafts > 0 ? `Recover notes (${view.recoverableDrafts})` : 'Recover notes', click: () => actions.recoverNotes(view.noteToRecover) },
      { label: 'Incidents', click: () => actions.incidents() },
      { type: 'separator' },
      {
        label: paused ? `Resume notifications (paused until ${clockTime(view.pausedUntil!, timeZone, false)})` : 'Pause notifications for 1 hour',
        click: () => actions.togglePause(paused),
      },
      { label: 'Settings', click: () => actions.settings() },
      { type: 'separator' },
      { label: 'Quit', click: () => actions.quit() },
    ];
  }
}

export interface TrayBinding {
  /** Re-reads the full view (counts, pause) from the service. */
  refresh(): Promise<void>;
  stop(): void;
}

/**
 * Keeps the tray in step with the service: a health event changes icon and tooltip at once
 * (no vault query); incidents and notifications, and a slow timer (the pause runs out, drafts
 * age), re-read the counts and the pause through getStatus.
 */
export function bindTrayToService(deps: {
  controller: TrayController;
  service: Pick<LifeboatServiceHandle, 'health' | 'handlers' | 'events'>;
  refreshEveryMs?: number;
  log?: (line: string) => void;
}): TrayBinding {
  const { controller, service } = deps;
  const log = deps.log ?? (() => {});
  const refresh = async (): Promise<void> => {
    const health = service.health();
    try {
      const status = await service.handlers.getStatus({});
      controller.show({
        state: health.state,
        since: health.since,
        clientDisplayName: status.profileDisplayName,
        pausedUntil: status.notificationsPausedUntil === null ? null : Date.parse(status.notificationsPausedUntil),
        recoverableDrafts: status.recoverableDrafts,
        noteToRecover: status.awaitingRecovery?.draftId ?? null,
      });
    } catch (err) {
      // The vault can be busy or full; the tray must still show health.
      log(`tray: status unavailable: ${err instanceof Error ? err.message : String(err)}`);
      const previous = controller.current();
      controller.show({ clientDisplayName: '', pausedUntil: null, recoverableDrafts: 0, noteToRecover: null, ...previous, state: health.state, since: health.since });
    }
  };
  const unsubscribe = service.events.subscribe((event) => {
    if (event.type === 'health') controller.patch({ state: event.state, since: Date.parse(event.at) });
    else void refresh();
  });
  const timer = setInterval(() => void refresh(), deps.refreshEveryMs ?? 60_000);
  timer.unref?.();
  return {
    refresh,
    stop: () => {
      clearInterval(timer);
      unsubscribe();
    },
  };
}
