import type { ClipboardReading, ForegroundClient } from './captureSource.ts';

/**
 * Formats a password manager (KeePass, 1Password, Bitwarden…) adds to say "do not keep this".
 * ExcludeClipboardContentFromMonitorProcessing (its presence alone tells clipboard monitors to
 * leave the content alone) and the older "Clipboard Viewer Ignore" that clipboard managers honour.
 */
export const SECRET_CLIPBOARD_FORMATS = ['Clipboard Viewer Ignore', 'ExcludeClipboardContentFromMonitorProcessing'] as const;

export type ClipboardDecision =
  | { keep: true }
  | { keep: false; why: 'marked-secret' | 'too-large' | 'no-text' | 'empty' | 'client-not-foreground' | 'copied-by-another-program' };

/**
 * Whether one copy goes into the journal. Only text the GP copied from the clinical client while
 * it was foreground is kept: the owner check stops a copy from another program (a password
 * manager that forgets to mark its copies, an email) from being filed as the client's text.
 */
export function decideClipboard(reading: ClipboardReading, foreground: ForegroundClient | null): ClipboardDecision {
  const formats = new Set(reading.formats.map((f) => f.toLowerCase()));
  if (SECRET_CLIPBOARD_FORMATS.some((f) => formats.has(f.toLowerCase()))) return { keep: false, why: 'marked-secret' };
  if (reading.tooLarge) return { keep: false, why: 'too-large' };
  if (reading.text === null) return { keep: false, why: 'no-text' };
  if (reading.text.trim() === '') return { keep: false, why: 'empty' };
  if (foreground === null) return { keep: false, why: 'client-not-foreground' };
  if (reading.ownerPid !== null && reading.ownerPid !== foreground.pid) return { keep: false, why: 'copied-by-another-program' };
  return { keep: true };
}
