import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../app/common/clock.ts';
import type { Vault } from '../../app/core/vault/vault.ts';
import { DiskFullError } from '../../app/core/vault/vaultErrors.ts';
import { cleanupTempDirs, openTestVault, tempDir } from '../fixtures/vault/vaultTestKit.ts';

const DAY = 86_400_000;
const mounts: string[] = [];

afterAll(() => {
  for (const dir of mounts.splice(0)) execFileSync('umount', ['-l', dir]);
  cleanupTempDirs();
});

/** Saves a growing note (every other save an explicit revision) until the vault refuses. */
function saveUntilFull(vault: Vault, clock: ManualClock): { id: string; lastBody: string; lastRevision: number; error: unknown } {
  let id: string | undefined;
  let body = 'Consultation note.\n';
  let lastBody = '';
  let lastRevision = 0;
  for (let i = 0; i < 10_000; i++) {
    body += `Line ${i}: pt reports cough, no fever; chest clear; safety-netted. `.repeat(8);
    clock.advance(100);
    try {
      const result = vault.save({ id, body, reason: i % 2 === 0 ? 'blur' : undefined });
      id = result.id;
      lastBody = body;
      lastRevision = result.revision;
    } catch (error) {
      return { id: id!, lastBody, lastRevision, error };
    }
  }
  throw new Error('the vault never filled up');
}

function expectIntact(vault: Vault, id: string, lastBody: string, lastRevision: number): void {
  expect(vault.integrityCheck()).toEqual(['ok']);
  const current = vault.show(id);
  expect(current.body).toBe(lastBody);
  expect(current.revision).toBe(lastRevision);
  expect(vault.show(id, lastRevision).body).toBe(lastBody);
  expect(vault.info(id).revisions).toBe(lastRevision);
}

describe('a full disk', () => {
  it('vault size limit: save throws DiskFullError, the last good revision stays readable; after a purge saves work again', () => {
    const dir = tempDir();
    const clock = new ManualClock();
    let vault = openTestVault(dir, { clock, maxSizeBytes: 256 * 1024 });
    const old = vault.save({ body: 'an old draft, due for purging '.repeat(300), reason: 'blur' });
    clock.advance(15 * DAY);

    const { id, lastBody, lastRevision, error } = saveUntilFull(vault, clock);
    expect(error).toBeInstanceOf(DiskFullError);
    expect((error as Error).message).toMatch(/^not saved: the disk .* is full .*the last saved version is intact/);
    expect(lastRevision).toBeGreaterThan(2);
    expectIntact(vault, id, lastBody, lastRevision);
    // A save that would need more room fails again, and again leaves everything intact.
    expect(() => vault.save({ id, body: lastBody + 'x'.repeat(200_000), reason: 'blur' })).toThrow(DiskFullError);
    expectIntact(vault, id, lastBody, lastRevision);

    // Still intact after a reopen.
    vault.close();
    vault = openTestVault(dir, { clock, maxSizeBytes: 256 * 1024 });
    expectIntact(vault, id, lastBody, lastRevision);

    // The purge frees the old draft's pages; the note can grow again.
    expect(vault.purgeOlderThan(14 * DAY)).toBe(1);
    expect(() => vault.info(old.id)).toThrow(/no draft/);
    const after = vault.save({ id, body: lastBody + ' And more after the purge.'.repeat(100), reason: 'blur' });
    expect(after.revision).toBe(lastRevision + 1);
    expect(vault.integrityCheck()).toEqual(['ok']);
    vault.close();

    // With room (a higher limit), it grows well past the old limit.
    vault = openTestVault(dir, { clock, maxSizeBytes: 4 * 1024 * 1024 });
    vault.save({ id, body: lastBody + 'y'.repeat(400_000), reason: 'blur' });
    expect(vault.show(id).body.length).toBe(lastBody.length + 400_000);
    expect(vault.integrityCheck()).toEqual(['ok']);
    vault.close();
  });

  it('real full filesystem (2 MiB tmpfs): DiskFullError, nothing lost; once space is freed, saves work again', () => {
    const mountPoint = tempDir('lifeboat-tmpfs-');
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0700', 'tmpfs', mountPoint]);
    mounts.push(mountPoint);
    const dir = join(mountPoint, 'vault');
    mkdirSync(dir);
    const clock = new ManualClock();
    let vault = openTestVault(dir, { clock });
    vault.save({ body: 'first', reason: 'blur' });
    // Something else fills most of the disk: leave ~600 KiB for the vault.
    const { bavail, bsize } = statfsSync(mountPoint);
    const ballast = join(mountPoint, 'ballast.bin');
    writeFileSync(ballast, Buffer.alloc(Math.max(0, bavail * bsize - 600 * 1024)));

    const { id, lastBody, lastRevision, error } = saveUntilFull(vault, clock);
    expect(error).toBeInstanceOf(DiskFullError);
    expectIntact(vault, id, lastBody, lastRevision);
    vault.close();
    vault = openTestVault(dir, { clock });
    const views = (): number => vault.auditTrail({ limit: 1000 }).filter((a) => a.action === 'view').length;
    const viewsBefore = views();
    expectIntact(vault, id, lastBody, lastRevision);

    // The practice frees space: the very next save works, and so does the rest.
    rmSync(ballast);
    const after = vault.save({ id, body: lastBody + ' Saved once space was freed.', reason: 'blur' });
    expect(after.revision).toBe(lastRevision + 1);
    // The two reads made while full are audited: at once if there was room, else with this save.
    expect(views() - viewsBefore).toBe(2);
    expect(vault.show(id).body).toBe(lastBody + ' Saved once space was freed.');
    expect(vault.integrityCheck()).toEqual(['ok']);
    vault.close();
  });
});
