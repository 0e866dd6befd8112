import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileOnceSync, TEMP_PREFIX, writeFileAtomic, writeFileAtomicSync } from '../../../../app/core/atomicWrite/atomicWrite.ts';
import { cleanupTempDirs, tempDir } from '../../../fixtures/vault/vaultTestKit.ts';

afterAll(cleanupTempDirs);

const modeOf = (path: string): number => statSync(path).mode & 0o777;
const leftovers = (dir: string): string[] => readdirSync(dir).filter((n) => n.startsWith(TEMP_PREFIX));

/** Runs fn with a umask, restoring the old one: the mode must not depend on the caller's umask. */
function withUmask<T>(mask: number, fn: () => T): T {
  const old = process.umask(mask);
  try {
    return fn();
  } finally {
    process.umask(old);
  }
}

const writers = {
  sync: async (path: string, data: string, mode?: number) => writeFileAtomicSync(path, data, mode === undefined ? {} : { mode }),
  async: (path: string, data: string, mode?: number) => writeFileAtomic(path, data, mode === undefined ? {} : { mode }),
};

describe.each(Object.entries(writers))('writeFileAtomic (%s)', (_kind, write) => {
  it('replaces the file whole, private (0600) by default whatever the umask, and leaves no temporary file', async () => {
    const dir = tempDir('lifeboat-atomic-');
    const path = join(dir, 'state.json');
    writeFileSync(path, 'old', { mode: 0o644 });
    await withUmask(0, () => write(path, 'new content'));
    expect(readFileSync(path, 'utf8')).toBe('new content');
    expect(modeOf(path)).toBe(0o600);
    expect(leftovers(dir)).toEqual([]);
  });

  it('sets exactly the mode asked for, even under a umask that would narrow it', async () => {
    const dir = tempDir('lifeboat-atomic-');
    const path = join(dir, 'shared.ndjson');
    await withUmask(0o077, () => write(path, 'for every PC', 0o644));
    expect(modeOf(path)).toBe(0o644);
  });

  it('removes its temporary file when the rename fails (the target is a folder)', async () => {
    const dir = tempDir('lifeboat-atomic-');
    const path = join(dir, 'export.json');
    mkdirSync(path);
    await expect(write(path, 'every draft, in plaintext')).rejects.toThrow(/EISDIR|EEXIST|ENOTEMPTY|illegal operation/i);
    expect(leftovers(dir)).toEqual([]);
  });

  it('fails cleanly into a missing folder, creating nothing', async () => {
    const dir = tempDir('lifeboat-atomic-');
    await expect(write(join(dir, 'missing', 'file.json'), 'x')).rejects.toThrow(/ENOENT/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('replaces a symlink at the target instead of writing through it', async () => {
    const dir = tempDir('lifeboat-atomic-');
    const elsewhere = join(tempDir('lifeboat-atomic-other-'), 'victim.txt');
    writeFileSync(elsewhere, 'untouched');
    const path = join(dir, 'out.json');
    symlinkSync(elsewhere, path);
    await write(path, 'ours');
    expect(readFileSync(elsewhere, 'utf8')).toBe('untouched');
    expect(lstatSync(path).isSymbolicLink()).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe('ours');
  });
});

describe('createFileOnceSync', () => {
  it('creates a new file whole and private, and never replaces one that exists', () => {
    const dir = tempDir('lifeboat-atomic-');
    const path = join(dir, 'vault.key');
    expect(withUmask(0, () => createFileOnceSync(path, 'first\n'))).toBe(true);
    expect(modeOf(path)).toBe(0o600);
    expect(createFileOnceSync(path, 'second\n')).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe('first\n');
    expect(leftovers(dir)).toEqual([]);
  });
});

describe('the order of system calls (strace)', () => {
  it('creates the temporary file exclusively without following links, sets the mode on the handle, fsyncs it, renames, then fsyncs the folder', () => {
    const dir = tempDir('lifeboat-atomic-');
    const path = join(dir, 'settings.json');
    const script = `import { writeFileAtomicSync } from ${JSON.stringify(join(import.meta.dirname, '../../../../app/core/atomicWrite/atomicWrite.ts'))}; writeFileAtomicSync(${JSON.stringify(path)}, 'x');`;
    const trace = join(dir, '..', `${dir.split('/').pop()}.trace`);
    const run = spawnSync('strace', ['-f', '-y', '-qq', '-e', 'trace=openat,fchmod,write,fsync,rename,renameat,renameat2', '-o', trace, process.execPath, '--input-type=module', '-e', script]);
    expect(run.status, run.stderr.toString()).toBe(0);
    const calls = readFileSync(trace, 'utf8')
      .split('\n')
      .filter((l) => l.includes(dir))
      .map((l) => l.replace(/^\d+\s+/, ''));
    const index = (pattern: RegExp): number => calls.findIndex((l) => pattern.test(l));
    const open = index(/^openat\(.*\.tmp-settings\.json-[0-9a-f]+", O_WRONLY\|O_CREAT\|O_EXCL\|O_NOFOLLOW/);
    const chmod = index(/^fchmod\(\d+<[^>]*\.tmp-settings\.json-[0-9a-f]+>, 0600\)/);
    const fsyncFile = index(/^fsync\(\d+<[^>]*\.tmp-settings\.json-[0-9a-f]+>\)/);
    const rename = index(/^rename(at2?)?\(.*\.tmp-settings\.json-[0-9a-f]+".*settings\.json"/);
    const fsyncDir = calls.findIndex((l, i) => i > rename && new RegExp(`^fsync\\(\\d+<${dir}>\\)`).test(l));
    expect([open, chmod, fsyncFile, rename, fsyncDir].every((n) => n >= 0), calls.join('\n')).toBe(true);
    expect(open < chmod && chmod < fsyncFile && fsyncFile < rename && rename < fsyncDir, calls.join('\n')).toBe(true);
  });
});
