/**
 * ClipboardSource on Windows: formats, Unicode text and owner of the clipboard. Holds the clipboard
 * open for as short as possible, with nothing awaited in between (no other program can copy while it
 * is open, the clinical client included), and always closes it.
 */
import type { ClipboardReading, ClipboardSource } from '../captureSource.ts';
import { clipboardFormatName, isRegisteredFormat } from './clipboardFormats.ts';
import { loadWin32Api } from './loadWin32Api.ts';
import { createWin32ClipboardCalls } from './win32ClipboardCalls.ts';
import type { ClipboardCalls } from './win32ClipboardCalls.ts';
import { CF_UNICODETEXT } from './win32Constants.ts';
import { createWin32Windows } from './win32Windows.ts';

/** Another program may hold the clipboard for a moment (clipboard managers, RDP): try again briefly. */
export const OPEN_ATTEMPTS = 3;
export const OPEN_RETRY_DELAY_MS = 20;
/** How long the owner gets to show it is alive before its data is asked for. */
export const OWNER_ANSWER_TIMEOUT_MS = 100;
const MAX_FORMATS = 64;

export function win32ClipboardCalls(): ClipboardCalls {
  const api = loadWin32Api('clipboard capture through user32');
  return createWin32ClipboardCalls(api, createWin32Windows(api));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class Win32ClipboardSource implements ClipboardSource {
  private readonly calls: ClipboardCalls;

  constructor(calls: ClipboardCalls = win32ClipboardCalls()) {
    this.calls = calls;
  }

  sequence(): Promise<number> {
    return Promise.resolve(this.calls.sequenceNumber());
  }

  /** Null when the clipboard stayed held by another program. */
  async read(maxChars: number): Promise<ClipboardReading | null> {
    const calls = this.calls;
    // Text copied with delayed rendering (OLE, .NET) is produced by the owner when asked for, and
    // GetClipboardData waits for it on this thread. So the owner must answer first, off this thread.
    const probedOwner = calls.owner();
    const probedOwnerAnswers = probedOwner === null || (await calls.answers(probedOwner, OWNER_ANSWER_TIMEOUT_MS));

    if (!(await this.open())) return null;
    try {
      const sequence = calls.sequenceNumber();
      const ids = calls.formatIds(MAX_FORMATS);
      const formats = ids.map((id) => clipboardFormatName(id, isRegisteredFormat(id) ? calls.registeredFormatName(id) : null));
      const owner = calls.owner();
      const ownerIsSafe = owner === null || (owner === probedOwner ? probedOwnerAnswers : !calls.isHung(owner));
      const { text, tooLarge } = ids.includes(CF_UNICODETEXT) && ownerIsSafe ? calls.unicodeText(maxChars) : { text: null, tooLarge: false };
      return { sequence, formats, text, tooLarge, ownerPid: owner === null ? null : calls.windowProcessId(owner) };
    } finally {
      calls.close();
    }
  }

  private async open(): Promise<boolean> {
    for (let attempt = 1; attempt <= OPEN_ATTEMPTS; attempt += 1) {
      if (this.calls.open()) return true;
      if (attempt < OPEN_ATTEMPTS) await sleep(OPEN_RETRY_DELAY_MS);
    }
    return false;
  }
}
