/**
 * Proof 6 of the Windows lane: with no paths given, the bundled CLI under Windows Node keeps its
 * vault under %LOCALAPPDATA%\Lifeboat, reads the GP's settings from %APPDATA%\Lifeboat\config.json and
 * the practice policy from %ProgramData%\Lifeboat\policy.json; and a kill of Lifeboat in the middle
 * of saves loses no acknowledged save and leaves vault and settings whole.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRawVaultDb } from '../fixtures/vault/vaultTestKit.ts';
import { waitFor } from '../support/waitFor.ts';
import { lane, laneEnv, LifeboatRun, tempDir } from './support/wineLane.ts';

/** Wine keeps each Linux user's Windows profile under drive_c/users/<name>. */
function homes(): { local: string; roaming: string; programData: string } {
  const drive = join(lane().prefix, 'drive_c');
  const user = join(drive, 'users', userInfo().username);
  return { local: join(user, 'AppData', 'Local', 'Lifeboat'), roaming: join(user, 'AppData', 'Roaming', 'Lifeboat'), programData: join(drive, 'ProgramData', 'Lifeboat') };
}

/** No LIFEBOAT_* paths and no key in the environment: everything from the Windows defaults. */
function defaultsEnv(): NodeJS.ProcessEnv {
  const env = laneEnv();
  for (const name of Object.keys(env)) if (name.startsWith('LIFEBOAT_')) delete env[name];
  return env;
}

interface Serve {
  run: LifeboatRun;
  origin: string;
  token: string;
  /** The Linux pid of the Windows node.exe serving (to kill it as Windows would: no handler runs). */
  nodePid: number;
}

const PORT = 20_000 + Math.floor(Math.random() * 20_000);

function nodeExePid(marker: string): number | null {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      // node.exe itself, not the stdio relay whose command line names it too.
      if (/^\S*node\.exe /.test(cmdline) && cmdline.includes('lifeboat.mjs') && cmdline.includes(marker)) return Number(entry);
    } catch {
      // gone
    }
  }
  return null;
}

async function startServe(): Promise<Serve> {
  const run = new LifeboatRun(['serve', '--port', String(PORT)], defaultsEnv());
  const line = await run.out.waitFor((l) => l.startsWith('Lifeboat UI: '), 'lifeboat serve to print its address', 60_000);
  const url = new URL(line.slice('Lifeboat UI: '.length));
  let nodePid: number | null = null;
  await waitFor(() => (nodePid = nodeExePid(`--port ${PORT}`)) !== null, { what: 'the node.exe of lifeboat serve' });
  // The per-launch key travels in the address's fragment (never sent to a server), as a bearer token.
  const token = new URLSearchParams(url.hash.slice(1)).get('token') ?? url.searchParams.get('token');
  return { run, origin: url.origin, token: token!, nodePid: nodePid! };
}

async function call<T>(serve: Serve, name: string, arg: unknown): Promise<T> {
  // Bounded: a request in flight when the server is killed under Wine may get neither an answer
  // nor a reset (wineserver can hold the socket), and would wait for ever.
  const response = await fetch(`${serve.origin}/api/${name}`, { method: 'POST', headers: { Authorization: `Bearer ${serve.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(arg), signal: AbortSignal.timeout(20_000) });
  const result = (await response.json()) as { ok: boolean; value?: T; error?: unknown };
  if (!result.ok) throw new Error(`${name}: ${JSON.stringify(result.error)}`);
  return result.value as T;
}

let serve: Serve | null = null;

beforeAll(() => {
  const { local, roaming, programData } = homes();
  for (const dir of [local, roaming, programData]) rmSync(dir, { recursive: true, force: true });
  mkdirSync(roaming, { recursive: true });
  mkdirSync(programData, { recursive: true });
  // Notepad's UTF-8 with a BOM, CRLF: as IT and GPs leave these files.
  writeFileSync(join(roaming, 'config.json'), '\ufeff{\r\n  "settings": { "retentionDays": 30 }\r\n}\r\n');
  writeFileSync(join(programData, 'policy.json'), '{ "settings": { "notifications": { "enabled": false } } }\r\n');
});

afterAll(async () => {
  await serve?.run.stop();
});

describe('Windows homes, and a kill in the middle of saves, under Wine', () => {
  it('6. the vault, config and policy live at %LOCALAPPDATA%, %APPDATA% and %ProgramData%, and survive a kill of Lifeboat mid-save', async () => {
    const { local, roaming, programData } = homes();
    serve = await startServe();
    const settings = await call<{ retentionDays: number; notificationsEnabled: boolean; lockedByPolicy: string[] }>(serve, 'getSettings', {});
    expect(settings.retentionDays).toBe(30); // from %APPDATA%\Lifeboat\config.json
    expect(settings.notificationsEnabled).toBe(false); // from %ProgramData%\Lifeboat\policy.json
    expect(settings.lockedByPolicy).toContain('notificationsEnabled');
    // The ProgramData folder was asked of Windows (SHGetKnownFolderPath), not read from the environment.
    expect(serve.run.err.lines.join('\n')).not.toContain('could not be asked of Windows');
    expect(existsSync(join(local, 'vault', 'vault.db'))).toBe(true);
    expect(existsSync(join(local, 'vault', 'vault.key'))).toBe(true);
    expect(existsSync(join(roaming, 'vault'))).toBe(false); // never in the roaming profile

    // Saves one after another, each acknowledged; then one more in flight when Lifeboat is killed.
    let acknowledged = 0;
    let id: string | undefined;
    const body = (n: number): string => `Consultation note, revision ${n}: ${'history of presenting complaint. '.repeat(n % 50)}`;
    for (let n = 1; n <= 60; n++) {
      const saved = await call<{ id: string }>(serve, 'saveDraft', { ...(id ? { id } : {}), body: body(n), title: 'Kill test', reason: n % 10 === 0 ? 'blur' : undefined });
      id = saved.id;
      acknowledged = n;
    }
    // A settings write in flight too: the user file is replaced atomically or not at all.
    const inFlight = [call(serve, 'saveDraft', { id, body: body(61) }), call(serve, 'updateSettings', { retentionDays: 21 })].map((p) => p.catch(() => null));
    process.kill(serve.nodePid, 'SIGKILL');
    await Promise.all(inFlight);
    await serve.run.exited;
    serve = null;

    // The GP's file and the practice's policy are whole, and still where Windows keeps them.
    expect(() => JSON.parse(readFileSync(join(roaming, 'config.json'), 'utf8').replace(/^\ufeff/, ''))).not.toThrow();
    expect(readFileSync(join(programData, 'policy.json'), 'utf8')).toContain('"enabled": false');

    // The next start opens the same vault from its default home and has every acknowledged save.
    serve = await startServe();
    const latest = await call<{ body: string }>(serve, 'getDraft', { id });
    expect([body(acknowledged), body(acknowledged + 1)]).toContain(latest.body);
    await serve.run.stop();
    serve = null;

    // And SQLite itself finds the file sound (decrypted here, on Linux, with the key from its home).
    const key = Buffer.from(readFileSync(join(local, 'vault', 'vault.key'), 'utf8').trim(), 'hex');
    const copy = join(tempDir('homes'), 'vault.db');
    copyFileSync(join(local, 'vault', 'vault.db'), copy);
    if (existsSync(join(local, 'vault', 'vault.db-wal'))) copyFileSync(join(local, 'vault', 'vault.db-wal'), `${copy}-wal`);
    const db = openRawVaultDb(copy, key);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    expect(execFileSync('ls', [join(local, 'vault')], { encoding: 'utf8' })).not.toMatch(/etilqs|\.tmp/);
  });
});
