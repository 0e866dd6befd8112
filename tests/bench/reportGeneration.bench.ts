// Report generation for 100k incidents: building the data (with 20k notes' revision times),
// rendering HTML, CSV and JSON, and the whole path from a real encrypted vault; beside baselines
// in the same run: the incidents read from the vault and nothing else, and JSON.stringify of them.
// Run: node tests/bench/reportGeneration.bench.ts   (REPORT_BENCH_INCIDENTS=20000 for a quicker run)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../app/common/clock.ts';
import { renderCsv } from '../../app/core/report/csvReport.ts';
import { renderHtmlReport } from '../../app/core/report/htmlReport.ts';
import { buildReportData, buildReportFromVault, type DraftActivity } from '../../app/core/report/reportData.ts';
import { renderJson } from '../../app/core/report/reportSchema.ts';
import { generateIncidents } from '../../testing/report/syntheticIncidents.ts';
import { seededRandom } from '../../app/common/seededRandom.ts';
import { Vault } from '../../app/core/vault/vault.ts';
import { FixedKeySource } from '../../app/core/vault/vaultKey.ts';
import { reportBench, type BenchRow } from './benchReport.ts';

const COUNT = Number(process.env.REPORT_BENCH_INCIDENTS ?? 100_000);
const DRAFTS = 20_000;
const FROM = Date.UTC(2025, 0, 6);
const TO = Date.UTC(2026, 0, 5);
const RUNS = 3;

function best<T>(fn: () => T): { ms: number; value: T } {
  let ms = Infinity;
  let value: T | undefined;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    value = fn();
    ms = Math.min(ms, performance.now() - start);
  }
  return { ms, value: value! };
}

const incidents = generateIncidents({ count: COUNT, from: FROM, to: TO, seed: 42, withPatientData: true, workstation: 'RECEPTION-01' });
const random = seededRandom(9);
const draftActivity: DraftActivity[] = Array.from({ length: DRAFTS }, (_, i) => {
  const start = FROM + Math.floor(random() * (TO - FROM));
  return { id: `d${i}`, state: 'open', saveTimes: [0, 1, 2, 3, 4].map((k) => start + k * 90_000) };
});
const options = { from: FROM, to: TO, now: TO, timeZone: 'Europe/London' };

const build = best(() => buildReportData({ incidents, draftActivity, workstation: 'RECEPTION-01' }, options));
const data = build.value;
const html = best(() => renderHtmlReport(data));
const csv = best(() => renderCsv(data));
const json = best(() => renderJson(data));
const bareJson = best(() => JSON.stringify(incidents));
const MB = 1e6;

// The CLI's path: a real vault holding the incidents and notes, read back and reported.
const dir = mkdtempSync(join(tmpdir(), 'lifeboat-report-bench-'));
let fromVault: { ms: number } = { ms: NaN };
let bareRead: { ms: number } = { ms: NaN };
try {
  const clock = new ManualClock(FROM);
  const vault = Vault.open({ dir, keySource: new FixedKeySource(Buffer.alloc(32, 7)), clock });
  vault.batch(() => {
    for (const incident of incidents) vault.recordIncident(incident);
  });
  vault.batch(() => {
    for (let i = 0; i < 2000; i++) {
      clock.set(FROM + Math.floor(random() * (TO - FROM)));
      vault.save({ body: `invented note ${i}`, reason: 'blur' });
    }
  });
  fromVault = best(() => buildReportFromVault(vault, options));
  bareRead = best(() => vault.listIncidents({ from: FROM, to: TO }));
  vault.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const rows: BenchRow[] = [
  { metric: 'build report data', value: build.ms, unit: 'ms', note: `${COUNT} incidents, ${DRAFTS} notes × 5 revisions, redaction included` },
  { metric: 'render HTML', value: html.ms, unit: 'ms', note: `${(Buffer.byteLength(html.value) / MB).toFixed(2)} MB (table: latest 500)` },
  { metric: 'render CSV', value: csv.ms, unit: 'ms', note: `${(Buffer.byteLength(csv.value) / MB).toFixed(1)} MB` },
  { metric: 'render JSON', value: json.ms, unit: 'ms', note: `${(Buffer.byteLength(json.value) / MB).toFixed(1)} MB` },
  { metric: 'baseline: JSON.stringify of the incidents', value: bareJson.ms, unit: 'ms', note: `render JSON costs ${(json.ms / bareJson.ms).toFixed(1)}x` },
  { metric: 'vault → report data (CLI path)', value: fromVault.ms, unit: 'ms', note: `${COUNT} incidents + 2000 notes from an encrypted vault` },
  { metric: 'baseline: the incidents read from the vault, nothing else', value: bareRead.ms, unit: 'ms', note: `the CLI path costs ${(fromVault.ms / bareRead.ms).toFixed(1)}x` },
  { metric: 'total HTML report from vault', value: fromVault.ms + html.ms, unit: 'ms', target: '< 10000 ms', met: fromVault.ms + html.ms < 10_000 },
];
reportBench('report-generation', rows, { incidents: COUNT, drafts: DRAFTS, runs: `best of ${RUNS}` });
