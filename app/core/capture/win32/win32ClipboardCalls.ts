/**
 * The clipboard as user32 exposes it. An interface so the clipboard source's ordering (open, read,
 * always close) is tested on Linux; the koffi implementation below is what runs on Windows.
 */
import koffi from 'koffi';
import type { Win32Api } from './loadWin32Api.ts';
import { asHandle } from './nativeValues.ts';
import { clipboardText, utf16ToString } from './utf16.ts';
import { CF_UNICODETEXT, SMTO_ABORTIFHUNG, WM_NULL } from './win32Constants.ts';
import type { WindowQueries } from './win32Windows.ts';

export interface ClipboardCalls {
  sequenceNumber(): number;
  /** The window that last put data on the clipboard; null after OpenClipboard(NULL) + EmptyClipboard. */
  owner(): bigint | null;
  windowProcessId(hwnd: bigint): number | null;
  /** A WM_NULL round trip to the owner's thread, waiting on a worker thread at most timeoutMs. */
  answers(hwnd: bigint, timeoutMs: number): Promise<boolean>;
  isHung(hwnd: bigint): boolean;
  open(): boolean;
  close(): void;
  /** Available format ids in the owner's order, at most `limit`. Clipboard must be open. */
  formatIds(limit: number): number[];
  registeredFormatName(id: number): string | null;
  /** CF_UNICODETEXT, at most maxChars. Clipboard must be open. */
  unicodeText(maxChars: number): { text: string | null; tooLarge: boolean };
}

/** Registered format names are at most 255 characters (RegisterClipboardFormat atoms). */
const FORMAT_NAME_CHARS = 256;

export function createWin32ClipboardCalls(api: Win32Api, windows: WindowQueries): ClipboardCalls {
  const { user32, kernel32 } = api;
  return {
    sequenceNumber: () => Number(user32.GetClipboardSequenceNumber()) >>> 0,
    owner: () => asHandle(user32.GetClipboardOwner()),
    windowProcessId: (hwnd) => windows.threadAndProcess(hwnd)?.pid ?? null,
    answers: async (hwnd, timeoutMs) => (await windows.sendMessageTimeout(hwnd, WM_NULL, 0, null, SMTO_ABORTIFHUNG, timeoutMs)).answered,
    isHung: (hwnd) => windows.isHung(hwnd),
    open: () => Number(user32.OpenClipboard(null)) !== 0,
    close: () => {
      user32.CloseClipboard();
    },

    formatIds(limit) {
      const ids: number[] = [];
      for (let id = Number(user32.EnumClipboardFormats(0)); id !== 0 && ids.length < limit; id = Number(user32.EnumClipboardFormats(id))) ids.push(id);
      return ids;
    },

    registeredFormatName(id) {
      const name = new Uint16Array(FORMAT_NAME_CHARS);
      const length = Number(user32.GetClipboardFormatNameW(id, name, name.length));
      return length > 0 ? utf16ToString(name.subarray(0, Math.min(length, name.length))) : null;
    },

    unicodeText(maxChars) {
      if (Number(user32.IsClipboardFormatAvailable(CF_UNICODETEXT)) === 0) return { text: null, tooLarge: false };
      const block = asHandle(user32.GetClipboardData(CF_UNICODETEXT));
      if (block === null) return { text: null, tooLarge: false };
      const memory = asHandle(kernel32.GlobalLock(block));
      if (memory === null) return { text: null, tooLarge: false };
      try {
        const blockUnits = Math.floor(Number(kernel32.GlobalSize(block)) / 2);
        // Never more than one unit past the budget: a 50 MB paste is only told apart, not copied.
        const count = Math.min(blockUnits, Math.max(0, Math.floor(maxChars)) + 1);
        const units = count > 0 ? (koffi.decode(memory, koffi.types.uint16_t, count) as Uint16Array) : new Uint16Array(0);
        return clipboardText(units, blockUnits, maxChars);
      } finally {
        kernel32.GlobalUnlock(block);
      }
    },
  };
}
