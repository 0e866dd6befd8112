/**
 * `npm run wine -- <lifeboat arguments>` behaves like the command itself, which other checks rely
 * on: stdin, stdout, stderr and the exit code pass through; the current directory is on Z: so Linux
 * paths work as arguments; WINEPREFIX and DISPLAY from the environment are the ones used. It also
 * shows the bundle runs on Node 22, the oldest Node Lifeboat supports (the Node Wine can run).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WINE64, windowsPath } from '../../scripts/windows/provision.js';
import { lane, laneEnv, runLifeboat, settledOutput, tempDir, TestClient, WINE_SCRIPT } from './support/wineLane.ts';

const ROOT = join(import.meta.dirname, '..', '..');

/** Through npm itself, as a person types it; --silent keeps npm's "> lifeboat wine" banner off stdout. */
function npmRunWine(args: string[], options: { input?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', '--prefix', ROOT, 'wine', '--', ...args], { cwd: options.cwd ?? ROOT, env: options.env ?? laneEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => void settledOutput(child).then(() => resolve({ code, stdout, stderr })));
    child.stdin.end(options.input ?? '');
  });
}

describe('npm run wine -- <lifeboat arguments>', () => {
  it('runs the bundle on Windows Node 22 (the oldest supported Node): --help exits 0', async () => {
    const node = await new Promise<string>((resolve, reject) => {
      const child = spawn(WINE64, [lane().stdio, windowsPath(lane().node), '-p', 'process.version'], { env: laneEnv() });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.on('error', reject);
      child.on('exit', () => void settledOutput(child).then(() => resolve(out.trim())));
      child.stdin.end();
    });
    expect(node).toMatch(/^v22\./);
    const help = await npmRunWine(['--help']);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^Usage: lifeboat /);
    expect(help.stdout).toContain('watch');
  });

  it('passes stdin, stdout, stderr and the exit code through, and Linux absolute paths work from Z:', async () => {
    const dir = tempDir('contract');
    const vault = join(dir, 'my vault'); // a space, to check the quoting on the way to Windows
    const saved = await npmRunWine(['drafts', 'save', '--vault', vault, '--title', 'Stdin note'], { input: 'Typed on stdin: £5 co-pay, naïve café\n' });
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.stderr).toBe('');
    const { id } = JSON.parse(saved.stdout) as { id: string };
    expect(readFileSync(join(vault, 'vault.meta.json'), 'utf8')).toContain('{'); // the Linux folder, via Z:

    const shown = await runLifeboat(['drafts', 'show', id, '--vault', vault, '--json']);
    expect(JSON.parse(shown.stdout)).toMatchObject({ body: 'Typed on stdin: £5 co-pay, naïve café\n', title: 'Stdin note' });

    const bad = await npmRunWine(['drafts', 'show', 'no-such-draft', '--vault', vault, '--json']);
    expect(bad.code).not.toBe(0);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/^lifeboat: /);
    const usage = await npmRunWine(['no-such-command']);
    expect(usage.code).toBe(2); // a usage error, as on Linux
    expect(usage.stderr).toBe("lifeboat: unknown command 'no-such-command'; see 'lifeboat --help'\n");
  });

  it('runs in the current directory, on Z:, so relative paths resolve there', async () => {
    const dir = tempDir('cwd');
    mkdirSync(join(dir, 'inbox'));
    writeFileSync(join(dir, 'inbox', 'app.log'), '2026-01-05 09:41:07,123 [1] ERROR Shell - Unhandled exception: System.OutOfMemoryException\r\n');
    const scanned = await runLifeboat(['scan', 'inbox', '--json', '--profile', 'generic'], { cwd: dir });
    expect(scanned.code, scanned.stderr).toBe(0);
    const result = JSON.parse(scanned.stdout) as { skipped: Array<{ path: string }>; signals: number };
    expect(result.skipped).toEqual([]);
    expect(result.signals).toBeGreaterThan(0);
  });

  it('uses WINEPREFIX and DISPLAY from the environment: it sees a window of a program running in that Wine session', async () => {
    const client = await TestClient.start();
    try {
      const dir = tempDir('session');
      // Capture reads the foreground window of that session: proof that both programs share it.
      const config = join(dir, 'config.json');
      writeFileSync(config, JSON.stringify({ settings: { activeProfiles: ['test-clinic'] }, profiles: [{ name: 'test-clinic', displayName: 'Test Clinic', processNames: ['LifeboatTestClient.exe'] }] }));
      await client.send('focus note');
      await client.send('settext note shared session');
      const watch = spawn(process.execPath, [WINE_SCRIPT, 'watch', '--config', config, '--vault', join(dir, 'v'), '--json', '--signals'], { env: laneEnv() });
      let out = '';
      watch.stdout.on('data', (d: Buffer) => (out += d.toString()));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start signal; got: ${out}`)), 60_000);
        watch.stdout.on('data', () => {
          if (out.includes(`"pid":${client.windowsPid}`)) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      watch.kill('SIGTERM');
      await new Promise((resolve) => watch.on('exit', resolve));
    } finally {
      client.kill();
    }
  });
});
