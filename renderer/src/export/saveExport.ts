import type { ApiArg, ExportedFile } from '../../../app/common/api.ts';
import { api } from '../api/client.ts';
import type { ActionMessage } from '../layout/ActionNotice.tsx';

/** Hands a file to the browser as a download: the bytes never leave this page for anywhere else. */
function download(file: ExportedFile & { data: string }): void {
  const bytes = Uint8Array.from(atob(file.data), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: file.mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  link.className = 'clipboard-helper';
  document.body.append(link);
  link.click();
  link.remove();
  // After the click has started the download; revoking at once can cancel it in some browsers.
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * A report or an evidence pack, as the desktop app (save dialog, main writes the file) or the
 * browser (a download) delivers it. Returns what to tell the user.
 */
export async function saveExport(arg: ApiArg<'exportFile'>): Promise<ActionMessage | null> {
  const result = await api.exportFile(arg);
  if (!result.ok) return { text: `Not saved: ${result.error.message}`, error: true };
  const file = result.value;
  if (file.data !== null) {
    download({ ...file, data: file.data });
    return { text: `Downloaded ${file.fileName} (${Math.max(1, Math.round(file.bytes / 1024))} KB). It holds no note text.`, error: false };
  }
  if (file.savedTo !== null) return { text: `Saved to ${file.savedTo}. It holds no note text.`, error: false };
  return null; // the GP cancelled the save dialog
}
