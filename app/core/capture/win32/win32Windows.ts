/**
 * Questions about windows and processes, answered by user32/kernel32. An interface so the capture
 * sources and the probe can be exercised with a scripted desktop on Linux; the koffi implementation
 * below is what runs on Windows.
 */
import koffi from 'koffi';
import type { Win32Api } from './loadWin32Api.ts';
import { callOnWorker } from './koffiAsync.ts';
import { asHandle, toInt32 } from './nativeValues.ts';
import type { TopLevelWindow } from './mainWindow.ts';
import { utf16ToString } from './utf16.ts';
import { GA_ROOT, GW_OWNER, GWL_STYLE, PROCESS_QUERY_LIMITED_INFORMATION } from './win32Constants.ts';
import { GUITHREADINFO, RECT } from './win32Types.ts';

export interface MessageReply {
  /** SendMessageTimeoutW returned nonzero: the window's thread handled the message in time. */
  answered: boolean;
  /** What the window procedure returned (lpdwResult). */
  result: bigint;
  /** GetLastError when not answered: ERROR_TIMEOUT for a slow or hung thread. */
  lastError: number;
}

export interface WindowQueries {
  foregroundWindow(): bigint | null;
  threadAndProcess(hwnd: bigint): { threadId: number; pid: number } | null;
  /** Full path of the process's executable; null when the process is gone or refuses the query. */
  processImagePath(pid: number): string | null;
  /** The window that has the keyboard focus in that GUI thread (GetGUIThreadInfo), if any. */
  focusedWindow(threadId: number): bigint | null;
  rootWindow(hwnd: bigint): bigint;
  windowStyle(hwnd: bigint): number;
  className(hwnd: bigint): string;
  controlId(hwnd: bigint): number;
  windowTitle(hwnd: bigint): string;
  isHung(hwnd: bigint): boolean;
  topLevelWindows(pid: number): TopLevelWindow[];
  /** Never blocks the event loop: the send waits on a worker thread, at most timeoutMs. */
  sendMessageTimeout(hwnd: bigint, message: number, wParam: number, lParam: Uint16Array | null, flags: number, timeoutMs: number): Promise<MessageReply>;
}

/** Class names are at most 256 characters (WNDCLASS docs). */
const CLASS_NAME_CHARS = 257;
/** Titles longer than this are cut: they only label the window. */
const TITLE_CHARS = 512;
const IMAGE_PATH_CHARS = 4096;

export function createWin32Windows(api: Win32Api): WindowQueries {
  const { user32, kernel32 } = api;

  const readChars = (size: number, fill: (buffer: Uint16Array) => number): string => {
    const buffer = new Uint16Array(size);
    const length = Math.max(0, Math.min(size, Number(fill(buffer))));
    return utf16ToString(buffer.subarray(0, length));
  };

  return {
    foregroundWindow: () => asHandle(user32.GetForegroundWindow()),

    threadAndProcess(hwnd) {
      const pid = new Uint32Array(1);
      const threadId = Number(user32.GetWindowThreadProcessId(hwnd, pid));
      return threadId === 0 ? null : { threadId, pid: pid[0] ?? 0 };
    },

    processImagePath(pid) {
      const process = asHandle(kernel32.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, 0, pid));
      if (process === null) return null;
      try {
        const size = new Uint32Array([IMAGE_PATH_CHARS]);
        const path = new Uint16Array(IMAGE_PATH_CHARS);
        if (Number(kernel32.QueryFullProcessImageNameW(process, 0, path, size)) === 0) return null;
        return utf16ToString(path.subarray(0, size[0] ?? 0));
      } finally {
        kernel32.CloseHandle(process);
      }
    },

    focusedWindow(threadId) {
      const info = Buffer.alloc(GUITHREADINFO.size);
      info.writeUInt32LE(GUITHREADINFO.size, 0);
      if (Number(user32.GetGUIThreadInfo(threadId, info)) === 0) return null;
      const decoded = koffi.decode(info, GUITHREADINFO) as { hwndFocus: bigint | null };
      return asHandle(decoded.hwndFocus);
    },

    rootWindow: (hwnd) => asHandle(user32.GetAncestor(hwnd, GA_ROOT)) ?? hwnd,

    windowStyle: (hwnd) => toInt32(user32.GetWindowLongPtrW(hwnd, GWL_STYLE)),

    className: (hwnd) => readChars(CLASS_NAME_CHARS, (buffer) => user32.GetClassNameW(hwnd, buffer, buffer.length)),

    controlId: (hwnd) => toInt32(user32.GetDlgCtrlID(hwnd)),

    windowTitle: (hwnd) => readChars(TITLE_CHARS, (buffer) => user32.GetWindowTextW(hwnd, buffer, buffer.length)),

    isHung: (hwnd) => Number(user32.IsHungAppWindow(hwnd)) !== 0,

    topLevelWindows(pid) {
      const found: TopLevelWindow[] = [];
      const owner = new Uint32Array(1);
      // A transient callback: EnumWindows calls it synchronously and only reads the window list.
      user32.EnumWindows((hwnd: bigint | null) => {
        try {
          if (hwnd !== null && Number(user32.GetWindowThreadProcessId(hwnd, owner)) !== 0 && owner[0] === pid) {
            found.push(describeTopLevel(api, hwnd));
          }
        } catch {
          // A window destroyed mid-enumeration: skip it rather than stop the enumeration.
        }
        return 1;
      }, 0);
      return found;
    },

    sendMessageTimeout(hwnd, message, wParam, lParam, flags, timeoutMs) {
      const result = Buffer.alloc(8);
      return callOnWorker(user32.SendMessageTimeoutW, [hwnd, message, wParam, lParam, flags, timeoutMs, result], (returned) => {
        const answered = BigInt(returned as number | bigint) !== 0n;
        return { answered, result: result.readBigUInt64LE(0), lastError: answered ? 0 : Number(kernel32.GetLastError()) };
      });
    },
  };
}

function describeTopLevel(api: Win32Api, hwnd: bigint): TopLevelWindow {
  const { user32 } = api;
  const rect = Buffer.alloc(RECT.size);
  let area = 0;
  if (Number(user32.GetWindowRect(hwnd, rect)) !== 0) {
    const { left, top, right, bottom } = koffi.decode(rect, RECT) as { left: number; top: number; right: number; bottom: number };
    area = Math.max(0, right - left) * Math.max(0, bottom - top);
  }
  return {
    hwnd,
    visible: Number(user32.IsWindowVisible(hwnd)) !== 0,
    owned: asHandle(user32.GetWindow(hwnd, GW_OWNER)) !== null,
    area,
  };
}
