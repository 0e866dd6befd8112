import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../../app/common/diagnostic.ts';
import { DEFAULT_PROFILES } from '../../../../app/core/config/defaultProfiles.ts';
import { compilePatterns } from '../../../../app/core/config/profiles.ts';
import { logRecordSignal } from '../../../../app/core/watch/logRecordSignal.ts';
import { defaultRuntimeEntries } from '../../../../app/core/runtime/runtimeEntries.ts';
import { PREFIX_CHARS, RecordMatcher, type OverBudget } from '../../../../app/core/runtime/recordMatcher.ts';

const emis = DEFAULT_PROFILES.find((p) => p.name === 'emis-web')!;
const profiles = [{ name: 'emis-web', app: 'emisweb.exe', patterns: emis.patterns }];
/**
 * Production patterns are linear (built-ins proven, configured ones on re2js), so the budget is
 * tested the way it will be needed: against a worker that matches with backtracking V8
 * expressions, as Lifeboat did before, where "ERROR ERROR …" cost the default crash pattern
 * minutes per MiB and an exponential pattern never ends.
 */
const BACKTRACKING_WORKER = join(import.meta.dirname, '..', '..', '..', '..', 'testing', 'runtime', 'backtrackingSourceWorker.ts');
const quadratic = { name: 'emis-web', app: 'emisweb.exe', patterns: { crash: [{ pattern: String.raw`\b(?:FATAL|ERROR)\b.*(?:[Uu]nhandled ?[Ee]xception|System\.\w+Exception)`, caseSensitive: true }, 'has encountered a serious problem'], hang: ['UI thread blocked'], slow: [] } };
const catastrophic = { name: 'bad', app: 'bad.exe', patterns: { crash: [String.raw`^(\w+\s?)*$`], hang: [], slow: [] } };

let matcher: RecordMatcher | null = null;
afterEach(async () => {
  await matcher?.close();
  matcher = null;
});

const record = (text: string, startOffset = 0) => ({ text, path: '/logs/client.log', startOffset });

describe('RecordMatcher: log records matched on a worker thread, each within a budget', () => {
  it('gives the same signals as matching in place, in order', async () => {
    matcher = new RecordMatcher({ entry: defaultRuntimeEntries().sourceWorker, profiles });
    const texts = [
      '2026-01-05 09:41:07,123 [1] FATAL Shell - EMIS Web has encountered a serious problem and needs to close.\nSystem.OutOfMemoryException: x\n   at A.B()',
      '2026-01-05 09:41:08,000 [1] INFO nothing to see',
      '2026-01-05 09:41:09,000 [1] WARN Query took 12000 ms',
    ];
    const results = await Promise.all(texts.map((text) => matcher!.match('emis-web', record(text), 1234)));
    const inPlace = texts.map((text) => logRecordSignal(record(text), { name: 'emis-web', app: 'emisweb.exe', patterns: compilePatterns(emis) }, 1234));
    expect(results).toEqual(inPlace);
    expect(results.map((s) => s?.kind ?? null)).toEqual(['crash', null, 'slow']);
  });

  it('stops a record that runs past the budget, matches its first 8 KiB instead, and carries on with the next', async () => {
    const over: OverBudget[] = [];
    matcher = new RecordMatcher({ entry: BACKTRACKING_WORKER, profiles: [quadratic], budgetMs: 100, onOverBudget: (e) => over.push(e) });
    // The old default crash pattern's quadratic case: "ERROR" again and again, never an exception.
    // Matched whole this line takes minutes; its first 8 KiB take milliseconds.
    const junk = 'ERROR '.repeat(Math.ceil((512 * 1024) / 6));
    const started = performance.now();
    const [first, second] = await Promise.all([
      matcher.match('emis-web', record(junk, 4096), 0),
      matcher.match('emis-web', record('2026-01-05 09:41:07,123 [1] FATAL Shell - EMIS Web has encountered a serious problem and needs to close.'), 0),
    ]);
    const elapsed = performance.now() - started;
    expect(first).toBeNull();
    expect(second?.kind).toBe('crash');
    expect(over).toEqual([{ path: '/logs/client.log', startOffset: 4096, chars: junk.length, matchedPrefix: true }]);
    // The budget, a new worker and the prefix: seconds at most on a loaded machine, never minutes.
    expect(elapsed).toBeLessThan(20_000);
  });

  it('finds a crash in a huge record by its prefix when the whole record overruns', async () => {
    matcher = new RecordMatcher({ entry: BACKTRACKING_WORKER, profiles: [quadratic], budgetMs: 100 });
    const text = `2026-01-05 09:41:07,123 [1] FATAL Shell - EMIS Web has encountered a serious problem and needs to close.\n${'ERROR '.repeat(100_000)}`;
    const signal = await matcher.match('emis-web', record(text), 0);
    expect(signal?.kind).toBe('crash');
    expect(text.length).toBeGreaterThan(PREFIX_CHARS);
  });

  it('skips a record whose prefix overruns too, and says so', async () => {
    const over: OverBudget[] = [];
    matcher = new RecordMatcher({ entry: BACKTRACKING_WORKER, profiles: [catastrophic, quadratic], budgetMs: 100, onOverBudget: (e) => over.push(e) });
    const bad = await matcher.match('bad', record(`${'a'.repeat(40)}!`), 0);
    expect(bad).toBeNull();
    expect(over).toEqual([{ path: '/logs/client.log', startOffset: 0, chars: 41, matchedPrefix: false }]);
    // The matcher still works afterwards, with a new worker.
    const next = await matcher.match('emis-web', record('x UI thread blocked'), 0);
    expect(next?.kind).toBe('hang');
  });

  it('matches the production patterns of a 1 MiB line of junk well within the budget (they are linear)', async () => {
    const over: OverBudget[] = [];
    matcher = new RecordMatcher({ entry: defaultRuntimeEntries().sourceWorker, profiles, budgetMs: 100, onOverBudget: (e) => over.push(e) });
    expect(await matcher.match('emis-web', record('ERROR '.repeat(Math.ceil((1024 * 1024) / 6))), 0)).toBeNull();
    expect(over).toEqual([]);
  });

  it('gives up with one clear problem when its worker cannot start, and matches nothing rather than hang', async () => {
    const problems: Diagnostic[] = [];
    matcher = new RecordMatcher({ entry: '/nonexistent/sourceWorker.mjs', profiles, onDiagnostic: (d) => problems.push(d) });
    const results = await Promise.all([1, 2, 3, 4].map((i) => matcher!.match('emis-web', record(`line ${i} UI thread blocked`), 0)));
    expect(results).toEqual([null, null, null, null]);
    expect(problems.at(-1)).toMatchObject({ source: 'log', code: 'log-matcher-failed', message: expect.stringMatching(/not being matched: the record matcher cannot start/) });
  });
});
