import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HEAD_FINGERPRINT_BYTES, classifyChange, fingerprintCanGrow, headStillMatches, readIdentity, type FileIdentity } from '../../../../../app/core/watch/logs/fileIdentity.ts';

const dir = mkdtempSync(join(tmpdir(), 'lifeboat-identity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function identityOf(path: string): Promise<{ identity: FileIdentity; size: number; matches: (id: FileIdentity) => Promise<boolean> }> {
  const handle = await open(path, 'r');
  try {
    const stats = await stat(path, { bigint: true });
    const identity = await readIdentity(handle, stats, path);
    const size = Number(stats.size);
    // Opened only when asked, and always closed: a handle left to the garbage collector is a warning (DEP0137).
    const matches = async (id: FileIdentity): Promise<boolean> => {
      const other = await open(path, 'r');
      return headStillMatches(other, id, size).finally(() => other.close());
    };
    return { identity, size, matches };
  } finally {
    await handle.close();
  }
}

describe('file identity', () => {
  it('follows a file renamed away and tells it from the new file created under its name', async () => {
    const path = join(dir, 'app.log');
    writeFileSync(path, '2026-01-05 09:00:00 first\n');
    const before = await identityOf(path);
    renameSync(path, join(dir, 'app.log.1'));
    writeFileSync(path, '2026-01-05 10:00:00 second\n');
    const renamed = await identityOf(join(dir, 'app.log.1'));
    const replacement = await identityOf(path);
    expect(renamed.identity.key).toBe(before.identity.key);
    expect(replacement.identity.key).not.toBe(before.identity.key);
  });

  it('fingerprints at most 1 KiB, fewer bytes while the file is shorter, and says when to fingerprint again', async () => {
    const path = join(dir, 'short.log');
    writeFileSync(path, 'abc\n');
    const { identity } = await identityOf(path);
    expect(identity.headLength).toBe(4);
    expect(fingerprintCanGrow(identity, 4)).toBe(false);
    appendFileSync(path, 'x'.repeat(5000));
    const grown = await identityOf(path);
    expect(await grown.matches(identity)).toBe(true);
    expect(fingerprintCanGrow(identity, grown.size)).toBe(true);
    expect(grown.identity.headLength).toBe(HEAD_FINGERPRINT_BYTES);
  });

  it('classifies growth, truncation (copytruncate) and a rewrite past the old offset', async () => {
    const path = join(dir, 'rotating.log');
    writeFileSync(path, 'A'.repeat(2000));
    const first = await identityOf(path);
    expect(classifyChange(2000, first.size, await first.matches(first.identity))).toBe('unchanged');
    appendFileSync(path, 'more');
    const grown = await identityOf(path);
    expect(classifyChange(2000, grown.size, await grown.matches(first.identity))).toBe('grown');
    truncateSync(path, 0);
    appendFileSync(path, 'B'.repeat(100));
    const truncated = await identityOf(path);
    expect(truncated.identity.key).toBe(first.identity.key);
    expect(classifyChange(2004, truncated.size, await truncated.matches(first.identity))).toBe('truncated');
    appendFileSync(path, 'B'.repeat(5000));
    const rewritten = await identityOf(path);
    expect(classifyChange(2004, rewritten.size, await rewritten.matches(first.identity))).toBe('replaced');
  });
});
