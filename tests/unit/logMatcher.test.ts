import { describe, expect, it } from 'vitest';
import { buildLogMatcher } from '../../app/core/watch/logs/logMatcher.ts';
import { requiredLiterals } from '../../app/core/watch/logs/regexLiterals.ts';

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
    [/Unhandled exception/i, null],
    [/\d{4} ERR-\d+/i, null],
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
    crash: [/serious problem and needs to close/, /unhandled exception/i],
    hang: [/Not Responding/],
    slow: [/timed out after \d+ ?ms/g],
  });

  it('names a record by its highest-priority kind: crash over hang over slow', () => {
    expect(matcher.test('x timed out after 30000 ms\nNot Responding')).toBe('hang');
    expect(matcher.test('Not Responding then an UNHANDLED EXCEPTION')).toBe('crash');
    expect(matcher.test('all fine')).toBeNull();
  });

  it('ignores the g flag state of profile patterns (test() twice gives the same answer)', () => {
    expect(matcher.test('timed out after 5ms')).toBe('slow');
    expect(matcher.test('timed out after 5ms')).toBe('slow');
  });

  it('has no byte literals when a pattern is case-insensitive, and line searches (one per set of flags) keeping per-pattern flags', () => {
    expect(matcher.literals).toBeNull();
    expect(matcher.lineSearch.length).toBeLessThanOrEqual(2);
    const text = 'ok\nan Unhandled Exception here\nnot responding\nNot Responding\n';
    const starts = matcher.lineSearch.flatMap((search) => [...text.matchAll(search)].map((m) => m.index)).sort((a, b) => a - b);
    expect(starts).toEqual([text.indexOf('Unhandled'), text.indexOf('Not Responding')]);
  });

  it('offers byte literals when every pattern has one', () => {
    const literal = buildLogMatcher({ crash: [/serious problem/], hang: [/Not Responding/], slow: [/timed out after \d+/] });
    expect(literal.literals).toEqual(['serious problem', 'Not Responding', 'timed out after ']);
  });
});
