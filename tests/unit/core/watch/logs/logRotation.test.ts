// Finding where a followed log went, on real files in a temp folder: by identity and head
// fingerprint, never by name alone.
import { copyFileSync, mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readIdentity } from '../../../../../app/core/watch/logs/fileIdentity.ts';
import { compileFileGlobs } from '../../../../../app/core/watch/logs/logFileGlob.ts';
import { findCopy, isCopyOfAny, locateRenamed, RotatedNames, rotatedUnseen, statFile, type FindFile } from '../../../../../app/core/watch/logs/logRotation.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lifeboat-rotation-'));
  dirs.push(dir);
  return dir;
}
const finder = (dir: string): FindFile => (name) => statFile(join(dir, name));
async function identityOf(path: string) {
  const handle = await open(path, 'r');
  try {
    return await readIdentity(handle, await handle.stat({ bigint: true }), path);
  } finally {
    await handle.close();
  }
}

describe('log rotation', () => {
  it('names rotated names by the globs they start with', () => {
    const rotated = new RotatedNames(compileFileGlobs(['*.log'], 'linux'));
    expect(rotated.isRotated('app.log.1')).toBe(true);
    expect(rotated.isRotated('EmisWeb.log.20260105')).toBe(true);
    expect(rotated.isRotated('app.log')).toBe(false); // a matching name is no rotation of itself
    expect(rotated.isRotated('notes.txt')).toBe(false);
  });

  it('finds a renamed file by its identity, also under a name outside the globs, and null once it is gone', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'app.log'), 'first line\n');
    const key = (await statFile(join(dir, 'app.log')))!.key;
    renameSync(join(dir, 'app.log'), join(dir, 'app.log.1'));
    writeFileSync(join(dir, 'app.log'), 'a new file\n');
    // The listing predates the rename: the folder is listed again before the file is called gone.
    expect(await locateRenamed(key, dir, ['app.log'], ['app.log'], finder(dir))).toBe(join(dir, 'app.log.1'));
    rmSync(join(dir, 'app.log.1'));
    expect(await locateRenamed(key, dir, await readdir(dir), ['app.log'], finder(dir))).toBeNull();
  });

  it('finds the copy copytruncate made (same head, other identity, long enough) and tells a copy from a stranger', async () => {
    const dir = tempDir();
    const original = join(dir, 'app.log');
    writeFileSync(original, '2026-01-05 09:00:00 first\n2026-01-05 09:00:01 second\n');
    writeFileSync(join(dir, 'other.log'), '2026-01-05 10:00:00 something else\n');
    copyFileSync(original, join(dir, 'app.log.1'));
    const identity = await identityOf(original);
    const copy = await findCopy({ path: original, dir, identity, readOffset: 20 });
    expect(copy).toMatchObject({ path: join(dir, 'app.log.1'), size: 53 });
    expect(copy!.identity.key).not.toBe(identity.key);
    expect(await findCopy({ path: original, dir, identity, readOffset: 54 })).toBeNull(); // shorter than what was read: not it

    const handle = await open(join(dir, 'app.log.1'), 'r');
    const stranger = await open(join(dir, 'other.log'), 'r');
    try {
      expect(await isCopyOfAny(handle, [identity])).toBe(true);
      expect(await isCopyOfAny(stranger, [identity])).toBe(false);
    } finally {
      await handle.close();
      await stranger.close();
    }
  });

  it('lists rotated files never followed and written since the last check, oldest first', async () => {
    const dir = tempDir();
    for (const [name, age] of [['app.log.2', 30], ['app.log.1', 20], ['app.log.3', 3600], ['app.log', 0], ['readme.txt', 10]] as const) {
      writeFileSync(join(dir, name), `${name}\n`);
      const at = new Date(Date.now() - age * 1000);
      utimesSync(join(dir, name), at, at);
    }
    const matches = compileFileGlobs(['*.log'], 'linux');
    const followedKey = (await statFile(join(dir, 'app.log.1')))!.key;
    const unseen = await rotatedUnseen({ names: await readdir(dir), matches, rotated: new RotatedNames(matches), find: finder(dir), followed: (key) => key === followedKey, writtenSince: Date.now() - 60_000 });
    // app.log.3 is older than the last check, app.log.1 is followed already, app.log matches the globs.
    expect(unseen.map((f) => f.path)).toEqual([join(dir, 'app.log.2')]);
  });
});
