import type { ClientCaptureView } from '../../common/api.ts';

export interface CaptureAvailability {
  textCaptureAvailable: boolean;
  clipboardAvailable: boolean;
  unavailable: string | null;
}

export const NO_CAPTURE_HERE: CaptureAvailability = { textCaptureAvailable: false, clipboardAvailable: false, unavailable: 'text capture is not running in this window' };

/**
 * What the Settings page tells the GP about text capture, in plain words: what is read, when,
 * what is never read, where it is kept and for how long. Clinical safety (docs/clinical-safety.md
 * H12, H13) relies on the GP being told this, so it is built here, not in the renderer.
 */
export function clientCaptureView(options: { enabled: boolean; clipboardJournal: boolean; clientName: string; retentionDays: number; clipboardMaxChars: number; availability: CaptureAvailability }): ClientCaptureView {
  const { clientName, retentionDays } = options;
  return {
    enabled: options.enabled,
    clipboardJournal: options.clipboardJournal,
    available: options.availability.textCaptureAvailable,
    clipboardAvailable: options.availability.clipboardAvailable,
    unavailableReason: options.availability.unavailable,
    description:
      `While ${clientName} is the window you are typing in, Lifeboat reads the text of the box you are typing in, about once a second, ` +
      `and keeps it encrypted on this computer so it can be given back if ${clientName} crashes or freezes. ` +
      `It only reads: it never types, clicks or changes anything in ${clientName}. It reads nothing while another program is in front, ` +
      `and never reads password boxes. The window title (which can show the patient's name) is kept only in a scrambled form. ` +
      `Text you delete is still in the earlier copies until they are removed after ${retentionDays} days, or when you discard the draft.`,
    clipboardDescription:
      `When this is on, text you copy from ${clientName} is kept too, as a draft for that day. ` +
      `Copies from other programs, anything a password manager marks as secret, and copies over ${options.clipboardMaxChars.toLocaleString('en-GB')} characters are never kept.`,
  };
}
