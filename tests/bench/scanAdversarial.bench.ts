// A 1 MiB adversarial log line (100 000 × "ERROR ") through the production paths: the offline scan
// (scanLogFile with the EMIS Web patterns) and the live watcher (logRecordSignal on the record the
// tailer hands over). Target: ≤ 50 ms each. Baseline, same run: the old built-in crash pattern
// `\b(?:FATAL|ERROR)\b.*(?:…Exception)` on 16 and 32 KiB of the same line (1 MiB took 164.6 s).
// Run: npm run bench -- scanAdversarial
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_PROFILES } from '../../app/core/config/defaultProfiles.ts';
import { compilePatterns } from '../../app/core/config/profiles.ts';
import { logRecordSignal } from '../../app/core/watch/logRecordSignal.ts';
import { buildLogMatcher } from '../../app/core/watch/logs/logMatcher.ts';
import { scanLogFile } from '../../app/core/watch/logs/logScanner.ts';
import { reportBench, type BenchRow } from './benchReport.ts';

const OLD_CRASH_PATTERN = /\b(?:FATAL|ERROR)\b.*(?:[Uu]nhandled ?[Ee]xception|UNHANDLED ?EXCEPTION|System\.\w+Exception)/;
const TARGET_MS = 50;
const RUNS = 5;

async function best(work: () => unknown): Promise<number> {
  let ms = Infinity;
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    await work();
    ms = Math.min(ms, performance.now() - started);
  }
  return ms;
}

const dir = mkdtempSync(join(tmpdir(), 'lifeboat-adversarial-'));
try {
  const line = `2026-01-05 09:41:07,123 [1] ${'ERROR '.repeat(174_763)}`; // just over 1 MiB
  const path = join(dir, 'EmisWeb.log');
  writeFileSync(path, `${line}\n2026-01-05 09:41:08,000 [1] INFO after\n`);
  const emis = DEFAULT_PROFILES.find((p) => p.name === 'emis-web')!;
  const patterns = compilePatterns(emis);
  const matcher = buildLogMatcher(patterns);
  const scanMs = await best(() => scanLogFile(path, matcher));
  const liveMs = await best(() => logRecordSignal({ text: line, path }, { name: emis.name, app: 'emisweb.exe', patterns }, 0));
  const old16 = await best(() => OLD_CRASH_PATTERN.test(line.slice(0, 16 * 1024)));
  const old32 = await best(() => OLD_CRASH_PATTERN.test(line.slice(0, 32 * 1024)));
  // Quadratic: 32× the length is 1024× the time.
  const oldExtrapolated = old32 * (1024 / 32) ** 2;
  const rows: BenchRow[] = [
    { metric: 'scanLogFile, one 1 MiB "ERROR ERROR …" line', value: scanMs, unit: 'ms', target: `<= ${TARGET_MS} ms`, met: scanMs <= TARGET_MS },
    { metric: 'live path (logRecordSignal) on that record', value: liveMs, unit: 'ms', target: `<= ${TARGET_MS} ms`, met: liveMs <= TARGET_MS },
    { metric: 'old crash pattern on 16 KiB of it', value: old16, unit: 'ms' },
    { metric: 'old crash pattern on 32 KiB of it', value: old32, unit: 'ms', note: `${(old32 / old16).toFixed(1)}× for 2× the length: quadratic` },
    { metric: 'old crash pattern on 1 MiB, extrapolated', value: oldExtrapolated / 1000, unit: 's' },
  ];
  reportBench('scanAdversarial', rows, { lineBytes: line.length, bestOf: RUNS, note: 'the machine was shared with other work while measuring' });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
