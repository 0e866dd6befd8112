// The vault at practice-server scale: 100k drafts with 1M revisions. Measures search p95, list
// p95 (first page of 50), open time, the pre-crash checkpoint, and file size per 1000 revisions.
// Each search is timed beside a bare FTS5 MATCH of the same expression on the same file (bareFtsMatch.ts).
//   node tests/bench/vaultScale.bench.ts           (npm run bench -- vaultScale)
//   LIFEBOAT_SCALE_DRAFTS=5000 node tests/bench/vaultScale.bench.ts   (a quick, smaller run)
// The built vault is cached under bench-results/ keyed by schema version and size, so re-runs
// only measure. Targets (issue 3 §5): search p95 and list p95 <= 50 ms.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ManualClock } from '../../app/common/clock.ts';
import { LATEST_SCHEMA_VERSION } from '../../app/core/vault/migrations/index.ts';
import { Vault } from '../../app/core/vault/vault.ts';
import { toFtsQuery } from '../../app/core/vault/ftsQuery.ts';
import { FixedKeySource } from '../../app/core/vault/vaultKey.ts';
import { seededRandom } from '../../app/common/seededRandom.ts';
import { bareFtsMatch } from './bareFtsMatch.ts';
import { BENCH_DIR, reportBench, summarise, type BenchRow } from './benchReport.ts';

const DRAFTS = Number(process.env.LIFEBOAT_SCALE_DRAFTS ?? 100_000);
const REVISIONS_PER_DRAFT = 10;
const DRAFTS_PER_BATCH = 2000;
const KEY = Buffer.alloc(32, 0x42);
const cacheDir = join(BENCH_DIR, `vault-scale-schema${LATEST_SCHEMA_VERSION}-${DRAFTS}`);
const doneFile = join(cacheDir, 'built.json');

// --- Realistic text: clinical phrases, a Zipf-like vocabulary, and patient names. -------------
const CLINICAL = [
  'patient', 'reports', 'cough', 'fever', 'days', 'weeks', 'chest', 'clear', 'pain', 'review', 'plan', 'advice', 'safety',
  'netted', 'bloods', 'blood', 'pressure', 'prescribed', 'amoxicillin', 'paracetamol', 'ibuprofen', 'history', 'examination',
  'abdomen', 'soft', 'non', 'tender', 'throat', 'tonsils', 'ears', 'sats', 'pulse', 'temperature', 'asthma', 'inhaler',
  'diabetes', 'hba1c', 'hypertension', 'ramipril', 'amlodipine', 'statin', 'cholesterol', 'anxiety', 'depression', 'sertraline',
  'sleep', 'headache', 'migraine', 'rash', 'eczema', 'emollient', 'referral', 'urgent', 'routine', 'follow', 'up', 'telephone',
  'consultation', 'seen', 'with', 'mother', 'daughter', 'carer', 'no', 'red', 'flags', 'worsening', 'improving', 'swelling',
  'knee', 'back', 'shoulder', 'physio', 'xray', 'ecg', 'normal', 'abnormal', 'repeat', 'medication', 'review', 'allergy',
];
const SYLLABLES = ['ka', 'lo', 'mi', 'ter', 'an', 'vel', 'os', 'pri', 'dun', 'ea', 'sol', 'gar', 'ne', 'tho', 'ril', 'bex', 'ul', 'sta', 'mor', 'fi'];
const rand = seededRandom(424242);
const word = (r: () => number, n: number): string => Array.from({ length: n }, () => SYLLABLES[Math.floor(r() * SYLLABLES.length)]).join('');
const VOCAB = Array.from({ length: 6000 }, (_, i) => word(seededRandom(i + 1), 2 + (i % 3)));
const SURNAMES = Array.from({ length: 2000 }, (_, i) => {
  const w = word(seededRandom(100_000 + i), 3);
  return w[0]!.toUpperCase() + w.slice(1) + 'son';
});
const FIRST = ['Amira', 'Ben', 'Chloe', 'Dev', 'Erin', 'Femi', 'Grace', 'Hugo', 'Isla', 'Jack', 'Kofi', 'Lena', 'Mo', 'Nia', 'Oscar', 'Priya'];

function zipfWord(): string {
  // Half the words from the small clinical list (very common), half from a long-tailed vocabulary.
  if (rand() < 0.5) return CLINICAL[Math.floor(rand() * CLINICAL.length)]!;
  return VOCAB[Math.floor(VOCAB.length * Math.pow(rand(), 2.5))]!;
}

function noteBody(length: number, surname: string): string {
  const parts = [`Patient: ${FIRST[Math.floor(rand() * FIRST.length)]} ${surname}.`];
  let size = parts[0]!.length;
  while (size < length) {
    const w = zipfWord();
    const sep = rand() < 0.1 ? '.\n' : rand() < 0.1 ? ', ' : ' ';
    parts.push(w + sep);
    size += w.length + sep.length;
  }
  return parts.join('').slice(0, length);
}

// --- Build (or reuse) the vault. ----------------------------------------------------------------
function build(): { ms: number; revisions: number } {
  rmSync(cacheDir, { recursive: true, force: true });
  mkdirSync(cacheDir, { recursive: true });
  const clock = new ManualClock(Date.UTC(2025, 0, 1));
  const vault = Vault.open({ dir: cacheDir, keySource: new FixedKeySource(KEY), clock });
  const started = performance.now();
  let revisions = 0;
  for (let first = 0; first < DRAFTS; first += DRAFTS_PER_BATCH) {
    vault.batch(() => {
      for (let d = first; d < Math.min(DRAFTS, first + DRAFTS_PER_BATCH); d++) {
        const finalLength = 600 + Math.floor(rand() * 900);
        const surname = SURNAMES[Math.floor(rand() * SURNAMES.length)]!;
        const body = noteBody(finalLength, surname);
        const id = `draft-${d}`;
        for (let k = 1; k <= REVISIONS_PER_DRAFT; k++) {
          clock.advance(1000 + Math.floor(rand() * 5000));
          const length = Math.round(finalLength * (0.5 + (0.5 * k) / REVISIONS_PER_DRAFT));
          const result = vault.save({ id, body: body.slice(0, length), title: k === 1 ? `${surname} consultation` : undefined, reason: 'blur' });
          if (result.revisionWritten) revisions++;
        }
      }
    });
    if ((first / DRAFTS_PER_BATCH) % 5 === 0) {
      const done = Math.min(DRAFTS, first + DRAFTS_PER_BATCH);
      console.log(`built ${done}/${DRAFTS} drafts, ${revisions} revisions, ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
  }
  vault.close();
  const ms = performance.now() - started;
  writeFileSync(doneFile, JSON.stringify({ drafts: DRAFTS, revisions, buildMs: ms, builtAt: new Date().toISOString() }) + '\n');
  return { ms, revisions };
}

let built: { buildMs: number; revisions: number; cached: boolean };
if (existsSync(doneFile)) {
  const cached = JSON.parse(readFileSync(doneFile, 'utf8')) as { buildMs: number; revisions: number };
  built = { ...cached, cached: true };
  console.log(`reusing the vault built earlier in ${cacheDir}`);
} else {
  console.log(`building ${DRAFTS} drafts x ${REVISIONS_PER_DRAFT} revisions in ${cacheDir} (cached for re-runs)`);
  const b = build();
  built = { buildMs: b.ms, revisions: b.revisions, cached: false };
}

// --- Measure. -----------------------------------------------------------------------------------
const fileBytes = (name: string): number => (existsSync(join(cacheDir, name)) ? statSync(join(cacheDir, name)).size : 0);
const dbBytes = fileBytes('vault.db');

const openMs: number[] = [];
let vault!: Vault;
for (let i = 0; i < 6; i++) {
  const t0 = performance.now();
  vault = Vault.open({ dir: cacheDir, keySource: new FixedKeySource(KEY), clock: new ManualClock(Date.UTC(2025, 6, 1)) });
  openMs.push(performance.now() - t0);
  if (i < 5) vault.close();
}
const firstOpenMs = openMs[0]!;

function time(fn: () => unknown, runs: number): number[] {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return samples;
}

const listMs = time(() => vault.list({ limit: 50 }), 200);
const listPage20Ms = time(() => vault.list({ limit: 50, offset: 1000 }), 50);

const qr = seededRandom(7);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(qr() * xs.length)]!;
const queries: Record<string, () => string> = {
  'surname (rare)': () => pick(SURNAMES),
  'vocabulary word (mid)': () => VOCAB[200 + Math.floor(qr() * 1000)]!,
  'clinical word (very common)': () => pick(CLINICAL),
  'surname + clinical word': () => `${pick(SURNAMES)} ${pick(CLINICAL)}`,
  'typing a prefix (3 letters)': () => pick(CLINICAL).slice(0, 3),
};
const searchRows: BenchRow[] = [];
const allSearch: number[] = [];
const allBare: number[] = [];
const hits: Record<string, number> = {};
const bare = bareFtsMatch(join(cacheDir, 'vault.db'), KEY);
for (const [label, make] of Object.entries(queries)) {
  const samples: number[] = [];
  const bareSamples: number[] = [];
  let total = 0;
  for (let i = 0; i < 60; i++) {
    const q = make();
    // The same query both ways, one after the other: the machine's load falls on both alike.
    const t0 = performance.now();
    total += vault.search(q).length;
    samples.push(performance.now() - t0);
    const t1 = performance.now();
    bare.match(toFtsQuery(q)!);
    bareSamples.push(performance.now() - t1);
  }
  hits[label] = total / 60;
  allSearch.push(...samples);
  allBare.push(...bareSamples);
  const p95 = summarise(samples).p95;
  const bareP95 = summarise(bareSamples).p95;
  searchRows.push({ metric: `search p95: ${label}`, value: p95, unit: 'ms', target: '<= 50 ms', met: p95 <= 50, note: `${hits[label]!.toFixed(0)} results avg; bare MATCH p95 ${bareP95.toFixed(2)} ms (${(p95 / bareP95).toFixed(1)}x)` });
}
bare.close();

// Twenty drafts being typed in (unrevisioned text), as at a real crash. This adds 20 revisions to
// the cached vault per run, which the other measurements do not notice.
const runTag = Date.now().toString(36);
for (let d = 0; d < 20; d++) {
  const id = `draft-${DRAFTS - 1 - d}`;
  vault.save({ id, body: `${vault.show(id).body} typing ${runTag}` });
}
let checkpointed = 0;
const checkpointMs = time(() => (checkpointed = vault.checkpointOpenDrafts('pre-crash')), 1)[0]!;
if (checkpointed !== 20) throw new Error(`expected 20 drafts with unrevisioned text, the checkpoint found ${checkpointed}`);
const checkpointIdleMs = summarise(time(() => vault.checkpointOpenDrafts('pre-crash'), 20)).p95;
vault.close();

const list = summarise(listMs);
const search = summarise(allSearch);
const revisions = built.revisions;
reportBench(
  'vaultScale',
  [
    { metric: 'drafts', value: DRAFTS, unit: 'drafts' },
    { metric: 'revisions', value: revisions, unit: 'revisions' },
    { metric: 'build time', value: built.buildMs / 1000, unit: 's', note: built.cached ? 'cached build, measured when built' : 'built this run' },
    { metric: 'search p95 (all queries)', value: search.p95, unit: 'ms', target: '<= 50 ms', met: search.p95 <= 50 },
    { metric: 'baseline: bare FTS5 MATCH p95 (same queries, first 50, unranked)', value: summarise(allBare).p95, unit: 'ms', note: `search costs ${(search.p95 / summarise(allBare).p95).toFixed(1)}x the bare MATCH: bm25 ranks every hit, then the join` },
    ...searchRows,
    { metric: 'list p95 (first page of 50)', value: list.p95, unit: 'ms', target: '<= 50 ms', met: list.p95 <= 50 },
    { metric: 'list p95 (page 21 of 50)', value: summarise(listPage20Ms).p95, unit: 'ms' },
    { metric: 'open time (first)', value: firstOpenMs, unit: 'ms' },
    { metric: 'open time (p50 of 6)', value: summarise(openMs).p50, unit: 'ms' },
    { metric: 'pre-crash checkpoint (20 drafts pending)', value: checkpointMs, unit: 'ms' },
    { metric: 'pre-crash checkpoint (nothing pending) p95', value: checkpointIdleMs, unit: 'ms' },
    { metric: 'vault.db size', value: dbBytes / 1024 / 1024, unit: 'MiB' },
    { metric: 'file size per 1000 revisions', value: dbBytes / 1024 / (revisions / 1000), unit: 'KiB' },
  ],
  { drafts: DRAFTS, revisionsPerDraft: REVISIONS_PER_DRAFT, bodyChars: '330-1500 (10 growing revisions of a 600-1500 char note)', cacheDir, searchHitsAvg: hits },
);
