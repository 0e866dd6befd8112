/**
 * Reads a standard control's text with WM_GETTEXTLENGTH then WM_GETTEXT, the way screen readers'
 * Win32 fallbacks do. Each message is a SendMessageTimeoutW that gives up after 200 ms, or at once
 * when Windows already considers the client hung, and waits on a worker thread.
 */
import { isEditClass } from './controlIdentity.ts';
import { boundedUtf16, untilNul } from './utf16.ts';
import { EM_GETPASSWORDCHAR, ERROR_TIMEOUT, SMTO_ABORTIFHUNG, SMTO_BLOCK, WM_GETTEXT, WM_GETTEXTLENGTH } from './win32Constants.ts';
import type { MessageReply, WindowQueries } from './win32Windows.ts';

export const TEXT_MESSAGE_TIMEOUT_MS = 200;
const FLAGS = SMTO_ABORTIFHUNG | SMTO_BLOCK;

export type MessageTextReading =
  | { kind: 'password' }
  | { kind: 'text'; text: string; truncated: boolean }
  /** The control answered with no text: empty, or a custom editor that keeps its text elsewhere. */
  | { kind: 'empty' }
  /** The client's UI thread did not answer in time: asking it anything else now would wait too. */
  | { kind: 'no-answer'; reason: string }
  /** The message could not be sent (window gone, or UIPI refusing a non-elevated sender). */
  | { kind: 'failed'; reason: string };

export async function readTextByMessages(windows: WindowQueries, hwnd: bigint, className: string, maxChars: number): Promise<MessageTextReading> {
  const send = (message: number, wParam: number, buffer: Uint16Array | null): Promise<MessageReply> =>
    windows.sendMessageTimeout(hwnd, message, wParam, buffer, FLAGS, TEXT_MESSAGE_TIMEOUT_MS);

  // Edit controls given a password character through EM_SETPASSWORDCHAR (VB6, Delphi) lack ES_PASSWORD.
  if (isEditClass(className)) {
    const passwordChar = await send(EM_GETPASSWORDCHAR, 0, null);
    if (!passwordChar.answered) return notAnswered(passwordChar, 'EM_GETPASSWORDCHAR');
    if (passwordChar.result !== 0n) return { kind: 'password' };
  }

  const length = await send(WM_GETTEXTLENGTH, 0, null);
  if (!length.answered) return notAnswered(length, 'WM_GETTEXTLENGTH');
  const total = Number(length.result);
  if (total <= 0) return { kind: 'empty' };

  const budget = Math.max(0, Math.floor(maxChars));
  // One unit past the budget tells a cut from an exact fit; one more holds the terminating NUL.
  const wanted = Math.min(total, budget + 1);
  const buffer = new Uint16Array(wanted + 1);
  const text = await send(WM_GETTEXT, buffer.length, buffer);
  if (!text.answered) return notAnswered(text, 'WM_GETTEXT');
  const units = untilNul(buffer.subarray(0, Math.min(Number(text.result), wanted)));
  if (units.length === 0) return { kind: 'empty' };
  return { kind: 'text', ...boundedUtf16(units, budget) };
}

function notAnswered(reply: MessageReply, message: string): MessageTextReading {
  if (reply.lastError === ERROR_TIMEOUT || reply.lastError === 0) {
    return { kind: 'no-answer', reason: `the client did not answer ${message} within ${TEXT_MESSAGE_TIMEOUT_MS} ms` };
  }
  return { kind: 'failed', reason: `${message} failed (Windows error ${reply.lastError})` };
}
