import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkHazardLog, parseHazardLog } from '../../../scripts/safety/hazardLog.ts';
import { declaredTests } from '../../../scripts/safety/testTitles.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const LOG = readFileSync(join(ROOT, 'docs', 'clinical-safety.md'), 'utf8');
const check = (markdown: string, root = ROOT): string[] => checkHazardLog(parseHazardLog(markdown), { root }).problems;

/** The log with one exact piece of it replaced (the piece must be there: a stale test would pass vacuously). */
function broken(from: string, to: string, markdown = LOG): string {
  expect(markdown).toContain(from);
  return markdown.replace(from, to);
}

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

describe('the hazard log (docs/clinical-safety.md) is traced to tests, in CI', () => {
  it('every hazard has its fields and controls, every control a test that exists and is not skipped, every risk class as the matrix gives it', () => {
    expect(check(LOG)).toEqual([]);
    const log = parseHazardLog(LOG);
    expect(log.hazards.map((h) => h.id)).toEqual(Array.from({ length: log.hazards.length }, (_, i) => `H${i + 1}`));
    expect(log.hazards.length).toBeGreaterThanOrEqual(19);
    expect(log.intendedUse).toMatch(/^Lifeboat keeps a copy of the consultation note/);
    for (const h of log.hazards) expect(h.controls.every((c) => c.evidence.length > 0), h.id).toBe(true);
  });

  it('fails when a control has no test', () => {
    const rows =
      '| The vault file and its WAL hold no plaintext of body, title or patient reference | `tests/integration/vaultEncryption.test.ts` | keeps no plaintext of body, title or patient reference in vault.db or its WAL, open or closed |\n' +
      '| | `tests/integration/vaultEncryption.test.ts` | stores the encrypted vault with a SQLCipher v4 header, not a plaintext SQLite one |';
    expect(check(broken(rows, '| The vault file and its WAL hold no plaintext of body, title or patient reference | | |'))).toEqual([
      expect.stringMatching(/^H16 control "The vault file and its WAL hold no plaintext of body, title …" \(line \d+\): has no test$/),
    ]);
  });

  it('fails when a hazard has no control table at all', () => {
    const h18Table = LOG.slice(LOG.indexOf('| Control | Test file | Test |', LOG.indexOf('## H18')), LOG.indexOf('## H19'));
    expect(check(broken(h18Table, '\n'))).toEqual([expect.stringMatching(/^H18 \(line \d+\): no "Control \| Test file \| Test" table/)]);
  });

  it('fails when a cited file does not exist', () => {
    expect(check(broken('`tests/unit/core/watch/process/processSessions.test.ts` | lists only', '`tests/unit/processSession.test.ts` | lists only'))).toEqual([
      expect.stringMatching(/^H18 line \d+: tests\/unit\/processSession\.test\.ts does not exist$/),
    ]);
  });

  it('fails when a cited title does not exist, and when a citation is not a test of the suite', () => {
    expect(check(broken('| never asks a password element for its value |', '| never asks a password element for its length |'))).toEqual([
      expect.stringMatching(/^H15 line \d+: no test titled "never asks a password element for its length" in tests\/unit\/core\/capture\/win32\/comInterop\.test\.ts/),
    ]);
    expect(check(broken('`tests/integration/servicePathologicalLine.test.ts` | the running', '`tests/bench/watcherIsolation.bench.ts` | the running'))).toEqual([
      expect.stringMatching(/^H1 line \d+: tests\/bench\/watcherIsolation\.bench\.ts is not a test file of the suite/),
    ]);
  });

  it('fails when a stated risk class is not the matrix’s, and when hazards are out of order', () => {
    expect(check(broken('| **Initial risk** | Considerable × Medium = **3** |', '| **Initial risk** | Considerable × Medium = **2** |'))).toEqual([
      expect.stringMatching(/^H1 \(line \d+\): Initial risk Considerable × Medium is 3 in the matrix, not 2$/),
    ]);
    expect(check(broken('## H17 — ', '## H16 — '))).toEqual([expect.stringMatching(/^H16 \(line \d+\): the id H16 is used twice$/)]);
  });

  it('fails when a cited test is skipped: .skip, .todo, a skipped describe, or a skipIf on this platform', () => {
    const root = mkdtempSync(join(tmpdir(), 'lifeboat-hazard-log-'));
    temps.push(root);
    const file = 'tests/unit/skipped.test.ts';
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(
      join(root, file),
      [
        "import { describe, it } from 'vitest';",
        "it.skip('skipped outright', () => {});",
        "it.todo('only a todo');",
        "describe.skip('a skipped group', () => {",
        "  it('inside a skipped group', () => {});",
        '});',
        `it.skipIf(process.platform === '${process.platform}')('skipped on this platform', () => {});`,
        `it.runIf(process.platform === 'plan9')('run only elsewhere', () => {});`,
        "it('runs', () => {});",
      ].join('\n'),
    );
    const h19 = LOG.slice(LOG.indexOf('## H19'), LOG.indexOf('## Known limitations'));
    const table = h19.slice(h19.indexOf('| Control | Test file | Test |'));
    const cite = (title: string): string => `| A control | \`${file}\` | ${title} |`;
    const titles = ['skipped outright', 'only a todo', 'inside a skipped group', 'skipped on this platform', 'run only elsewhere', 'runs'];
    const log = LOG.slice(0, LOG.indexOf('## H1 — ')) + h19.replace(table, `| Control | Test file | Test |\n|---|---|---|\n${titles.map(cite).join('\n')}\n\n`).replace('## H19', '## H1');
    const problems = check(log, root);
    expect(problems).toEqual([
      expect.stringMatching(/"skipped outright" .* is skipped \(line 2\): a skipped test proves nothing/),
      expect.stringMatching(/"only a todo" .* is a todo \(line 3\)/),
      expect.stringMatching(/"inside a skipped group" .* is skipped \(line 5\)/),
      expect.stringMatching(/"skipped on this platform" .* is skipped \(line 7\)/),
      expect.stringMatching(/"run only elsewhere" .* is skipped \(line 8\)/),
    ]);
  });
});

describe('test titles read from source (no import, no run)', () => {
  it('finds describe paths and literal titles, past regular expressions and strings that hold quotes and calls', () => {
    const source = [
      "describe('outer', () => {",
      '  const re = /it\\(\'not a test\'\\)["\']/;',
      "  const text = \"it('not a test either')\";",
      '  // it(\'commented out\')',
      "  describe('inner', () => {",
      "    it('is found', () => expect(/a'b/.test('x')).toBe(false));",
      '  });',
      "  test(\"double quoted, with 'quotes'\", () => {});",
      '});',
    ].join('\n');
    expect(declaredTests(source).map((t) => [t.path.join(' > '), t.title, t.mode])).toEqual([
      ['outer > inner', 'is found', 'run'],
      ['outer', "double quoted, with 'quotes'", 'run'],
    ]);
  });

  it('cannot cite a title built at run time, and says a condition it cannot evaluate is conditional', () => {
    const source = [
      'it(`rounds ${ROUNDS}`, () => {});',
      "it.each([1, 2])('case %s', () => {});",
      "describe.skipIf(!existsSync(CHROMIUM))('in Chromium', () => {",
      "  it('draws', () => {});",
      '});',
    ].join('\n');
    expect(declaredTests(source)).toEqual([{ title: 'draws', path: ['in Chromium'], mode: 'conditional', condition: '!existsSync(CHROMIUM)', line: 4 }]);
  });
});
