import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderSafetyCase } from '../../../scripts/safety-case.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'lifeboat-safety-case-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run safety-case: the DCB0129 safety case report draft', () => {
  it('has the template’s sections, the hazard summary with initial and residual risk, and says "not run" without results', () => {
    const report = renderSafetyCase(ROOT, [join(dir, 'absent.json')]);
    for (const heading of ['## 1. Document control', '## 3. System definition and scope', '## 4. Intended use', '## 5. Clinical risk management: the risk matrix', '## 6. Hazard summary', '## 7. Controls and test evidence', '## 8. Residual risk and acceptability', '## 9. Open issues and known limitations', '## 10. Clinical safety position and approval']) {
      expect(report).toContain(heading);
    }
    expect(report).toMatch(/\| \*\*H1\*\* A consultation note is lost \| Considerable × Medium = \*\*3\*\* \| Significant × Low = \*\*2\*\* \| \d+ \| 0 of \d+ \|/);
    expect(report).toContain('no test results found');
    expect(report).toContain('— not run');
    expect(report).not.toContain('The hazard log check fails');
    expect(report).toContain('DPAPI through `safeStorage`');
  });

  it('takes each cited test’s result from vitest’s JSON report: passed, failed, and not run when absent', () => {
    const results = join(dir, 'vitest.json');
    const file = join(ROOT, 'tests/unit/core/watch/process/processSessions.test.ts');
    writeFileSync(
      results,
      JSON.stringify({
        startTime: Date.UTC(2026, 11, 1, 9),
        numTotalTests: 2,
        numPassedTests: 1,
        numFailedTests: 1,
        testResults: [
          {
            name: file,
            assertionResults: [
              { ancestorTitles: ['process listing on a multi-session host'], title: 'lists only the clients in its own session, under the profile spelling of the name', status: 'passed' },
              { ancestorTitles: ['process listing on a multi-session host'], title: 'lists every client when the OS cannot say which session it runs in', status: 'failed' },
            ],
          },
        ],
      }),
    );
    const report = renderSafetyCase(ROOT, [results]);
    expect(report).toContain('run started 2026-12-01T09:00:00.000Z, 1 of 2 tests passed, 1 failed');
    expect(report).toMatch(/`tests\/unit\/core\/watch\/process\/processSessions\.test\.ts` › lists only the clients in its own session, under the profile spelling of the name \| ✅ passed \|/);
    expect(report).toMatch(/`tests\/unit\/core\/watch\/process\/processSessions\.test\.ts` › lists every client when the OS cannot say which session it runs in \| ❌ failed \|/);
    expect(report).toMatch(/\| \*\*H18\*\* .* \| 1 of 4 \|/);
    expect(report).toMatch(/- H18: `tests\/unit\/core\/watch\/process\/processSessions\.test\.ts` › lists every client when the OS cannot say which session it runs in — failed/);
  });
});
