/**
 * The log patterns Lifeboat ships with, for the built-in profiles (defaultProfiles.ts).
 *
 * They run on V8's backtracking engine for speed, so each is written to take linear time on any
 * line: no `X.*Y` that restarts at every X (a line of 100 000 "ERROR"s made the old
 * `\b(?:FATAL|ERROR)\b.*(?:…Exception)` quadratic: 164 s for 1 MiB). The level-then-exception
 * pattern is anchored at the line start and skips to the FIRST level word with a tempered
 * repetition, so each line is walked once. tests/unit/core/config/builtInPatterns.test.ts checks every one
 * with the recheck ReDoS checker (any attack it reports is replayed on V8 and must cost linear
 * time) and times them on adversarial lines. Patterns from config
 * and policy files are not trusted this way: they run on re2js (linearPattern.ts).
 */

export type BuiltInPattern = string | { pattern: string; caseSensitive: boolean };

/** Log levels are matched case-sensitively: "error" in prose is not a level. */
export const FATAL_LEVEL: BuiltInPattern = { pattern: String.raw`\bFATAL\b`, caseSensitive: true };

/** A FATAL or ERROR record whose line names an unhandled or System.*Exception (log4net, NLog). */
export const LEVEL_THEN_EXCEPTION: BuiltInPattern = {
  pattern: String.raw`^(?:(?!\b(?:FATAL|ERROR)\b).)*\b(?:FATAL|ERROR)\b.*(?:[Uu]nhandled ?[Ee]xception|UNHANDLED ?EXCEPTION|System\.\w+Exception)`,
  caseSensitive: true,
};

/** .NET crash-report files (Greenshot and many WinForms apps): "Exception: System.NullReferenceException", then "Stack:". */
export const CRASH_REPORT_EXCEPTION: BuiltInPattern = String.raw`^Exception: [A-Za-z_][\w.]*Exception\b`;

/** .NET log4net/NLog-style crash lines, the clients' own crash dialog, and crash-report files. */
export const DOTNET_CRASH: readonly BuiltInPattern[] = [
  'has encountered a serious problem and needs to close',
  LEVEL_THEN_EXCEPTION,
  'OutOfMemoryException',
  FATAL_LEVEL,
  CRASH_REPORT_EXCEPTION,
];

export const JAVA_CRASH: readonly BuiltInPattern[] = [
  String.raw`Exception in thread "[^"\n]*"`,
  String.raw`java\.lang\.OutOfMemoryError`,
  'A fatal error has been detected by the Java Runtime Environment',
  'has encountered a (?:serious|fatal) (?:problem|error)',
  FATAL_LEVEL,
];

export const GENERIC_CRASH: readonly BuiltInPattern[] = ['has encountered a serious problem', String.raw`Unhandled ?exception`, 'OutOfMemory', CRASH_REPORT_EXCEPTION];

/** "stopped interacting with Windows and was closed" is Windows' own hang wording (Event 1002), often copied into logs. */
export const HANG: readonly BuiltInPattern[] = ['not responding', 'timed out waiting', 'deadlock', String.raw`UI thread (?:is )?blocked`, 'stopped interacting with Windows'];
export const SLOW: readonly BuiltInPattern[] = [String.raw`took \d{4,} ?ms`, String.raw`\bslow\b`, 'timed out'];

/** GUESS: wording of a clean shutdown record. */
export const NORMAL_EXIT: readonly BuiltInPattern[] = [String.raw`application (?:is )?shutting down`, String.raw`user (?:closed|logged (?:off|out))`];
export const SIM_SLOW: BuiltInPattern = 'queue backing up';
export const SIM_NORMAL_EXIT: BuiltInPattern = 'Application shutting down';

export const ALL_BUILT_IN_PATTERNS: readonly BuiltInPattern[] = [
  ...DOTNET_CRASH, ...JAVA_CRASH, ...GENERIC_CRASH, ...HANG, ...SLOW, ...NORMAL_EXIT, SIM_SLOW, SIM_NORMAL_EXIT,
];

const BUILT_IN_SOURCES = new Set(ALL_BUILT_IN_PATTERNS.map((p) => (typeof p === 'string' ? p : p.pattern)));

/**
 * Whether this source ships with Lifeboat and so runs on V8 (in either case mode: the test proves
 * both linear). A policy that repeats a built-in, with or without caseSensitive, gets the same.
 */
export function isBuiltInSource(source: string): boolean {
  return BUILT_IN_SOURCES.has(source);
}
