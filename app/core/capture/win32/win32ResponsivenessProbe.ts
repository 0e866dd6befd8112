/**
 * ResponsivenessProbe on Windows: times a WM_NULL round trip to the client's main window, the way
 * Windows itself decides an application is "Not Responding". WM_NULL does nothing in the client.
 */
import type { ProbeResult, ProbeTarget, ResponsivenessProbe } from '../captureSource.ts';
import { loadWin32Api } from './loadWin32Api.ts';
import { pickMainWindow } from './mainWindow.ts';
import { ERROR_INVALID_WINDOW_HANDLE, SMTO_ABORTIFHUNG, WM_NULL } from './win32Constants.ts';
import { createWin32Windows } from './win32Windows.ts';
import type { WindowQueries } from './win32Windows.ts';

export function win32ProbeWindows(): WindowQueries {
  return createWin32Windows(loadWin32Api('the responsiveness probe through user32'));
}

const NO_WINDOW: ProbeResult = { latencyMs: null, hungByOs: false, noWindow: true };

export class Win32ResponsivenessProbe implements ResponsivenessProbe {
  readonly name = 'win32-wm-null';
  private readonly windows: WindowQueries;
  private readonly now: () => number;

  constructor(windows: WindowQueries = win32ProbeWindows(), now: () => number = () => performance.now()) {
    this.windows = windows;
    this.now = now;
  }

  async probe(target: ProbeTarget, timeoutMs: number): Promise<ProbeResult> {
    const main = pickMainWindow(this.windows.topLevelWindows(target.pid));
    if (main === null) return NO_WINDOW;
    // Windows has already given up on it: SMTO_ABORTIFHUNG would return at once, so do not send.
    if (this.windows.isHung(main.hwnd)) return { latencyMs: null, hungByOs: true, noWindow: false };

    const started = this.now();
    const reply = await this.windows.sendMessageTimeout(main.hwnd, WM_NULL, 0, null, SMTO_ABORTIFHUNG, Math.max(1, Math.floor(timeoutMs)));
    const elapsed = this.now() - started;
    // The window closed between the lookup and the send: no window, no verdict.
    if (!reply.answered && reply.lastError === ERROR_INVALID_WINDOW_HANDLE) return NO_WINDOW;
    return { latencyMs: reply.answered ? elapsed : null, hungByOs: !reply.answered && this.windows.isHung(main.hwnd), noWindow: false };
  }
}
