// Log throughput: the offline scanner and the tailer's catch-up on a ~500 MB log4net-style log,
// against `wc -l` and `grep -cE` on the same file, same patterns, same run (page cache warm).
// Run: node tests/bench/logThroughput.bench.ts   (LOG_BENCH_MB=100 for a quicker run)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nativePattern } from '../../app/core/watch/logs/linePattern.ts';
import { buildLogMatcher, type LogPatterns } from '../../app/core/watch/logs/logMatcher.ts';
import { scanLogFile, type ScanResult } from '../../app/core/watch/logs/logScanner.ts';
import { LogTailer } from '../../app/core/watch/logs/logTailer.ts';
import { reportBench, type BenchRow } from './benchReport.ts';
import { CRASH, generateLog, HANG, SLOW } from './generatedLog.ts';

const TARGET_BYTES = Number(process.env.LOG_BENCH_MB ?? 500) * 1e6;
const RUNS = 2; // best of two for every tool: the machine is shared, the best run is the least disturbed

// The same three patterns for grep -E and the scanner (plain literals: same meaning in both).
const patterns: LogPatterns = { crash: [nativePattern(CRASH, false)], hang: [nativePattern(HANG, false)], slow: [nativePattern(SLOW, false)] };

const MB = 1e6;
const dir = process.argv[2] === '--generate' ? '' : mkdtempSync(join(tmpdir(), 'lifeboat-logbench-'));
const logPath = join(dir, 'EmisWeb.log');

function timeCommand(command: string, args: string[]): { ms: number; stdout: string } {
  let best = Infinity;
  let stdout = '';
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1024 * 1024 });
    const ms = performance.now() - started;
    if (result.status !== 0 && !(command === 'grep' && result.status === 1)) throw new Error(`${command} failed: ${result.stderr}`);
    best = Math.min(best, ms);
    stdout = result.stdout;
  }
  return { ms: best, stdout };
}

/** Samples RSS while `work` runs: the scan and the tailer read asynchronously, so the sampler gets turns. */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ value: T; peakRss: number; baseRss: number; ms: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const baseRss = process.memoryUsage.rss();
  let peakRss = baseRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 10);
  const started = performance.now();
  try {
    const value = await work();
    const ms = performance.now() - started;
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    return { value, peakRss, baseRss, ms };
  } finally {
    clearInterval(sampler);
  }
}

async function main(): Promise<void> {
  // Generated in a child process, so this process's memory figures start clean.
  const generationStarted = performance.now();
  const child = spawnSync(process.execPath, [import.meta.filename, '--generate', logPath, String(TARGET_BYTES)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (child.status !== 0) throw new Error('log generation failed');
  const generated = JSON.parse(child.stdout) as { bytes: number; lines: number; records: number; maxRssMB: number };
  const generationMs = performance.now() - generationStarted;
  const size = statSync(logPath).size;
  const mb = size / MB;

  const wc = timeCommand('wc', ['-l', logPath]);
  const grep = timeCommand('grep', ['-cE', `${CRASH}|${HANG}|${SLOW}`, logPath]);
  const grepCount = Number(grep.stdout.trim());
  const wcLines = Number(wc.stdout.trim().split(/\s+/)[0]);

  const matcher = buildLogMatcher(patterns);
  let scan: { value: ScanResult; peakRss: number; baseRss: number; ms: number } | null = null;
  for (let run = 0; run < RUNS; run++) {
    const attempt = await withPeakRss(() => scanLogFile(logPath, matcher));
    if (!scan || attempt.ms < scan.ms) scan = attempt;
  }
  const scanned = scan!.value;
  const scanMBps = mb / (scan!.ms / 1000);
  const wcMBps = mb / (wc.ms / 1000);
  const grepMBps = mb / (grep.ms / 1000);

  // The tailer catching up on the same file from offset 0: every record handed over.
  let tailedRecords = 0;
  const tailer = new LogTailer({
    paths: [{ dir, glob: ['EmisWeb.log'] }],
    statePath: join(dir, 'state', 'offsets.json'),
    onRecord: () => void tailedRecords++,
    startAt: 'beginning',
    watch: false,
    pollIntervalMs: 3_600_000,
  });
  const tail = await withPeakRss(async () => {
    await tailer.start();
    await tailer.poll();
  });
  await tailer.stop(); // hands nothing more over: the last record stays open for a restart to read
  const tailRecordsPerSecond = tailedRecords / (tail.ms / 1000);

  const rows: BenchRow[] = [
    { metric: 'scanLogFile throughput', value: scanMBps, unit: 'MB/s', target: '>= 100 MB/s', met: scanMBps >= 100 },
    { metric: 'scan vs wc -l', value: scanMBps / wcMBps, unit: 'x', target: '>= 0.3x', met: scanMBps / wcMBps >= 0.3, note: 'wc only counts newline bytes: compare with grep' },
    { metric: 'scan vs grep -cE (3 patterns)', value: scanMBps / grepMBps, unit: 'x', note: 'the fair comparison: same patterns, line matching' },
    { metric: 'wc -l throughput', value: wcMBps, unit: 'MB/s' },
    { metric: 'grep -cE throughput', value: grepMBps, unit: 'MB/s' },
    { metric: 'matching lines: scan', value: scanned.matchingLines, unit: 'lines', target: `= grep -cE (${grepCount})`, met: scanned.matchingLines === grepCount },
    { metric: 'lines: scan', value: scanned.lines, unit: 'lines', target: `= wc -l (${wcLines})`, met: scanned.lines === wcLines },
    { metric: 'matching records crash/hang/slow', value: scanned.counts.crash + scanned.counts.hang + scanned.counts.slow, unit: 'records', note: `${scanned.counts.crash}/${scanned.counts.hang}/${scanned.counts.slow}` },
    { metric: 'scan peak RSS', value: scan!.peakRss / MB, unit: 'MB', target: 'flat (growth < 64 MB)', met: scan!.peakRss - scan!.baseRss < 64 * MB, note: `base ${(scan!.baseRss / MB).toFixed(0)} MB` },
    { metric: 'tailer catch-up', value: tailRecordsPerSecond, unit: 'records/s', note: `${(mb / (tail.ms / 1000)).toFixed(0)} MB/s` },
    // The last record stays open (it may still get stack-trace lines) until a quiet period passes.
    { metric: 'tailer records handed over', value: tailedRecords, unit: 'records', target: `= ${generated.records - 1} (all but the open last)`, met: tailedRecords === generated.records - 1 },
    { metric: 'tailer catch-up peak RSS', value: tail.peakRss / MB, unit: 'MB', target: 'flat (growth < 64 MB)', met: tail.peakRss - tail.baseRss < 64 * MB, note: `base ${(tail.baseRss / MB).toFixed(0)} MB` },
  ];
  reportBench('logThroughput', rows, {
    fileMB: Math.round(mb),
    lines: generated.lines,
    generationSeconds: Math.round(generationMs / 100) / 10,
    generationPeakRssMB: generated.maxRssMB,
    bestOf: RUNS,
    scanPath: matcher.prefilter.everyLine ? 'every line' : matcher.prefilter.literals.length > 0 ? 'literals' : 'pattern search',
    locale: process.env.LC_ALL ?? process.env.LANG ?? 'unset',
  });
}

if (process.argv[2] === '--generate') {
  const result = generateLog(process.argv[3]!, Number(process.argv[4]));
  process.stdout.write(JSON.stringify({ ...result, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }));
} else {
  try {
    await main();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
