/** Which of a process's top-level windows stands for its UI thread when probing responsiveness. */

export interface TopLevelWindow {
  hwnd: bigint;
  visible: boolean;
  /** Has an owner window: dialogs, tool windows, popups. */
  owned: boolean;
  /** Width x height in pixels; 0 for minimised or empty windows. */
  area: number;
}

/**
 * The largest visible unowned window: the main window, not a splash, a tooltip or a hidden
 * message-only helper. Null when there is none (starting up, or a background process).
 */
export function pickMainWindow(windows: readonly TopLevelWindow[]): TopLevelWindow | null {
  let best: TopLevelWindow | null = null;
  for (const candidate of windows) {
    if (!candidate.visible || candidate.owned) continue;
    if (best === null || candidate.area > best.area) best = candidate;
  }
  return best;
}
