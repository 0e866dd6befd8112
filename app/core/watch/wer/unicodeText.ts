/**
 * Decodes the small text files Windows writes for crashes. Report.wer is UTF-16LE with a BOM;
 * an Event Viewer "Save as XML" file is UTF-16LE too; a `wevtutil > file.xml` redirect or a
 * copy edited on another machine may be UTF-8 with or without a BOM. We detect by BOM first,
 * then by where the NUL bytes sit (ASCII text in UTF-16 has a NUL in every other byte).
 */

export type TextEncodingName = 'utf-16le' | 'utf-16be' | 'utf-8';

export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
  hadBom: boolean;
}

/** The bytes are not text in any encoding we accept (binary junk, a truncated UTF-16 file...). */
export class UndecodableTextError extends Error {
  override readonly name = 'UndecodableTextError';
}

const SNIFF_BYTES = 512;

export function decodeUnicodeText(bytes: Uint8Array): DecodedText {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return utf16(bytes.subarray(2), 'utf-16le', true);
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return utf16(bytes.subarray(2), 'utf-16be', true);
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return utf8(bytes.subarray(3), true);
  const guess = guessUtf16WithoutBom(bytes);
  return guess === null ? utf8(bytes, false) : utf16(bytes, guess, false);
}

/** ASCII-range UTF-16 has its NULs all at odd (LE) or all at even (BE) offsets. */
export function guessUtf16WithoutBom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(bytes.length, SNIFF_BYTES);
  let oddNuls = 0;
  let evenNuls = 0;
  for (let i = 0; i < n; i++) {
    if (bytes[i] !== 0) continue;
    if (i % 2 === 1) oddNuls++;
    else evenNuls++;
  }
  const pairs = Math.floor(n / 2);
  if (pairs === 0) return null;
  if (oddNuls > pairs * 0.6 && evenNuls < pairs * 0.05) return 'utf-16le';
  if (evenNuls > pairs * 0.6 && oddNuls < pairs * 0.05) return 'utf-16be';
  return null;
}

function utf16(body: Uint8Array, encoding: 'utf-16le' | 'utf-16be', hadBom: boolean): DecodedText {
  if (body.length % 2 !== 0) {
    throw new UndecodableTextError(`odd number of bytes (${body.length}) for ${encoding}: the file is truncated or still being written`);
  }
  try {
    const text = new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(body);
    return { text, encoding, hadBom };
  } catch {
    throw new UndecodableTextError(`not valid ${encoding} text`);
  }
}

function utf8(body: Uint8Array, hadBom: boolean): DecodedText {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
    return { text, encoding: 'utf-8', hadBom };
  } catch {
    throw new UndecodableTextError('not valid UTF-8 or UTF-16 text (binary data?)');
  }
}

/** True when the text holds control characters that no Windows text report contains (NUL, bell...). */
export function hasBinaryControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return true;
  }
  return false;
}
