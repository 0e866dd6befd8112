/**
 * The tests a vitest file declares, found by reading its source (no import, no run): each
 * describe/it/test call with a literal title, its describe path, and whether it is skipped.
 *
 * Why a static scan rather than vitest's own collection (`vitest list`): collecting imports every
 * cited file, which for the integration, e2e and Wine tests starts nothing but costs seconds each
 * and needs their prerequisites; the hazard check runs inside the unit suite on every commit and
 * must be quick and deterministic. The price: a title built at run time (a template with ${…},
 * it.each's %s) cannot be cited, and the check says so rather than guess.
 *
 * Skipped: `.skip`, `.todo`, `ctx.skip()` is not seen (it decides at run time); `.skipIf(c)` and
 * `.runIf(c)` are evaluated when `c` compares process.platform with a string (the only run-time
 * condition the check can know here); any other condition is reported as `conditional` with its
 * text, and the safety case looks it up in the last run's results.
 */

export type TestMode = 'run' | 'skip' | 'todo' | 'conditional';

export interface DeclaredTest {
  /** The it/test title, exactly as written. */
  title: string;
  /** Enclosing describe titles, outermost first. */
  path: string[];
  mode: TestMode;
  /** For a conditional test: the skipIf/runIf condition's source text. */
  condition?: string;
  line: number;
}

interface Call {
  kind: 'describe' | 'test';
  title: string | null;
  mode: TestMode;
  condition?: string;
  /** Index of the opening parenthesis of the call's arguments, and of its matching close. */
  open: number;
  close: number;
  line: number;
}

const CALL = /\b(describe|it|test)((?:\.(?:skip|only|todo|concurrent|sequential|each|skipIf|runIf|fails))*)\s*\(/g;

/** Whether the `/` at i starts a regular expression literal (not a division): by what precedes it. */
function startsRegex(src: string, i: number): boolean {
  let k = i - 1;
  while (k >= 0 && /\s/.test(src[k]!)) k--;
  if (k < 0) return true;
  if ('(,=:[!&|?{};+-*%<>~^'.includes(src[k]!)) return true;
  return /\b(?:return|typeof|case|of|in)$/.test(src.slice(Math.max(0, k - 6), k + 1));
}

/** Index just past a string, comment or regular expression starting at i, or i when none starts there. */
function skipNonCode(src: string, i: number): number {
  const c = src[i];
  if (c === '/' && src[i + 1] === '/') {
    const end = src.indexOf('\n', i);
    return end === -1 ? src.length : end;
  }
  if (c === '/' && src[i + 1] === '*') {
    const end = src.indexOf('*/', i + 2);
    return end === -1 ? src.length : end + 2;
  }
  if (c === '/' && startsRegex(src, i)) {
    let j = i + 1;
    let inClass = false;
    while (j < src.length && src[j] !== '\n' && (inClass || src[j] !== '/')) {
      if (src[j] === '\\') j++;
      else if (src[j] === '[') inClass = true;
      else if (src[j] === ']') inClass = false;
      j++;
    }
    return j + 1;
  }
  if (c === "'" || c === '"' || c === '`') {
    let j = i + 1;
    while (j < src.length && src[j] !== c) {
      if (src[j] === '\\') j++;
      else if (c === '`' && src[j] === '$' && src[j + 1] === '{') j = matchClose(src, j + 1, '{', '}');
      j++;
    }
    return j + 1;
  }
  return i;
}

/** Index of the bracket closing the one at `open`, skipping strings and comments. */
function matchClose(src: string, open: number, opener: string, closer: string): number {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    const skipped = skipNonCode(src, i);
    if (skipped !== i) {
      i = skipped - 1;
      continue;
    }
    if (src[i] === opener) depth++;
    else if (src[i] === closer && --depth === 0) return i;
  }
  return src.length;
}

/** The literal string at i (after blanks), or null when the argument is not a plain literal. */
function literalAt(src: string, i: number): string | null {
  while (/\s/.test(src[i] ?? '')) i++;
  const quote = src[i];
  if (quote !== "'" && quote !== '"' && quote !== '`') return null;
  const end = skipNonCode(src, i) - 1;
  const raw = src.slice(i + 1, end);
  if (quote === '`' && raw.includes('${')) return null;
  return raw.replace(/\\(.)/g, '$1');
}

/** Evaluates a skipIf/runIf condition when it only compares process.platform; null when unknown. */
function evaluateCondition(condition: string): boolean | null {
  const m = /^\s*process\.platform\s*(===|!==|==|!=)\s*(['"])([a-z0-9]+)\2\s*$/.exec(condition);
  if (!m) return null;
  const same = process.platform === m[3];
  return m[1]!.startsWith('!') ? !same : same;
}

function modeOf(modifiers: string, condition: string | undefined): TestMode {
  if (modifiers.includes('.todo')) return 'todo';
  if (modifiers.includes('.skip') && !modifiers.includes('.skipIf')) return 'skip';
  if (condition === undefined) return 'run';
  const value = evaluateCondition(condition);
  if (value === null) return 'conditional';
  const skipped = modifiers.includes('.skipIf') ? value : !value;
  return skipped ? 'skip' : 'run';
}

/** Every describe/it/test in a test file's source, with its describe path and mode. */
export function declaredTests(source: string): DeclaredTest[] {
  const calls: Call[] = [];
  const lineAt = (index: number): number => source.slice(0, index).split('\n').length;
  let i = 0;
  while (i < source.length) {
    const skipped = skipNonCode(source, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    CALL.lastIndex = i;
    const m = CALL.exec(source);
    if (!m) break;
    // A match inside a string or comment between i and m.index is skipped by walking there first.
    let inside = false;
    for (let j = i; j < m.index; j++) {
      const s = skipNonCode(source, j);
      if (s !== j) {
        if (s > m.index) {
          inside = true;
          i = s;
          break;
        }
        j = s - 1;
      }
    }
    if (inside) continue;
    if (source[m.index - 1] === '.') {
      i = m.index + m[0].length; // a method (re.test(…)), not vitest's test()
      continue;
    }
    const modifiers = m[2] ?? '';
    let open = m.index + m[0].length - 1;
    let condition: string | undefined;
    if (/\.(skipIf|runIf)/.test(modifiers)) {
      // skipIf(cond)(title, fn): the condition's parentheses come first.
      const condClose = matchClose(source, open, '(', ')');
      condition = source.slice(open + 1, condClose);
      let k = condClose + 1;
      if (modifiers.includes('.each') || source.startsWith('.each', k)) {
        i = condClose + 1;
        continue; // it.runIf(c).each(table)(title): a run-time title
      }
      while (/\s/.test(source[k] ?? '')) k++;
      if (source[k] !== '(') {
        i = condClose + 1;
        continue;
      }
      open = k;
    }
    const close = matchClose(source, open, '(', ')');
    const title = modifiers.includes('.each') ? null : literalAt(source, open + 1);
    calls.push({ kind: m[1] === 'describe' ? 'describe' : 'test', title, mode: modeOf(modifiers, condition), ...(condition !== undefined ? { condition } : {}), open, close, line: lineAt(m.index) });
    i = open + 1;
  }
  const describes = calls.filter((c) => c.kind === 'describe');
  return calls
    .filter((c): c is Call & { title: string } => c.kind === 'test' && c.title !== null)
    .map((t) => {
      const around = describes.filter((d) => d.open < t.open && t.close <= d.close);
      const inherited = around.find((d) => d.mode !== 'run');
      const mode: TestMode = t.mode !== 'run' ? t.mode : (inherited?.mode ?? 'run');
      const condition = t.condition ?? inherited?.condition;
      return { title: t.title, path: around.map((d) => d.title ?? '(run-time title)'), mode, ...(mode === 'conditional' && condition !== undefined ? { condition } : {}), line: t.line };
    });
}

/** The name vitest's JSON reporter gives a test: describe titles and its own, space-separated. */
export const fullName = (test: Pick<DeclaredTest, 'path' | 'title'>): string => [...test.path, test.title].join(' ');
