// Save latency through Vault.save (what the note editor waits for) against a bare encrypted
// better-sqlite3 INSERT of the same body with the same durability settings, in the same run.
//   node tests/bench/vaultSave.bench.ts            (npm run bench -- vaultSave)
// Targets (issue 3 §5): p99 <= 2 ms, and p99 <= 3x the bare insert's p99.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../app/common/clock.ts';
import { Vault } from '../../app/core/vault/vault.ts';
import { FixedKeySource } from '../../app/core/vault/vaultKey.ts';
import { noteOfLength } from '../fixtures/vault/noteText.ts';
import { bareEncryptedInsert } from './bareInsert.ts';
import { reportBench, summarise } from './benchReport.ts';

const SAVES = Number(process.env.LIFEBOAT_BENCH_SAVES ?? 3000);
const WARMUP = 200;
const KEY = Buffer.alloc(32, 0x5c);

const dir = mkdtempSync(join(tmpdir(), 'lifeboat-bench-save-'));
try {
  const clock = new ManualClock();
  const vault = Vault.open({ dir, keySource: new FixedKeySource(KEY), clock });

  // The bare baseline: same cipher, same key handling, WAL, synchronous=FULL, a real temp file.
  const bare = bareEncryptedInsert(join(dir, 'bare.db'), KEY);

  const vaultMs: number[] = [];
  const bareMs: number[] = [];
  let written = 0;
  // Several notes of 1-3 KB, each growing a few characters per save (a debounced editor), with a
  // new note every 500 saves: mostly coalesced saves, a typing revision every ~200 characters.
  let id = 'bench-note-0';
  let length = 1000;
  for (let i = 0; i < WARMUP + SAVES; i++) {
    if (i > 0 && i % 500 === 0) {
      id = `bench-note-${i / 500}`;
      length = 1000 + (i % 1000);
    }
    length += 2 + (i % 3);
    const body = noteOfLength(length);
    clock.advance(180);

    const v0 = performance.now();
    const result = vault.save({ id, body });
    const v1 = performance.now();
    bare.insert(body);
    const b1 = performance.now();
    if (result.revisionWritten) written++;
    if (i >= WARMUP) {
      vaultMs.push(v1 - v0);
      bareMs.push(b1 - v1);
    }
  }
  vault.close();
  bare.close();

  const v = summarise(vaultMs);
  const b = summarise(bareMs);
  const ratio = v.p99 / b.p99;
  reportBench(
    'vaultSave',
    [
      { metric: 'vault save p50', value: v.p50, unit: 'ms' },
      { metric: 'vault save p99', value: v.p99, unit: 'ms', target: '<= 2 ms', met: v.p99 <= 2 },
      { metric: 'vault save max', value: v.max, unit: 'ms' },
      { metric: 'bare insert p50', value: b.p50, unit: 'ms' },
      { metric: 'bare insert p99', value: b.p99, unit: 'ms' },
      { metric: 'vault p99 / bare p99', value: ratio, unit: 'x', target: '<= 3x', met: ratio <= 3 },
      { metric: 'vault p50 / bare p50', value: v.p50 / b.p50, unit: 'x' },
      { metric: 'revisions written', value: (written / (WARMUP + SAVES)) * 100, unit: '% of saves' },
    ],
    { saves: SAVES, warmup: WARMUP, noteChars: '1000-3500, +2..4 per save', synchronous: 'FULL', journal: 'WAL', cipher: 'sqlcipher v4', vault: v, bare: b },
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
