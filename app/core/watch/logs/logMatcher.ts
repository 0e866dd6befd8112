import { boundedLine, boundedRecord, type LinePattern } from './linePattern.ts';
import { requiredLiterals } from './regexLiterals.ts';

/** Profile patterns by what they mean (compilePatterns in app/core/config builds them). */
export interface LogPatterns {
  crash: readonly LinePattern[];
  hang: readonly LinePattern[];
  slow: readonly LinePattern[];
}

/** In priority order: a record that shows a crash and a timeout is a crash. */
export const LOG_MATCH_KINDS = ['crash', 'hang', 'slow'] as const;
export type LogMatchKind = (typeof LOG_MATCH_KINDS)[number];

/**
 * How a scanner finds the lines worth testing in a big block of text, without running every
 * pattern on every line. Every line some pattern matches is found by at least one of these.
 */
export interface LinePrefilter {
  /**
   * Strings one of which every matching line of the literal-bearing patterns contains, searched
   * with ASCII case folding when `ignoreCase` (any of those patterns ignores case).
   */
  readonly literals: readonly string[];
  readonly ignoreCase: boolean;
  /** Global, multiline V8 searches for the built-in patterns that have no literal. */
  readonly patternSearch: readonly RegExp[];
  /** A configured pattern without a literal: every line must be tested (still linear, slower). */
  readonly everyLine: boolean;
}

export interface LogMatcher {
  /** What a whole record (first line plus stack trace) shows, or null. Looks at a bounded prefix. */
  test(recordText: string): LogMatchKind | null;
  /** Whether any pattern matches this one line (grep's notion of a matching line); bounded prefix. */
  testLine(line: string): boolean;
  readonly prefilter: LinePrefilter;
}

/**
 * Patterns apply per line (`^` and `$` at line boundaries) and to the record as a whole, on a
 * bounded prefix of each (linePattern.ts), so a pattern meant to span lines matches within the
 * record found by one of its lines.
 */
export function buildLogMatcher(patterns: LogPatterns): LogMatcher {
  const byKind = LOG_MATCH_KINDS.map((kind) => ({ kind, patterns: patterns[kind] }));
  const all = byKind.flatMap((entry) => entry.patterns);
  return {
    test(recordText) {
      const text = boundedRecord(recordText);
      for (const { kind, patterns: list } of byKind) if (list.some((p) => p.test(text))) return kind;
      return null;
    },
    testLine(line) {
      const text = boundedLine(line);
      return all.some((p) => p.test(text));
    },
    prefilter: prefilterFor(all),
  };
}

/** Literals per pattern where it has some; the pattern itself (V8) or every line where not. */
export function prefilterFor(patterns: readonly LinePattern[]): LinePrefilter {
  const literals = new Set<string>();
  let ignoreCase = false;
  const withoutLiterals: RegExp[] = [];
  let everyLine = false;
  for (const pattern of patterns) {
    const found = requiredLiterals({ source: pattern.source, flags: pattern.ignoreCase ? 'i' : '' });
    if (found) {
      for (const literal of found) literals.add(literal);
      if (pattern.ignoreCase) ignoreCase = true;
    } else if (pattern.native) withoutLiterals.push(pattern.native);
    else everyLine = true;
  }
  const list = withoutRedundant([...literals], ignoreCase);
  return { literals: list, ignoreCase, patternSearch: combineNative(withoutLiterals), everyLine };
}

/** A literal that contains another is found through the shorter one: search only the shorter. */
function withoutRedundant(literals: string[], ignoreCase: boolean): string[] {
  const fold = (s: string): string => (ignoreCase ? s.toLowerCase() : s);
  const sorted = [...literals].sort((a, b) => a.length - b.length);
  const kept: string[] = [];
  for (const literal of sorted) if (!kept.some((shorter) => fold(literal).includes(fold(shorter)))) kept.push(literal);
  return kept;
}

/**
 * One combined expression per set of flags (one pass over the text instead of one per pattern).
 * Patterns with different i flags are not merged into one with inline i-modifier groups: Node 22
 * cannot compile those. Backreferences would be renumbered by combining: those stay apart.
 */
function combineNative(regexes: readonly RegExp[]): RegExp[] {
  if (regexes.length === 0) return [];
  const searchFlags = (re: RegExp): string => `${re.flags.replace(/[gmy]/g, '')}gm`;
  const separate = (): RegExp[] => regexes.map((re) => new RegExp(re.source, searchFlags(re)));
  if (regexes.some((re) => /\\[1-9]|\\k</.test(re.source) || re.flags.includes('u') || re.flags.includes('v'))) return separate();
  const byFlags = new Map<string, string[]>();
  for (const re of regexes) byFlags.set(searchFlags(re), [...(byFlags.get(searchFlags(re)) ?? []), re.source]);
  return [...byFlags].map(([flags, sources]) => new RegExp(sources.map((source) => `(?:${source})`).join('|'), flags));
}
