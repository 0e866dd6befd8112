import { isUtf8 } from 'node:buffer';
import { open } from 'node:fs/promises';
import { sniffEncoding } from '../watch/eventlog/eventFileReader.ts';
import { looksLikeEventTable } from '../watch/eventlog/eventTables.ts';

/**
 * What a file is, by its content, never by its name: IT hands over files renamed, zipped,
 * re-saved by an editor, UTF-16 without a BOM, or called Report.wer when they are not one.
 */
export type ArtefactKind = 'wer' | 'eventlog-xml' | 'eventviewer-text' | 'eventlog-json' | 'eventlog-csv' | 'log' | 'evtx' | 'binary' | 'empty';

const HEAD_BYTES = 8192;

const EVENT_XML_START = /^(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*(?:[-+]\s*)?(?:<Events\b[^>]*>\s*)?(?:[-+]\s*)?<Event[\s>]/;

export async function detectArtefact(path: string): Promise<ArtefactKind> {
  const handle = await open(path, 'r');
  let head: Buffer;
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  return classifyHead(head);
}

/** The decision on the first bytes alone (exported for tests). */
export function classifyHead(head: Buffer): ArtefactKind {
  if (head.length === 0) return 'empty';
  if (head.subarray(0, 8).toString('latin1') === 'ElfFile\u0000') return 'evtx';
  const { encoding, bomLength } = sniffEncoding(head.subarray(0, 512));
  const body = head.subarray(bomLength);
  const text = encoding === 'utf-8' ? utf8Text(body) : utf16Text(body, encoding);
  if (text === null) return 'binary';
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (/^Version=\d+\r?\nEventType=/.test(trimmed)) return 'wer';
  if (EVENT_XML_START.test(trimmed)) return 'eventlog-xml';
  if (/^Log Name:[ \t]/.test(trimmed)) return 'eventviewer-text';
  const table = looksLikeEventTable(trimmed);
  if (table !== null) return table === 'json' ? 'eventlog-json' : 'eventlog-csv';
  // A copy with other text around the event (a localized "Details" paste, a ticket): its Event Xml.
  if (/<Event xmlns=['"]http:\/\/schemas\.microsoft\.com\/win\/2004\/08\/events\/event['"]/.test(text)) return 'eventlog-xml';
  return 'log';
}

/** The head as text, or null when it is not text: invalid UTF-8 or control characters no text file holds. */
function utf8Text(bytes: Buffer): string | null {
  // The head may end inside a multi-byte character: drop up to 3 trailing bytes before checking.
  let end = bytes.length;
  while (end > 0 && end > bytes.length - 3 && (bytes[end - 1]! & 0xc0) === 0x80) end--;
  if (end > 0 && bytes[end - 1]! >= 0xc0) end--;
  const whole = bytes.subarray(0, end);
  if (!isUtf8(whole)) return null;
  const text = whole.toString('utf8');
  return looksLikeText(text) ? text : null;
}

function utf16Text(bytes: Buffer, encoding: 'utf-16le' | 'utf-16be'): string | null {
  const text = new TextDecoder(encoding).decode(bytes.subarray(0, bytes.length & ~1));
  return looksLikeText(text) ? text : null;
}

/** No NUL, and at most 1 % other control characters (tab, CR, LF, FF, VT, ESC are text). */
function looksLikeText(text: string): boolean {
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return false;
    if (c < 0x20 && c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 11 && c !== 27) control++;
    if (c === 0xfffd) control++;
  }
  return control * 100 <= text.length;
}
