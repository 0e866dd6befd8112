import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../app/common/clock.ts';
import type { Incident } from '../../app/common/incident.ts';
import { siteContext } from '../../app/core/api/siteContext.ts';
import { inThreadReads } from '../../app/core/api/uiReads.ts';
import { defaultRuntimeEntries } from '../../app/core/runtime/runtimeEntries.ts';
import { MaintenanceScheduler } from '../../app/core/vault/maintenanceScheduler.ts';
import { ReadOnlyVault } from '../../app/core/vault/readOnlyVault.ts';
import type { Vault } from '../../app/core/vault/vault.ts';
import { asReadConnection, type ReadConnection, type WriteConnection } from '../../app/core/vault/vaultHandles.ts';
import { FixedKeySource } from '../../app/core/vault/vaultKey.ts';
import { VaultWorker } from '../../app/core/vault/vaultWorker.ts';
import { waitFor } from '../support/waitFor.ts';
import { bytesContainText, cleanupTempDirs, decryptedCopy, openRawVaultDb, openTestVault, tempDir, TEST_KEY } from '../fixtures/vault/vaultTestKit.ts';

afterAll(cleanupTempDirs);

const DAY = 86_400_000;
let worker: VaultWorker | null = null;
let vault: Vault | null = null;
afterEach(async () => {
  await worker?.close();
  vault?.close();
  worker = null;
  vault = null;
});

function start(dir: string, clock: ManualClock, options: { walAutoCheckpoint?: boolean; onWrite?: () => void } = {}): { vault: Vault; worker: VaultWorker } {
  vault = openTestVault(dir, { clock, ...options });
  worker = new VaultWorker({ entry: defaultRuntimeEntries().vaultWorker, dir, key: TEST_KEY });
  return { vault, worker };
}

const crashAt = (at: number): Incident => ({ id: `inc-${at}`, kind: 'crash', app: 'emisweb.exe', profile: 'emis-web', startedAt: new Date(at).toISOString(), endedAt: null, sources: ['log'], evidence: ['x'], signature: null });

describe('the vault maintenance worker: its own connections, long reads and maintenance off the saving thread', () => {
  it('answers lists, search, incidents, recovery grouping, status and reports exactly as the vault would', async () => {
    const dir = tempDir();
    const clock = new ManualClock();
    const { vault, worker } = start(dir, clock);
    const before = vault.save({ body: 'Chest pain radiating to the left arm', title: 'before the crash' });
    clock.advance(3000);
    vault.recordIncident(crashAt(clock.now()));
    clock.advance(60_000);
    vault.save({ body: 'Asthma review, peak flow 420', title: 'after' });
    const now = clock.now();
    const names = [{ name: 'emis-web', displayName: 'EMIS Web' }];
    const site = siteContext({ vaultPath: vault.path, workstation: 'ROOM-2' });
    const here = inThreadReads(vault);
    expect(await worker.list(50)).toEqual(await here.list(50));
    expect(await worker.listIncidents({}, names)).toEqual(await here.listIncidents({}, names));
    expect(await worker.statusSummary(now, names)).toEqual(await here.statusSummary(now, names));
    const groups = await worker.recoveryCandidates(now, names);
    expect(groups[0]!.drafts.map((d) => d.id)).toEqual([before.id]);
    expect(groups[0]!.incident?.clientName).toBe('EMIS Web');
    expect(groups).toEqual(await here.recoveryCandidates(now, names));
    // Search shows snippets of note text: audited, so through the worker's own writer.
    const views = (): number => vault.auditTrail({ limit: 1000 }).filter((a) => a.action === 'view').length;
    const viewsBefore = views();
    const hits = await worker.search('chest', 10, names);
    expect(hits.map((h) => h.id)).toEqual([before.id]);
    expect(hits[0]!.snippet).toContain('Chest');
    expect(views()).toBeGreaterThan(viewsBefore);
    expect(hits).toEqual(await here.search('chest', 10, names));
    const report = { kind: 'report' as const, format: 'csv' as const, from: new Date(now - DAY).toISOString(), to: new Date(now).toISOString(), timeZone: 'Europe/London' };
    expect(await worker.exportFile(report, now, site, names)).toEqual(await here.exportFile(report, now, site, names));
    // An error for the GP or IT keeps its code and words across the thread.
    await expect(worker.exportFile({ ...report, from: report.to, to: report.from }, now, site, names)).rejects.toMatchObject({ code: 'BAD_ARGUMENT', message: expect.stringMatching(/the period is empty/) as unknown as string });
    expect(await worker.practiceView(site, now)).toMatchObject({ sharePath: null, workstations: [] });
  });

  it('reads through a connection SQLite itself keeps read-only', () => {
    const dir = tempDir();
    openTestVault(dir).close();
    const reader = ReadOnlyVault.open({ dir, keySource: new FixedKeySource(TEST_KEY), clock: new ManualClock() });
    try {
      expect(reader.list()).toEqual([]);
      // Its connection refuses a write whatever the code holding it tries.
      const raw = openRawVaultDb(join(dir, 'vault.db'), TEST_KEY, { readonly: true });
      const read: ReadConnection = asReadConnection(raw);
      expect(() => read.exec("INSERT INTO audit (at, action, draft_id, detail) VALUES (0, 'view', NULL, '{}')")).toThrow(/readonly|read-only/i);
      // @ts-expect-error a read connection is never a write connection
      const write: WriteConnection = read;
      expect(write).toBe(read);
      raw.close();
    } finally {
      reader.close();
    }
  });

  it('purges in short steps: the text leaves the file, one audit row, and saves go on between the steps', async () => {
    const dir = tempDir();
    const clock = new ManualClock();
    const { vault, worker } = start(dir, clock, { walAutoCheckpoint: false });
    // 120 old drafts (five purge steps), one pinned, one recent.
    vault.batch(() => {
      for (let i = 0; i < 120; i++) vault.save({ body: `Old note ${i} about Xylophagous beetles. ${'padding '.repeat(200)}`, title: `Wunderkammer ${i}`, reason: 'blur' });
    });
    const pinned = vault.save({ body: 'Pinned note about Pterodactylic things', reason: 'blur' });
    vault.setPinned(pinned.id, true);
    clock.advance(15 * DAY);
    const recent = vault.save({ body: 'Recent note about Ornithischian things', reason: 'blur' });

    let saves = 0;
    let typing = true;
    const typist = (async () => {
      let id: string | undefined;
      while (typing) {
        id = vault.save({ ...(id ? { id } : {}), body: `typing during the purge ${saves++}` }).id;
        await new Promise((r) => setTimeout(r, 1));
      }
    })();
    const { purged } = await worker.purge(clock.now(), 14 * DAY);
    typing = false;
    await typist;
    expect(purged).toBe(120);
    expect(saves).toBeGreaterThan(0);
    expect(vault.list({ limit: 2000 }).map((d) => d.id)).toEqual(expect.arrayContaining([pinned.id, recent.id]));
    expect(vault.search('Xylophagous')).toEqual([]);
    expect(vault.auditTrail().filter((a) => a.action === 'purge').map((a) => a.detail)).toEqual([{ drafts: 120, olderThanMs: 14 * DAY }]);
    const plain = readFileSync(decryptedCopy(join(dir, 'vault.db')));
    for (const gone of ['Xylophagous', 'Wunderkammer']) expect(bytesContainText(plain, gone), gone).toBe(false);
    expect(bytesContainText(plain, 'Ornithischian')).toBe(true);
    expect(vault.integrityCheck()).toEqual(['ok']);
  });

  it('never checkpoints inside a save; checkpoints when typing pauses', async () => {
    const dir = tempDir();
    const clock = new ManualClock();
    let scheduler: MaintenanceScheduler | null = null;
    const { vault, worker } = start(dir, clock, { walAutoCheckpoint: false, onWrite: () => scheduler?.noteWrite() });
    scheduler = new MaintenanceScheduler({ worker, now: () => clock.now(), pauseMs: 300 });
    const wal = join(dir, 'vault.db-wal');
    // Far past SQLite's 1000-page auto-checkpoint: each save appends pages, none copies them back.
    let id: string | undefined;
    for (let i = 0; i < 400; i++) id = vault.save({ ...(id ? { id } : {}), body: `${'word '.repeat(2000)} ${i}`, reason: 'blur' }).id;
    expect(scheduler.counts).toEqual({ checkpointsAtPause: 0, checkpointsForced: 0, purges: 0 });
    expect(statSync(wal).size).toBeGreaterThan(1000 * 4096);
    await waitFor(() => scheduler!.counts.checkpointsAtPause === 1, { what: 'the checkpoint after the pause' });
    // Everything in the WAL is now in the database file: a second checkpoint has nothing left to copy.
    const after = await worker.checkpoint('PASSIVE');
    expect(after.logFrames).toBe(after.checkpointedFrames);
    await scheduler.stop();
  });

  it('a long burst of typing still gets a checkpoint (PASSIVE, it never blocks a save) after enough writes', async () => {
    const dir = tempDir();
    const clock = new ManualClock();
    let scheduler: MaintenanceScheduler | null = null;
    const { vault, worker } = start(dir, clock, { walAutoCheckpoint: false, onWrite: () => scheduler?.noteWrite() });
    scheduler = new MaintenanceScheduler({ worker, now: () => clock.now(), pauseMs: 60_000, maxWritesWithoutCheckpoint: 50 });
    let id: string | undefined;
    for (let i = 0; i < 120; i++) {
      id = vault.save({ ...(id ? { id } : {}), body: `note ${i}`, reason: 'blur' }).id;
      await new Promise((r) => setTimeout(r, 2));
    }
    await waitFor(() => scheduler!.counts.checkpointsForced >= 1, { what: 'a checkpoint during a long burst' });
    expect(scheduler.counts.checkpointsAtPause).toBe(0);
    await scheduler.stop();
  });
});
