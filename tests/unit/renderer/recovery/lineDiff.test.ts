import { describe, expect, it } from 'vitest';
import { diffCounts, lineDiff, MAX_LCS_CELLS, splitLines, splitWords, wordCounts, wordDiff, type DiffLine } from '../../../../renderer/src/recovery/textDiff.ts';

/** Applying a diff must give back both texts: the property every correct diff has. */
function sides(lines: DiffLine[]): { before: string; after: string } {
  return {
    before: lines.filter((l) => l.op !== 'add').map((l) => l.text).join('\n'),
    after: lines.filter((l) => l.op !== 'del').map((l) => l.text).join('\n'),
  };
}

const compact = (lines: DiffLine[]): string[] => lines.map((l) => `${l.op === 'same' ? ' ' : l.op === 'add' ? '+' : '-'}${l.text}`);

describe('line diff between two revisions', () => {
  it('marks nothing when the texts are equal', () => {
    expect(compact(lineDiff('a\nb', 'a\nb'))).toEqual([' a', ' b']);
    expect(lineDiff('', '')).toEqual([]);
  });

  it('finds an inserted line and a deleted line', () => {
    expect(compact(lineDiff('Hx\nPlan', 'Hx\nO/E: clear\nPlan'))).toEqual([' Hx', '+O/E: clear', ' Plan']);
    expect(compact(lineDiff('Hx\nO/E: clear\nPlan', 'Hx\nPlan'))).toEqual([' Hx', '-O/E: clear', ' Plan']);
  });

  it('shows a changed line as removed then added', () => {
    expect(compact(lineDiff('BP 150/90\nPlan', 'BP 148/92\nPlan'))).toEqual(['-BP 150/90', '+BP 148/92', ' Plan']);
  });

  it('keeps the longest common subsequence across scattered edits', () => {
    const before = 'a\nb\nc\nd\ne\nf';
    const after = 'a\nx\nc\nd\ny\nf\ng';
    const diff = lineDiff(before, after);
    expect(diff.filter((l) => l.op === 'same').map((l) => l.text)).toEqual(['a', 'c', 'd', 'f']);
    expect(diffCounts(diff)).toEqual({ added: 3, removed: 2 });
    expect(sides(diff)).toEqual({ before, after });
  });

  it('handles from-empty and to-empty', () => {
    expect(compact(lineDiff('', 'one\ntwo'))).toEqual(['+one', '+two']);
    expect(compact(lineDiff('one', ''))).toEqual(['-one']);
  });

  it('treats CRLF like LF (text pasted from Windows applications)', () => {
    expect(splitLines('a\r\nb\rc')).toEqual(['a', 'b', 'c']);
    expect(compact(lineDiff('a\r\nb', 'a\nb'))).toEqual([' a', ' b']);
  });

  it('reconstructs both sides for random edits', () => {
    let seed = 7;
    const rand = (n: number): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), seed % n);
    for (let round = 0; round < 200; round++) {
      const before = Array.from({ length: rand(12) + 1 }, () => 'abcde'[rand(5)]!);
      const after = before.flatMap((line) => (rand(4) === 0 ? [] : rand(4) === 0 ? [line, 'xyz'[rand(3)]!] : [line]));
      const diff = lineDiff(before.join('\n'), after.join('\n'));
      expect(sides(diff)).toEqual({ before: before.join('\n'), after: after.join('\n') });
    }
  });

  it('stays fast and bounded on large notes: peels common ends, gives up the table past the limit', () => {
    const big = Array.from({ length: 5000 }, (_, i) => `line ${i}`);
    const edited = [...big];
    edited[2500] = 'changed';
    const started = performance.now();
    const diff = lineDiff(big.join('\n'), edited.join('\n'));
    expect(performance.now() - started).toBeLessThan(500);
    expect(diffCounts(diff)).toEqual({ added: 1, removed: 1 });

    const n = Math.ceil(Math.sqrt(MAX_LCS_CELLS)) + 10;
    const a = Array.from({ length: n }, (_, i) => `a${i}`).join('\n');
    const b = Array.from({ length: n }, (_, i) => `b${i}`).join('\n');
    const whole = lineDiff(a, b);
    expect(diffCounts(whole)).toEqual({ added: n, removed: n });
    expect(sides(whole)).toEqual({ before: a, after: b });
  });
});

describe('word diff for prose', () => {
  it('marks the changed words inside their sentence, keeping numbers and hyphenated words whole', () => {
    const parts = wordDiff('BP 148/92, HR 84 reg. Left-sided chest pain.', 'BP 152/94, HR 84 reg. Left-sided chest tightness.');
    expect(parts.filter((p) => p.op !== 'same')).toEqual([
      { op: 'del', text: '148/92' },
      { op: 'add', text: '152/94' },
      { op: 'del', text: 'pain' },
      { op: 'add', text: 'tightness' },
    ]);
    expect(wordCounts(parts)).toEqual({ added: 2, removed: 2 });
    // Both sides come back whole.
    expect(parts.filter((p) => p.op !== 'add').map((p) => p.text).join('')).toBe('BP 148/92, HR 84 reg. Left-sided chest pain.');
    expect(parts.filter((p) => p.op !== 'del').map((p) => p.text).join('')).toBe('BP 152/94, HR 84 reg. Left-sided chest tightness.');
  });

  it('keeps line breaks, and splits words, spaces and punctuation', () => {
    expect(splitWords('Plan:\r\nGTN spray.')).toEqual(['Plan', ':', '\n', 'GTN', ' ', 'spray', '.']);
    expect(wordDiff('', 'New text')).toEqual([{ op: 'add', text: 'New text' }]);
  });
});
