import { createRequire } from 'node:module';
import type * as Recheck from 'recheck';
import { describe, expect, it } from 'vitest';
import { ALL_BUILT_IN_PATTERNS, LEVEL_THEN_EXCEPTION } from '../../../../app/core/config/builtInPatterns.ts';
import { DEFAULT_PROFILES } from '../../../../app/core/config/defaultProfiles.ts';
import { compilePatterns } from '../../../../app/core/config/profiles.ts';
import { nativePattern } from '../../../../app/core/watch/logs/linePattern.ts';

// recheck is a devDependency: the proof runs here, production never loads it.
const { checkSync } = createRequire(import.meta.url)('recheck') as typeof Recheck;

const sources = [...new Set(ALL_BUILT_IN_PATTERNS.map((p) => (typeof p === 'string' ? p : p.pattern)))];

interface Attack {
  pumps: Array<{ prefix: string; pump: string }>;
  suffix: string;
}

/** An attack string with each pump repeated n times. */
function attackOf(attack: Attack, n: number): string {
  return attack.pumps.map((p) => p.prefix + p.pump.repeat(n)).join('') + attack.suffix;
}

function bestMs(work: () => void): number {
  let best = Infinity;
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    work();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

describe('built-in log patterns', () => {
  // recheck's automaton checker proves most patterns safe outright. It cannot read lookaround, so
  // for the level-then-exception pattern it fuzzes, and its own backtracking model can report an
  // attack that V8 runs in linear time: any attack it reports is replayed on V8 at 1× and 8× its
  // size, and must cost about 8× (quadratic would be 64×). Fixed seeds keep the run repeatable.
  it.each(sources)('%s: recheck finds no super-linear attack that V8 falls for (with and without i)', (source) => {
    for (const flags of ['m', 'im']) {
      for (const randomSeed of [1, 2]) {
        const result = checkSync(source, flags, { timeout: 60_000, randomSeed });
        expect({ source, flags, status: result.status }).not.toEqual({ source, flags, status: 'unknown' });
        if (result.status !== 'vulnerable') continue;
        const regex = new RegExp(source, flags);
        const small = attackOf(result.attack as Attack, 2000);
        const large = attackOf(result.attack as Attack, 16_000);
        const ratio = bestMs(() => regex.test(large)) / Math.max(0.05, bestMs(() => regex.test(small)));
        expect({ source, flags, attack: result.attack.pattern, linear: ratio < 24 }).toEqual({ source, flags, attack: result.attack.pattern, linear: true });
      }
    }
  }, 240_000);

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
