import { requiredLiterals } from './regexLiterals.ts';

/** Profile patterns by what they mean. The lead's profiles (app/core/config) will build this. */
export interface LogPatterns {
  crash: readonly RegExp[];
  hang: readonly RegExp[];
  slow: readonly RegExp[];
}

/** In priority order: a record that shows a crash and a timeout is a crash. */
export const LOG_MATCH_KINDS = ['crash', 'hang', 'slow'] as const;
export type LogMatchKind = (typeof LOG_MATCH_KINDS)[number];

export interface LogMatcher {
  /** What a whole record (first line plus stack trace) shows, or null. */
  test(recordText: string): LogMatchKind | null;
  /** Whether any pattern matches this one line (grep's notion of a matching line). */
  testLine(line: string): boolean;
  /**
   * Strings one of which every matching line contains, or null when some pattern has no such
   * literal (or is case-insensitive): lets a scanner search bytes before decoding anything.
   */
  readonly literals: readonly string[] | null;
  /** Global, multiline expressions whose matches land on every line that testLine accepts (and maybe others). */
  readonly lineSearch: readonly RegExp[];
}

/**
 * Patterns are matched per line when scanning (profiles describe lines: "serious problem and
 * needs to close", "timed out"); a pattern meant to span lines only matches within a record
 * found by one of its lines.
 */
export function buildLogMatcher(patterns: LogPatterns): LogMatcher {
  const byKind = LOG_MATCH_KINDS.map((kind) => ({ kind, regexes: patterns[kind].map(withoutState) }));
  const all = byKind.flatMap((entry) => entry.regexes);
  const literalLists = all.map(requiredLiterals);
  const literals = all.length > 0 && literalLists.every((list) => list !== null) ? [...new Set(literalLists.flat() as string[])] : null;
  return {
    test(recordText) {
      for (const { kind, regexes } of byKind) if (regexes.some((re) => re.test(recordText))) return kind;
      return null;
    },
    testLine: (line) => all.some((re) => re.test(line)),
    literals,
    lineSearch: lineSearchFor(all),
  };
}

/** `g` and `y` make test() remember lastIndex between calls: never wanted for matching records. */
function withoutState(re: RegExp): RegExp {
  return new RegExp(re.source, re.flags.replace(/[gy]/g, ''));
}

/**
 * One combined expression per set of flags (one pass over the text instead of one per pattern).
 * Patterns with different i/s flags are not merged into one with modifier groups (?i:…): Node 22
 * cannot compile those. Backreferences would be renumbered by combining, and u/v syntax may not
 * mix with legacy syntax: those get one expression each. `m` is added so ^ and $ work per line in
 * a multi-line chunk.
 */
function lineSearchFor(regexes: readonly RegExp[]): RegExp[] {
  if (regexes.length === 0) return [];
  const searchFlags = (re: RegExp): string => `${re.flags.replace(/[gmy]/g, '')}gm`;
  const separate = (): RegExp[] => regexes.map((re) => new RegExp(re.source, searchFlags(re)));
  if (regexes.some((re) => /\\[1-9]|\\k</.test(re.source) || re.flags.includes('u') || re.flags.includes('v'))) return separate();
  const byFlags = new Map<string, string[]>();
  for (const re of regexes) byFlags.set(searchFlags(re), [...(byFlags.get(searchFlags(re)) ?? []), re.source]);
  try {
    return [...byFlags].map(([flags, sources]) => new RegExp(sources.map((source) => `(?:${source})`).join('|'), flags));
  } catch {
    return separate();
  }
}
