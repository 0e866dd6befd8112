/**
 * Clipboard format ids to the names the journal records. Standard formats by their winuser.h names;
 * registered formats (0xC000-0xFFFF) by the name they were registered with, looked up by the caller.
 */

const STANDARD_FORMATS: ReadonlyMap<number, string> = new Map([
  [1, 'CF_TEXT'],
  [2, 'CF_BITMAP'],
  [3, 'CF_METAFILEPICT'],
  [4, 'CF_SYLK'],
  [5, 'CF_DIF'],
  [6, 'CF_TIFF'],
  [7, 'CF_OEMTEXT'],
  [8, 'CF_DIB'],
  [9, 'CF_PALETTE'],
  [10, 'CF_PENDATA'],
  [11, 'CF_RIFF'],
  [12, 'CF_WAVE'],
  [13, 'CF_UNICODETEXT'],
  [14, 'CF_ENHMETAFILE'],
  [15, 'CF_HDROP'],
  [16, 'CF_LOCALE'],
  [17, 'CF_DIBV5'],
  [0x0080, 'CF_OWNERDISPLAY'],
  [0x0081, 'CF_DSPTEXT'],
  [0x0082, 'CF_DSPBITMAP'],
  [0x0083, 'CF_DSPMETAFILEPICT'],
  [0x008e, 'CF_DSPENHMETAFILE'],
]);

const CF_PRIVATEFIRST = 0x0200;
const CF_PRIVATELAST = 0x02ff;
const CF_GDIOBJFIRST = 0x0300;
const CF_GDIOBJLAST = 0x03ff;
const REGISTERED_FIRST = 0xc000;
const REGISTERED_LAST = 0xffff;

export function isRegisteredFormat(id: number): boolean {
  return id >= REGISTERED_FIRST && id <= REGISTERED_LAST;
}

/** `registeredName` is GetClipboardFormatNameW's answer for registered ids, null when it had none. */
export function clipboardFormatName(id: number, registeredName: string | null = null): string {
  const standard = STANDARD_FORMATS.get(id);
  if (standard) return standard;
  if (id >= CF_PRIVATEFIRST && id <= CF_PRIVATELAST) return `CF_PRIVATEFIRST+${id - CF_PRIVATEFIRST}`;
  if (id >= CF_GDIOBJFIRST && id <= CF_GDIOBJLAST) return `CF_GDIOBJFIRST+${id - CF_GDIOBJFIRST}`;
  if (isRegisteredFormat(id) && registeredName) return registeredName;
  return `#0x${id.toString(16).toUpperCase().padStart(4, '0')}`;
}
