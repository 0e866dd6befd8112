const SHOWN_ISSUES = 3;

/**
 * The first few problems of a refused argument, each cut short: a hostile caller cannot make
 * the answer (or a log line) as large as its request.
 */
export function describeIssues(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
  const shown = issues.slice(0, SHOWN_ISSUES).map((i) => `${clip(i.path.map(String).join('.') || 'argument', 60)}: ${clip(i.message, 100)}`);
  const more = issues.length > SHOWN_ISSUES ? `; and ${issues.length - SHOWN_ISSUES} more` : '';
  return shown.join('; ') + more;
}
