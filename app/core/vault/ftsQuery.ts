/**
 * Turns what a GP types into a safe FTS5 query: every word quoted (so FTS syntax in the
 * text is inert), all words required, the last one matched as a prefix for search-as-you-type.
 * Returns null when there is nothing to search for.
 */
export function toFtsQuery(text: string): string | null {
  const words = text.normalize('NFC').match(/[\p{L}\p{N}_]+/gu);
  if (!words || words.length === 0) return null;
  return words.map((word, i) => `"${word.replace(/"/g, '""')}"${i === words.length - 1 ? '*' : ''}`).join(' ');
}
