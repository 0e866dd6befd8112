import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BenchRow {
  metric: string;
  value: number;
  unit: string;
  /** The target from the issue, e.g. "<= 2 ms", and whether it was met. */
  target?: string;
  met?: boolean;
  note?: string;
}

export const BENCH_DIR = join(import.meta.dirname, '..', '..', 'bench-results');

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function summarise(samples: number[]): { p50: number; p95: number; p99: number; max: number; mean: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN, mean };
}

const round = (n: number): number => (Math.abs(n) >= 100 ? Math.round(n) : Math.round(n * 1000) / 1000);

/**
 * Prints a table and writes bench-results/<name>.json. A row that missed its target makes the
 * process exit non-zero (npm run bench counts it as failed): every benchmark with a target can fail.
 */
export function reportBench(name: string, rows: BenchRow[], context: Record<string, unknown> = {}): void {
  mkdirSync(BENCH_DIR, { recursive: true });
  const file = join(BENCH_DIR, `${name}.json`);
  writeFileSync(file, JSON.stringify({ name, at: new Date().toISOString(), node: process.version, context, rows }, null, 2) + '\n');
  console.log(`\n## ${name}`);
  console.table(rows.map((r) => ({ metric: r.metric, value: round(r.value), unit: r.unit, target: r.target ?? '', met: r.met === undefined ? '' : r.met ? 'yes' : 'NO', note: r.note ?? '' })));
  console.log(`(written to ${file})`);
  exitOnMiss(rows);
}

function exitOnMiss(rows: readonly BenchRow[]): void {
  const missed = rows.filter((r) => r.met === false);
  if (missed.length === 0) return;
  console.log(`missed: ${missed.map((r) => `${r.metric} (${r.value} ${r.unit}, target ${r.target})`).join('; ')}`);
  process.exitCode = 1;
}
