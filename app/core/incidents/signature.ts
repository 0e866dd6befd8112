/**
 * Stable error signatures, so "top errors" in reports counts the same fault once however often
 * it recurs: the .NET exception type (with its message when the message says something), or the
 * text with everything that varies between occurrences (numbers, GUIDs, paths, times) masked.
 */

const MAX_SIGNATURE_LENGTH = 160;

/** "System.OutOfMemoryException: message" — the .NET way an exception line starts. */
const EXCEPTION_WITH_MESSAGE = /\b((?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*Exception)\s*:\s*([^\r\n]*)/;
/** "Exception Info: System.OutOfMemoryException" (Event 1026) or a bare type in prose. */
const EXCEPTION_TYPE = /\b((?:[A-Za-z_]\w*\.)+[A-Za-z_]\w*Exception|[A-Z]\w*Exception)\b(?![.\w])/;
/** The message .NET writes when an exception has none of its own. */
const BOILERPLATE_MESSAGE = /^Exception of type '[^']*' was thrown\.?$/i;
/** Event 1000 and WER name native faults by code (e0434352 = a .NET exception, c0000005 = access violation). */
const EXCEPTION_CODE = /\bexception code\s*[:=]?\s*(?:0x)?([0-9a-f]{8})\b/i;

/** A log4net / NLog style prefix: timestamp, [thread or pid], level. */
const LOG_PREFIX = /^\s*\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?\s+(?:\[[^\]]*\]\s+)?(?:(?:FATAL|ERROR|WARN|WARNING|INFO|DEBUG|TRACE)\s+)?/i;

const MASKS: Array<[RegExp, string]> = [
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<guid>'],
  [/\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g, '<time>'],
  [/\b\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\b/g, '<time>'],
  [/(?:\b[A-Za-z]:\\|\\\\)[^\s'"<>|]*/g, '<path>'],
  [/(?<![\w<])\/(?:[\w.-]+\/)+[\w.-]*/g, '<path>'],
  [/\b0x[0-9a-f]+\b/gi, '<hex>'],
  // Bare hex words mixing digits and letters (7ffe4a2b, e0434352): addresses and hashes.
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{4,}\b/gi, '<hex>'],
  [/\d+(?:[.,]\d+)*/g, '<n>'],
];

function mask(text: string): string {
  let out = text;
  for (const [pattern, replacement] of MASKS) out = out.replace(pattern, replacement);
  return out.replace(/\s+/g, ' ').trim();
}

function cap(text: string): string {
  return text.length <= MAX_SIGNATURE_LENGTH ? text : `${text.slice(0, MAX_SIGNATURE_LENGTH - 1)}…`;
}

/**
 * The identity of a fault when the text names one: the .NET exception type (with its message when
 * the message says something beyond the boilerplate), or a native exception code. Null otherwise.
 */
export function exceptionSignature(text: string): string | null {
  const withMessage = EXCEPTION_WITH_MESSAGE.exec(text);
  if (withMessage) {
    const type = withMessage[1]!;
    const raw = (withMessage[2] ?? '').trim();
    const message = mask(raw);
    if (message === '' || BOILERPLATE_MESSAGE.test(raw)) return type;
    return cap(`${type}: ${message}`);
  }
  const type = EXCEPTION_TYPE.exec(text);
  if (type) return type[1]!;
  const code = EXCEPTION_CODE.exec(text);
  if (code) return `exception code 0x${code[1]!.toLowerCase()}`;
  return null;
}

/**
 * Turns an error line (or a whole multi-line record) into a stable signature:
 * - "System.OutOfMemoryException: Exception of type 'System.OutOfMemoryException' was thrown." → "System.OutOfMemoryException"
 * - "System.TimeoutException: Timeout after 30123 ms" → "System.TimeoutException: Timeout after <n> ms"
 * - "Exception code: 0xc0000005" → "exception code 0xc0000005" (the code is the identity, so it is kept)
 * - anything else: the first line, log prefix dropped, with numbers, GUIDs, hex, paths and times masked,
 *   so "Timeout after 30123 ms" and "Timeout after 29871 ms" give the same signature.
 */
export function normaliseSignature(text: string): string {
  const strong = exceptionSignature(text);
  if (strong !== null) return strong;
  const firstLine = (text.split(/\r?\n/).find((line) => line.trim() !== '') ?? '').replace(LOG_PREFIX, '');
  return cap(mask(firstLine));
}
