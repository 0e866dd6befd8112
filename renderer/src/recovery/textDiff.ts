export type DiffLine = { op: 'same' | 'add' | 'del'; text: string };
/** A run of words (with the spaces between them) that was kept, added or removed. */
export type DiffPart = DiffLine;

/** Above this many cells the LCS table would be too big for a page: the middle becomes delete + add. */
export const MAX_LCS_CELLS = 4_000_000;

export function splitLines(text: string): string[] {
  if (text === '') return [];
  return text.replace(/\r\n?/g, '\n').split('\n');
}

/**
 * Words, numbers ("148/92", "2/7", "left-sided" stay whole), runs of white space (line breaks
 * included) and single punctuation marks: the units a GP edits a note in.
 */
export function splitWords(text: string): string[] {
  return text.replace(/\r\n?/g, '\n').match(/\s+|[\p{L}\p{N}][\p{L}\p{N}'’/.-]*[\p{L}\p{N}]|[\p{L}\p{N}]|[^\s\p{L}\p{N}]/gu) ?? [];
}

/** A line diff from `before` to `after`, as `diff -u` shows it. */
export const lineDiff = (before: string, after: string): DiffLine[] => diffTokens(splitLines(before), splitLines(after));

/**
 * A word diff for prose: a changed word is marked in its sentence instead of the whole line
 * coming back twice. Neighbouring tokens of one kind are merged into runs for display.
 */
export function wordDiff(before: string, after: string): DiffPart[] {
  const parts: DiffPart[] = [];
  for (const token of diffTokens(splitWords(before), splitWords(after))) {
    const last = parts.at(-1);
    if (last && last.op === token.op) last.text += token.text;
    else parts.push({ ...token });
  }
  return parts;
}

/** Words (not spaces or punctuation) added and removed. */
export function wordCounts(parts: readonly DiffPart[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const p of parts) {
    const words = splitWords(p.text).filter((t) => /^[\p{L}\p{N}]/u.test(t)).length;
    if (p.op === 'add') added += words;
    else if (p.op === 'del') removed += words;
  }
  return { added, removed };
}

/**
 * The diff of two token lists by longest common subsequence. The common head and tail are peeled
 * off first (most revisions differ in a few places), so the table covers only the middle.
 * Deletions come before additions within a changed block, as in `diff -u`.
 */
export function diffTokens(a: readonly string[], b: readonly string[]): DiffLine[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;

  const out: DiffLine[] = a.slice(0, head).map((text) => ({ op: 'same', text }));
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  out.push(...diffMiddle(midA, midB));
  out.push(...a.slice(a.length - tail).map((text): DiffLine => ({ op: 'same', text })));
  return out;
}

function diffMiddle(a: readonly string[], b: readonly string[]): DiffLine[] {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0 || (n + 1) * (m + 1) > MAX_LCS_CELLS) {
    return [...a.map((text): DiffLine => ({ op: 'del', text })), ...b.map((text): DiffLine => ({ op: 'add', text }))];
  }
  // lcs[i][j]: length of the LCS of a[i..] and b[j..], in one flat typed array.
  const width = m + 1;
  const lcs = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] = a[i] === b[j] ? lcs[(i + 1) * width + j + 1]! + 1 : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ op: 'same', text: a[i]! });
      i++;
      j++;
    } else if (lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!) {
      out.push({ op: 'del', text: a[i++]! });
    } else {
      out.push({ op: 'add', text: b[j++]! });
    }
  }
  while (i < n) out.push({ op: 'del', text: a[i++]! });
  while (j < m) out.push({ op: 'add', text: b[j++]! });
  return out;
}

export function diffCounts(lines: readonly DiffLine[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const l of lines) {
    if (l.op === 'add') added++;
    else if (l.op === 'del') removed++;
  }
  return { added, removed };
}
