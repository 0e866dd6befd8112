/**
 * UTF-16 code units (what WM_GETTEXT, the clipboard and BSTRs hold) to JS strings, bounded by a
 * character budget. Pure: the Win32 side only hands over the units.
 */

export interface BoundedText {
  text: string;
  /** There were more than maxChars units; `text` holds the first ones. */
  truncated: boolean;
}

/** The units before the first NUL: Win32 buffers are often larger than the string they hold. */
export function untilNul(units: Uint16Array): Uint16Array {
  const end = units.indexOf(0);
  return end === -1 ? units : units.subarray(0, end);
}

/**
 * At most maxChars units as a string. A cut never leaves the high half of a surrogate pair at the
 * end, which would turn into U+FFFD once encoded.
 */
export function boundedUtf16(units: Uint16Array, maxChars: number): BoundedText {
  const budget = Math.max(0, Math.floor(maxChars));
  if (units.length <= budget) return { text: utf16ToString(units), truncated: false };
  let end = budget;
  const last = units[end - 1];
  if (end > 0 && last !== undefined && last >= 0xd800 && last <= 0xdbff) end -= 1;
  return { text: utf16ToString(units.subarray(0, end)), truncated: true };
}

const CHUNK = 8192;

export function utf16ToString(units: Uint16Array): string {
  let out = '';
  for (let start = 0; start < units.length; start += CHUNK) {
    out += String.fromCharCode(...units.subarray(start, start + CHUNK));
  }
  return out;
}

/**
 * CF_UNICODETEXT in a global memory block of `blockUnits` units, of which `units` were read (at most
 * maxChars + 1). The string ends at the first NUL; a block with no NUL holds text up to its end.
 */
export function clipboardText(units: Uint16Array, blockUnits: number, maxChars: number): { text: string | null; tooLarge: boolean } {
  const budget = Math.max(0, Math.floor(maxChars));
  const nul = units.indexOf(0);
  const length = nul !== -1 ? nul : blockUnits > units.length ? Number.POSITIVE_INFINITY : units.length;
  if (length > budget) return { text: null, tooLarge: true };
  return { text: utf16ToString(units.subarray(0, length)), tooLarge: false };
}
