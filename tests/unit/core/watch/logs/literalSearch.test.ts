import { describe, expect, it } from 'vitest';
import { LITERAL_FILTER_WASM } from '../../../../../app/core/watch/logs/literalFilterWasm.ts';
import { LiteralSearch } from '../../../../../app/core/watch/logs/literalSearch.ts';
import { literalFilterBytes } from '../../../../../scripts/build-literal-filter.ts';

/** Ground truth: every line that holds a literal (ASCII-folded when asked), by plain string search. */
function naive(text: string, literals: readonly string[], ignoreCase: boolean): number[] {
  const starts: number[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const hay = ignoreCase ? line.replace(/[A-Z]/g, (c) => c.toLowerCase()) : line;
    if (literals.some((l) => hay.includes(ignoreCase ? l.replace(/[A-Z]/g, (c) => c.toLowerCase()) : l))) starts.push(Buffer.byteLength(text.slice(0, offset)));
    offset += line.length + 1;
  }
  return starts;
}

describe('LiteralSearch', () => {
  it('runs the module built from literalFilter.wat (the committed bytes are that file)', async () => {
    expect(Buffer.from(LITERAL_FILTER_WASM, 'base64').equals(await literalFilterBytes())).toBe(true);
  });

  it('finds exactly the lines grep -F would, with and without ASCII case folding', () => {
    const literals = ['FATAL', 'serious problem', 'Exception', 'took ', 'not responding', 'défaillant'];
    const words = ['INFO', 'fatal', 'FATAL', 'Serious Problem', 'exception', 'EXCEPTION', 'took', 'took ', 'NOT RESPONDING', 'défaillant', 'DÉFAILLANT', 'x', ' ', 'FATA', 'L'];
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    const lines = Array.from({ length: 3000 }, () => Array.from({ length: 1 + (next() % 6) }, () => words[next() % words.length]).join(next() % 3 ? ' ' : ''));
    const text = lines.join('\n');
    for (const ignoreCase of [false, true]) {
      expect(new LiteralSearch(literals, ignoreCase).linesHolding(Buffer.from(text))).toEqual(naive(text, literals, ignoreCase));
    }
  });

  it('keeps every hit when candidates overflow its output buffer, and works with 3-byte keys', () => {
    const text = `${'abc\n'.repeat(40_000)}zzz abc\n`;
    const found = new LiteralSearch(['abc'], false).linesHolding(Buffer.from(text));
    expect(found).toHaveLength(40_001);
    expect(found.at(-1)).toBe(160_000);
  });

  it('costs one hit per line, however often a literal repeats on it', () => {
    const line = Buffer.from('ERROR '.repeat(174_763));
    expect(new LiteralSearch(['ERROR'], true).linesHolding(line)).toEqual([0]);
  });
});
