import { describe, expect, it } from 'vitest';
import { linearPattern, MATCH_PREFIX_CHARS, nativePattern, type LinePattern } from '../../../../../app/core/watch/logs/linePattern.ts';
import { LiteralSearch } from '../../../../../app/core/watch/logs/literalSearch.ts';
import { buildLogMatcher } from '../../../../../app/core/watch/logs/logMatcher.ts';
import { requiredLiterals } from '../../../../../app/core/watch/logs/regexLiterals.ts';

const v8 = (re: RegExp): LinePattern => nativePattern(re.source, re.flags.includes('i'));
const re2 = (re: RegExp): LinePattern => linearPattern(re.source, re.flags.includes('i'));

describe('requiredLiterals', () => {
  it.each([
    [/serious problem and needs to close/, ['serious problem and needs to close']],
    [/timed out after \d+ ?ms/, ['timed out after ']],
    [/Not Responding|stopped interacting/, ['Not Responding', 'stopped interacting']],
    [/colou?r scheme/, ['r scheme']],
    [/\[FATAL\] (?:x|y)Exception/, ['Exception']],
    [/took (\d{4,}) ms to load/, [' ms to load']],
    [/\d{3}/, null],
    [/OutOfMemory|a/, null],
    [/Unhandled exception/i, ['Unhandled exception']],
    [/\d{4} ERR-\d+/i, [' ERR-']],
    [/\b(?:FATAL|ERROR)\b.*(?:Unhandled|System\.\w+Exception)/, ['Unhandled', 'Exception']],
    [/^(?:(?!\b(?:FATAL|ERROR)\b).)*\b(?:FATAL|ERROR)\b.*Exception/, ['Exception']],
    [/UI thread (?:is )?blocked/i, ['UI thread ']],
    [/défaillant/i, null],
    [/défaillant/, ['défaillant']],
    [/user (?:closed|logged (?:off|out))/i, ['closed', 'logged ']],
    [/ 500 \/ 503 /i, [' 500 / 503 ']],
  ])('%s -> %j', (pattern, expected) => {
    expect(requiredLiterals(pattern)).toEqual(expected);
  });

  it('every match of the pattern contains one of its literals', () => {
    const pattern = /(?:EMIS|Vision) (?:Web )?has encountered a serious problem|AppHang\w*B1/;
    const literals = requiredLiterals(pattern)!;
    for (const text of ['EMIS Web has encountered a serious problem', 'Vision has encountered a serious problem', 'AppHangXProcB1']) {
      expect(pattern.test(text)).toBe(true);
      expect(literals.some((literal) => text.includes(literal))).toBe(true);
    }
  });
});

describe('buildLogMatcher', () => {
  const matcher = buildLogMatcher({
    crash: [v8(/serious problem and needs to close/), re2(/unhandled exception/i)],
    hang: [v8(/Not Responding/)],
    slow: [re2(/timed out after \d+ ?ms/)],
  });

  it('names a record by its highest-priority kind: crash over hang over slow', () => {
    expect(matcher.test('x timed out after 30000 ms\nNot Responding')).toBe('hang');
    expect(matcher.test('Not Responding then an UNHANDLED EXCEPTION')).toBe('crash');
    expect(matcher.test('all fine')).toBeNull();
  });

  it('applies patterns per line, so ^ anchors at every line of a record, not only the first', () => {
    const anchored = buildLogMatcher({ crash: [re2(/^Exception: System\.\w+/)], hang: [v8(/^Stack:$/)], slow: [] });
    expect(anchored.test('Time: 2026-02-26 23:03:21 -05:00\nException: System.NullReferenceException\nStack:')).toBe('crash');
    expect(anchored.test('Greenshot 1.2\nStack:')).toBe('hang');
    expect(anchored.testLine('  Exception: System.X')).toBe(false);
  });

  it('sees only a bounded prefix of a line, so a huge line costs what a short one does', () => {
    const late = `${'x'.repeat(MATCH_PREFIX_CHARS)} serious problem and needs to close`;
    expect(matcher.testLine(late)).toBe(false);
    expect(matcher.testLine(late.slice(MATCH_PREFIX_CHARS))).toBe(true);
  });

  it('offers case-folded literals for every pattern that has one, and knows when a line must be tested whatever it holds', () => {
    expect(matcher.prefilter).toMatchObject({ ignoreCase: true, everyLine: false, patternSearch: [] });
    expect([...matcher.prefilter.literals].sort()).toEqual(['Not Responding', 'serious problem and needs to close', 'timed out after ', 'unhandled exception'].sort());
    const text = 'ok\nan Unhandled Exception here\nnot responding\nNOT RESPONDING\n';
    const search = new LiteralSearch(matcher.prefilter.literals, matcher.prefilter.ignoreCase);
    expect(search.linesHolding(Buffer.from(text))).toEqual([3, text.indexOf('not responding'), text.indexOf('NOT')]);
    const noLiteral = buildLogMatcher({ crash: [re2(/\d{5}/)], hang: [v8(/\d{6}/)], slow: [] });
    expect(noLiteral.prefilter.everyLine).toBe(true);
    const builtIn = buildLogMatcher({ crash: [v8(/\d{5}/)], hang: [v8(/\d{6}/i)], slow: [] });
    expect(builtIn.prefilter.everyLine).toBe(false);
    expect(builtIn.prefilter.patternSearch.map((re) => re.flags)).toEqual(['gm', 'gim']);
  });

  it('searches a literal contained in another only once', () => {
    const m = buildLogMatcher({ crash: [], hang: [v8(/timed out waiting/i)], slow: [v8(/timed out/i)] });
    expect(m.prefilter.literals).toEqual(['timed out']);
  });
});
