// sqlite3mc encrypts the database and its WAL, not SQLite's temporary files: with temp_store at
// its file default, a large UPDATE or DELETE spills statement journals (old note text, in
// plaintext) to $SQLITE_TMPDIR/etilqs_*. These tests run the production Vault in a child process
// whose temp folder is a fresh directory, and check that nothing at all is created or written
// there while a ~1 MB note is saved, changed twice and purged.
import { spawn } from 'node:child_process';
import { readFileSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/waitFor.ts';
import { cleanupTempDirs, COMPILE_CACHE, tempDir } from '../fixtures/vault/vaultTestKit.ts';

afterAll(cleanupTempDirs);

const CHILD = join(import.meta.dirname, '..', 'fixtures', 'vault', 'largeNoteChurn.ts');
const MARKER = 'Quixotically';

function runChurn(command: string[], vaultDir: string, tmp: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, NODE_COMPILE_CACHE: COMPILE_CACHE, SQLITE_TMPDIR: tmp, TMPDIR: tmp };
    const [program, ...args] = [...command, process.execPath, CHILD, vaultDir, MARKER];
    const child = spawn(program!, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('note text never reaches a temporary file', () => {
  it('creates nothing in the temp folder during a large update and a purge (inotify watch)', async () => {
    const tmp = tempDir('lifeboat-sqlite-tmp-');
    const seen: string[] = [];
    const watcher = watch(tmp, (_event, name) => seen.push(String(name)));
    try {
      const result = await runChurn([], tempDir(), tmp);
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(/done 1/);
      // inotify delivers in order: once our own sentinel is seen, every earlier event has been.
      writeFileSync(join(tmp, 'sentinel'), '');
      await waitFor(() => seen.includes('sentinel'), { what: 'the sentinel file event' });
    } finally {
      watcher.close();
    }
    expect(seen.filter((name) => name !== 'sentinel').slice(0, 5)).toEqual([]);
  });

  it('opens and writes no file under the temp folder (strace of every open and write)', async () => {
    const tmp = tempDir('lifeboat-sqlite-tmp-');
    const trace = join(tempDir('lifeboat-strace-'), 'trace.txt');
    // -y prints the path behind every file descriptor, so a write to an unlinked etilqs_ file shows.
    const result = await runChurn(['strace', '-f', '-y', '-qq', '-e', 'trace=open,openat,write,pwrite64,writev', '-s', '32', '-o', trace], tempDir(), tmp);
    expect(result.stdout).toMatch(/done 1/);
    const lines = readFileSync(trace, 'utf8').split('\n');
    // Control: the trace does see the vault's own writes, so an empty result means something.
    expect(lines.some((l) => /pwrite64\(\d+<[^>]*vault\.db-wal>/.test(l))).toBe(true);
    const spilled = lines.filter((l) => l.includes(tmp));
    expect(spilled.length, `${spilled.length} calls on the temp folder, first: ${spilled[0]}`).toBe(0);
  });
});
