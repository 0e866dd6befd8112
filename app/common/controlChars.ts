/**
 * C0 controls except tab (so also CR and LF), DEL and C1 controls. Text from a log file, a share
 * file or an event can carry escape sequences that rewrite a terminal (move the cursor, hide or
 * forge lines, set the window title) or split one record into two lines of evidence.
 */
const isControl = (code: number): boolean => (code < 0x20 && code !== 0x09) || (code >= 0x7f && code <= 0x9f);

/** One line safe to print or write as text evidence: every control character becomes U+FFFD. */
export function withoutControlChars(text: string): string {
  let clean = true;
  for (let i = 0; i < text.length && clean; i++) clean = !isControl(text.charCodeAt(i));
  if (clean) return text;
  let out = '';
  for (const char of text) out += isControl(char.charCodeAt(0)) ? '\uFFFD' : char;
  return out;
}
