/**
 * The literal text a regular expression cannot match without: for /timed out after \d+ ms/ that
 * is "timed out after "; for /\b(?:FATAL|ERROR)\b.*Exception/ either "FATAL" or "ERROR" (or
 * "Exception"). A scanner can then search for the literals first (fast) and run the real
 * expression only on the few lines that contain one. Conservative by design: whenever the syntax
 * is not plainly understood the answer is null, and the caller falls back to running the
 * expression everywhere. Correctness never depends on this file, only speed.
 *
 * Case-insensitive patterns get literals too, as long as they are ASCII: the caller searches
 * them with ASCII case folding. (A non-ASCII letter folds in ways a byte search cannot follow.)
 */

/** Literals with too few characters would match nearly every line and make the search pointless. */
const MIN_LITERAL_LENGTH = 3;

/** What requiredLiterals reads: a RegExp, or a pattern's source with the flags it runs with. */
export interface PatternText {
  source: string;
  flags: string;
}

/** Strings one of which every match contains (one set per top-level alternative, merged), or null. */
export function requiredLiterals(pattern: PatternText): string[] | null {
  const context = { vMode: pattern.flags.includes('v'), ignoreCase: pattern.flags.includes('i') };
  const best = bestFactorOfDisjunction(pattern.source, context);
  return best === null ? null : [...new Set(best)];
}

interface Context {
  vMode: boolean;
  ignoreCase: boolean;
}

/** For `a|b|c`: the union of each alternative's best factor; null when one alternative has none. */
function bestFactorOfDisjunction(source: string, context: Context): string[] | null {
  const alternatives = splitTopLevel(source, context.vMode);
  if (!alternatives) return null;
  const union: string[] = [];
  for (const alternative of alternatives) {
    const factors = requiredFactors(alternative, context);
    if (!factors) return null;
    const best = pickBest(factors);
    if (!best) return null;
    union.push(...best);
  }
  return union;
}

/** The factor whose shortest string is longest (fewer strings on a tie): the most selective search. */
function pickBest(factors: string[][]): string[] | null {
  let best: string[] | null = null;
  let bestMin = 0;
  for (const factor of factors) {
    const min = Math.min(...factor.map((s) => s.length));
    if (min < MIN_LITERAL_LENGTH) continue;
    if (best === null || min > bestMin || (min === bestMin && factor.length < best.length)) {
      best = factor;
      bestMin = min;
    }
  }
  return best;
}

/**
 * Sets of strings that every match of this alternative contains one of: each plain run of
 * characters, and each group that must appear (not followed by ?, * or {0,…}).
 */
function requiredFactors(alternative: string, context: Context): string[][] | null {
  const factors: string[][] = [];
  let current = '';
  let lastAtomIsLiteral = false;
  const endRun = (): void => {
    if (current && (!context.ignoreCase || isAscii(current))) factors.push([current]);
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
    } else if (c === '[') {
      endRun();
      i = skipClass(alternative, i, context.vMode);
      if (i < 0) return null;
    } else if (c === '(') {
      endRun();
      const end = skipGroup(alternative, i, context.vMode);
      if (end < 0) return null;
      const quantifier = alternative.slice(end);
      const optional = /^(?:[*?]|\{0[,}])/.test(quantifier);
      const lookaround = /^\(\?<?[=!]/.test(alternative.slice(i));
      if (!optional && !lookaround) {
        const inner = alternative.slice(i + 1, end - 1).replace(/^\?(?::|<[A-Za-z_$][\w$]*>)/, '');
        if (!/^\?/.test(inner)) {
          const group = bestFactorOfDisjunction(inner, context);
          if (group) factors.push(group);
        }
      }
      i = end;
    } else if (c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d+(,\d*)?\}/.test(alternative.slice(i)))) {
      // The quantified atom may be absent (or repeated): it cannot be part of a required run.
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
  return factors;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
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
