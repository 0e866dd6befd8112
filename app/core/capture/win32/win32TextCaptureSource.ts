/**
 * TextCaptureSource on Windows: the focused control of the clinical client's foreground window, read
 * with WM_GETTEXT and, for editors that keep their text elsewhere, UI Automation. Never sends input,
 * never moves the focus.
 */
import type { CaptureReading, ControlIdentity, ForegroundClient, TextCaptureSource } from '../captureSource.ts';
import { exeNameFromImagePath, formatWindowHandle } from './clientIdentity.ts';
import { hasPasswordStyle, isEditClass, uiaControlIdentity, win32ControlIdentity } from './controlIdentity.ts';
import { createUiAutomation, oleautBstrFunctions } from './createUiAutomation.ts';
import { loadWin32Api } from './loadWin32Api.ts';
import { UiaFocusReader } from './uiAutomationReader.ts';
import type { FocusedElementReader, UiaReading } from './uiAutomationReader.ts';
import { createWin32Windows } from './win32Windows.ts';
import type { WindowQueries } from './win32Windows.ts';
import { readTextByMessages } from './wmGetText.ts';
import type { MessageTextReading } from './wmGetText.ts';

/** Past this the reading gives up on UI Automation; its calls finish on their worker thread. */
export const UIA_READ_DEADLINE_MS = 1000;

export interface TextCaptureDeps {
  windows: WindowQueries;
  /** Null to rely on WM_GETTEXT alone. */
  uia: FocusedElementReader | null;
}

export function win32TextCaptureDeps(): TextCaptureDeps {
  const api = loadWin32Api('text capture through user32');
  return {
    windows: createWin32Windows(api),
    uia: new UiaFocusReader({ createAutomation: () => createUiAutomation(api), strings: oleautBstrFunctions(api) }),
  };
}

const NOT_FOREGROUND: CaptureReading = { kind: 'not-foreground' };

export class Win32TextCaptureSource implements TextCaptureSource {
  readonly name = 'win32-text';
  private readonly windows: WindowQueries;
  private readonly uia: FocusedElementReader | null;
  /** Reads run one at a time: two concurrent reads would only ask the same slow client twice. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(deps: TextCaptureDeps = win32TextCaptureDeps()) {
    this.windows = deps.windows;
    this.uia = deps.uia;
  }

  read(processNames: readonly string[], options: { maxChars: number }): Promise<CaptureReading> {
    const reading = this.queue.then(() => this.readOnce(processNames, options.maxChars));
    this.queue = reading.catch(() => undefined);
    return reading;
  }

  close(): void {
    this.uia?.close();
  }

  private async readOnce(processNames: readonly string[], maxChars: number): Promise<CaptureReading> {
    const windows = this.windows;
    const watched = new Set(processNames.map((name) => name.toLowerCase()));
    const foreground = windows.foregroundWindow();
    const owner = foreground === null ? null : windows.threadAndProcess(foreground);
    if (foreground === null || owner === null) return NOT_FOREGROUND;
    const processName = exeNameFromImagePath(windows.processImagePath(owner.pid));
    if (processName === null || !watched.has(processName)) return NOT_FOREGROUND;

    const root = windows.rootWindow(foreground);
    const client: ForegroundClient = { pid: owner.pid, processName, windowHandle: formatWindowHandle(root), windowTitle: windows.windowTitle(root) };

    // Focus can belong to another process's window when threads share input (AttachThreadInput).
    const focus = windows.focusedWindow(owner.threadId);
    if (focus === null || windows.threadAndProcess(focus)?.pid !== owner.pid) return { kind: 'no-focus', client };

    const className = windows.className(focus);
    const control = win32ControlIdentity(className, windows.controlId(focus));
    if (hasPasswordStyle(className, windows.windowStyle(focus))) return { kind: 'password', client, control };

    const byMessage = await readTextByMessages(windows, focus, className, maxChars);
    if (byMessage.kind === 'password') return { kind: 'password', client, control };
    if (byMessage.kind === 'text') return { kind: 'text', client, control, text: byMessage.text, via: 'wm-gettext', truncated: byMessage.truncated };
    // A UI thread that did not answer a message will not answer UI Automation either.
    if (byMessage.kind === 'no-answer') return { kind: 'unreadable', client, control, reason: byMessage.reason };

    const byUia = this.uia ? await withDeadline(this.uia.readFocused(owner.pid, maxChars), UIA_READ_DEADLINE_MS) : null;
    return fromUia(byUia, byMessage, client, control, className);
  }
}

function fromUia(byUia: UiaReading | null, byMessage: MessageTextReading, client: ForegroundClient, control: ControlIdentity, className: string): CaptureReading {
  if (byUia?.kind === 'text') {
    return { kind: 'text', client, control: uiaControlIdentity(byUia.identity, control), text: byUia.text, via: byUia.via, truncated: byUia.truncated };
  }
  if (byUia?.kind === 'password') return { kind: 'password', client, control: uiaControlIdentity(byUia.identity, control) };
  // An edit control that answered WM_GETTEXT with nothing is empty. A custom editor that did might
  // just keep its text elsewhere: reporting it empty could overwrite a saved draft, so it is unreadable.
  if (byMessage.kind === 'empty' && isEditClass(className)) return { kind: 'text', client, control, text: '', via: 'wm-gettext', truncated: false };
  const reasons = [byMessage.kind === 'failed' ? byMessage.reason : 'the control answered WM_GETTEXT with no text', uiaReason(byUia)];
  return { kind: 'unreadable', client, control, reason: reasons.join('; ') };
}

function uiaReason(byUia: UiaReading | null): string {
  if (byUia === null) return 'UI Automation is not in use';
  switch (byUia.kind) {
    case 'unavailable':
    case 'no-text':
      return byUia.reason;
    case 'elsewhere':
      return 'the focus moved to another process before UI Automation read it';
    default:
      return `UI Automation answered ${byUia.kind}`;
  }
}

function withDeadline(reading: Promise<UiaReading>, ms: number): Promise<UiaReading> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<UiaReading>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'unavailable', reason: `UI Automation did not answer within ${ms} ms` }), ms);
    timer.unref?.();
  });
  return Promise.race([reading, deadline]).finally(() => clearTimeout(timer));
}
