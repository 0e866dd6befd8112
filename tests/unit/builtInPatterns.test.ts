import { createRequire } from 'node:module';
import type * as Recheck from 'recheck';
import { describe, expect, it } from 'vitest';
import { ALL_BUILT_IN_PATTERNS, LEVEL_THEN_EXCEPTION } from '../../app/core/config/builtInPatterns.ts';
import { DEFAULT_PROFILES } from '../../app/core/config/defaultProfiles.ts';
import { compilePatterns } from '../../app/core/config/profiles.ts';
import { nativePattern } from '../../app/core/watch/logs/linePattern.ts';

// recheck is a devDependency: the proof runs here, production never loads it.
const { checkSync } = createRequire(import.meta.url)('recheck') as typeof Recheck;

const sources = [...new Set(ALL_BUILT_IN_PATTERNS.map((p) => (typeof p === 'string' ? p : p.pattern)))];

describe('built-in log patterns', () => {
  it.each(sources)('%s is proven free of super-linear backtracking by recheck (with and without i)', (source) => {
    for (const flags of ['m', 'im']) {
      const result = checkSync(source, flags, { timeout: 30_000 });
      expect({ source, flags, status: result.status }).toEqual({ source, flags, status: 'safe' });
    }
  }, 90_000);

  it('are every pattern the built-in profiles use', () => {
    for (const profile of DEFAULT_PROFILES) {
      for (const pattern of Object.values(compilePatterns(profile)).flat()) {
        expect(sources).toContain(pattern.source);
        expect(pattern.native).not.toBeNull();
      }
    }
  });

  // The case: the old `\b(?:FATAL|ERROR)\b.*(?:…Exception)` took 164 s on this line.
  it.each([
    ['repeated ERROR', 'ERROR '.repeat(174_763)],
    ['repeated FATAL then System.', `${'FATAL '.repeat(100_000)}${'System.'.repeat(50_000)}`],
    ['one long word after System.', `ERROR System.${'a'.repeat(1 << 20)}`],
    ['Exception: and a long type name', `Exception: ${'A.'.repeat(1 << 19)}`],
    ['unterminated thread name', `Exception in thread "${'x'.repeat(1 << 20)}`],
    ['a long number after took', `took ${'1'.repeat(1 << 20)}`],
  ])('each runs on a 1 MiB adversarial line (%s) in linear time', (_label, line) => {
    for (const source of sources) {
      for (const ignoreCase of [false, true]) {
        const pattern = nativePattern(source, ignoreCase);
        const started = performance.now();
        pattern.test(line);
        // Linear is a few ms; quadratic on 1 MiB is minutes. The margin absorbs a loaded machine.
        expect(performance.now() - started, source).toBeLessThan(2000);
      }
    }
  });

  it('still mean what they meant: a level word, then an exception named later on the same line', () => {
    const level = nativePattern(typeof LEVEL_THEN_EXCEPTION === 'string' ? LEVEL_THEN_EXCEPTION : LEVEL_THEN_EXCEPTION.pattern, false);
    expect(level.test('2026-01-05 09:41:07,123 [1] ERROR X - System.InvalidOperationException: y')).toBe(true);
    expect(level.test('2026-01-05 [1] INFO ERRORS and FATALITY then System.IOException')).toBe(false);
    expect(level.test('[1] FATAL first, ERROR later, then an Unhandled exception')).toBe(true);
    expect(level.test('System.IOException before the ERROR level')).toBe(false);
    expect(level.test('INFO ok\nERROR then UNHANDLED EXCEPTION')).toBe(true);
    expect(level.test('ERROR on one line\nSystem.IOException on the next')).toBe(false);
  });
});
