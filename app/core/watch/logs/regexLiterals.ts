/**
 * The literal text a regular expression cannot match without: for /timed out after \d+ ms/ that
 * is "timed out after ". A scanner can then search raw bytes for the literals (fast, no decoding)
 * and run the real expression only on the few lines that contain one. Conservative by design:
 * whenever the syntax is not plainly understood the answer is null, and the caller falls back to
 * decoding and running the expression everywhere. Correctness never depends on this file, only speed.
 */

/** Literals with too few characters would match nearly every line and make the byte search pointless. */
const MIN_LITERAL_LENGTH = 3;

/** One literal per top-level alternative (any match contains at least one), or null. */
export function requiredLiterals(pattern: RegExp): string[] | null {
  const alternatives = splitTopLevel(pattern.source, pattern.flags.includes('v'));
  if (!alternatives) return null;
  const literals = new Set<string>();
  for (const alternative of alternatives) {
    const runs = literalRuns(alternative, pattern.flags.includes('v'));
    if (!runs) return null;
    const longest = runs.reduce((best, run) => (run.length > best.length ? run : best), '');
    if (longest.length < MIN_LITERAL_LENGTH) return null;
    // Byte search is case-sensitive: a case-insensitive literal with letters cannot be searched for.
    if (pattern.flags.includes('i') && longest.toLowerCase() !== longest.toUpperCase()) return null;
    literals.add(longest);
  }
  return [...literals];
}

function splitTopLevel(source: string, vMode: boolean): string[] | null {
  const parts: string[] = [];
  let start = 0;
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === '\\') i += 2;
    else if (c === '[') i = skipClass(source, i, vMode);
    else if (c === '(') i = skipGroup(source, i, vMode);
    else if (c === '|') {
      parts.push(source.slice(start, i));
      start = ++i;
    } else i++;
    if (i < 0) return null;
  }
  parts.push(source.slice(start));
  return parts;
}

/** Runs of characters that every match of this alternative contains, in order. */
function literalRuns(alternative: string, vMode: boolean): string[] | null {
  const runs: string[] = [];
  let current = '';
  let lastAtomIsLiteral = false;
  const endRun = (): void => {
    if (current) runs.push(current);
    current = '';
    lastAtomIsLiteral = false;
  };
  let i = 0;
  while (i < alternative.length) {
    const c = alternative[i]!;
    if (c === '\\') {
      const next = alternative[i + 1];
      if (next === undefined) return null;
      if (/[A-Za-z0-9]/.test(next)) {
        // \d \w \s \b, \x41, \u0041, \p{L}, \k<name>, \1 ...: not a plain character.
        endRun();
        i = skipEscape(alternative, i);
        if (i < 0) return null;
      } else {
        current += next;
        lastAtomIsLiteral = true;
        i += 2;
      }
    } else if (c === '[' || c === '(') {
      endRun();
      i = c === '[' ? skipClass(alternative, i, vMode) : skipGroup(alternative, i, vMode);
      if (i < 0) return null;
    } else if (c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d+(,\d*)?\}/.test(alternative.slice(i)))) {
      // The quantified character may be absent (or repeated): it cannot be part of a required run.
      if (lastAtomIsLiteral) current = current.slice(0, -1);
      endRun();
      i = c === '{' ? alternative.indexOf('}', i) + 1 : i + 1;
      if (alternative[i] === '?') i++;
    } else if (c === '.' || c === '^' || c === '$') {
      endRun();
      i++;
    } else if (c === ')' || c === ']' || c === '{' || c === '}') {
      return null;
    } else {
      current += c;
      lastAtomIsLiteral = true;
      i++;
    }
  }
  endRun();
  return runs;
}

function skipEscape(source: string, at: number): number {
  const kind = source[at + 1]!;
  const rest = source.slice(at);
  if (kind === 'x') return at + 4;
  if (kind === 'c') return at + 3;
  if (kind === 'u') return rest[2] === '{' ? at + rest.indexOf('}') + 1 || -1 : at + 6;
  if (kind === 'p' || kind === 'P') return rest[2] === '{' ? at + rest.indexOf('}') + 1 || -1 : at + 2;
  if (kind === 'k') return rest[2] === '<' ? at + rest.indexOf('>') + 1 || -1 : at + 2;
  const digits = /^\\\d+/.exec(rest);
  return digits ? at + digits[0].length : at + 2;
}

/** Index after the character class opening at `at`, or -1. Classes nest only in v mode. */
function skipClass(source: string, at: number, vMode: boolean): number {
  let depth = 0;
  for (let i = at; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '[' && (depth === 0 || vMode)) depth++;
    else if (c === ']' && --depth === 0) return i + 1;
  }
  return -1;
}

/** Index after the group opening at `at`, or -1. */
function skipGroup(source: string, at: number, vMode: boolean): number {
  let depth = 0;
  for (let i = at; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '[') {
      i = skipClass(source, i, vMode) - 1;
      if (i < 0) return -1;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  return -1;
}
