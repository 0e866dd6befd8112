import { RE2JS } from 're2js';

/**
 * One log pattern, ready to test text in bounded, linear time.
 *
 * Two engines, one contract (`^`/`$` match at line boundaries, `.` stops at a line end):
 * - built-in patterns run on V8's own engine: they are written so that a backtracking engine
 *   runs them in linear time (tests/unit/core/config/builtInPatterns.test.ts checks each with the recheck
 *   ReDoS checker, replaying any attack it reports on V8, and on adversarial lines), and V8 is
 *   30–100× faster than any JS engine;
 * - every pattern from a config or policy file runs on re2js, a linear-time engine (RE2's
 *   automata, no backtracking), so no pattern a practice writes can stall the watcher or the
 *   scan, whatever the line. RE2 syntax has no lookaround and no backreferences: such a pattern
 *   is refused when the file is loaded (LinearPatternError), never at 3 a.m.
 *
 * Matching looks only at a bounded prefix of what it is given (MATCH_PREFIX_CHARS per line,
 * MATCH_RECORD_CHARS per record): a 300 KB line costs what 4 KB costs.
 */
export interface LinePattern {
  readonly source: string;
  readonly ignoreCase: boolean;
  /** The V8 expression (flags include `m`) when this is a built-in pattern; null on re2js. */
  readonly native: RegExp | null;
  /** Whether the pattern matches `text` (a line, or a record's lines joined by "\n"). */
  test(text: string): boolean;
}

/** Characters of each line that patterns see: crash wording sits at the start of a log line. */
export const MATCH_PREFIX_CHARS = 4096;
/** Characters of a whole record (first line plus stack trace) that patterns see. */
export const MATCH_RECORD_CHARS = 64 * 1024;

/** A configured pattern that cannot run in linear time: says which and why, in words IT can act on. */
export class LinearPatternError extends Error {
  override readonly name = 'LinearPatternError';
}

/** A built-in pattern on V8 (`m` added so ^ and $ work per line inside a record). */
export function nativePattern(source: string, ignoreCase: boolean): LinePattern {
  const native = new RegExp(source, ignoreCase ? 'im' : 'm');
  return { source, ignoreCase, native, test: (text) => native.test(text) };
}

/** A configured pattern on re2js; throws LinearPatternError when RE2 cannot run it. */
export function linearPattern(source: string, ignoreCase: boolean): LinePattern {
  try {
    new RegExp(source, ignoreCase ? 'i' : '');
  } catch (error) {
    const reason = (error as Error).message.replace(/^Invalid regular expression: \/.*\/\w*: /s, '');
    throw new LinearPatternError(`invalid regular expression '${source}' — ${reason}`);
  }
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(source, RE2JS.MULTILINE | (ignoreCase ? RE2JS.CASE_INSENSITIVE : 0));
  } catch (error) {
    throw new LinearPatternError(explainRe2Error(source, error));
  }
  return { source, ignoreCase, native: null, test: (text) => compiled.test(text) };
}

function explainRe2Error(source: string, error: unknown): string {
  const detail = (error instanceof Error ? error.message : String(error)).replace(/^error parsing regexp: /, '');
  const unsupported = /\(\?<?[=!]/.test(source)
    ? 'lookahead and lookbehind are not supported'
    : /\\[1-9]|\\k</.test(source)
      ? 'backreferences are not supported'
      : detail;
  return `pattern '${source}' cannot be run in linear time: ${unsupported} (configured patterns run on a linear-time engine with RE2 syntax, so that no log line can stall Lifeboat; rewrite it without lookaround or backreferences)`;
}

/** The part of one line that patterns see. */
export function boundedLine(line: string): string {
  return line.length <= MATCH_PREFIX_CHARS ? line : line.slice(0, MATCH_PREFIX_CHARS);
}

/** A record's text as patterns see it: each line cut to MATCH_PREFIX_CHARS, the whole to MATCH_RECORD_CHARS. */
export function boundedRecord(text: string): string {
  if (text.length <= MATCH_PREFIX_CHARS) return text;
  const lines: string[] = [];
  let kept = 0;
  for (let start = 0; start <= text.length && kept < MATCH_RECORD_CHARS; ) {
    const newlineAt = text.indexOf('\n', start);
    const end = newlineAt === -1 ? text.length : newlineAt;
    const line = text.slice(start, Math.min(end, start + MATCH_PREFIX_CHARS));
    lines.push(line);
    kept += line.length + 1;
    if (newlineAt === -1) break;
    start = end + 1;
  }
  const joined = lines.join('\n');
  return joined.length <= MATCH_RECORD_CHARS ? joined : joined.slice(0, MATCH_RECORD_CHARS);
}
