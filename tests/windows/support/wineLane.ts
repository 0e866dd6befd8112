/**
 * Drives the Windows lane's two real programs under Wine: the Win32 test client
 * (client/lifeboatTestClient.c, commands on its stdin) and the bundled `lifeboat` CLI under Windows
 * Node 22, run exactly as `npm run wine -- …` runs it (scripts/windows/wine.js).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { WINE64, windowsPath, type WindowsPaths } from '../../../scripts/windows/provision.js';
import { waitFor } from '../../support/waitFor.ts';

export interface WineLane extends WindowsPaths {
  display: string;
  /** WINEPREFIX, WINEDEBUG, WINEDLLOVERRIDES, DISPLAY of the lane's Wine session. */
  env: Record<string, string>;
}

export const WINE_SCRIPT = join(import.meta.dirname, '..', '..', '..', 'scripts', 'windows', 'wine.js');
/** The profile name and executable of the test client. */
export const CLIENT_PROFILE = 'test-clinic';
export const CLIENT_EXE = 'LifeboatTestClient.exe';
/** A vault key for headless runs (LIFEBOAT_VAULT_KEY): 256 bits, hex. */
export const VAULT_KEY = 'a1'.repeat(32);

let standalone: WineLane | null = null;

/** Outside vitest (the benchmark), the caller says which lane to drive. */
export function useLane(lane: WineLane): void {
  standalone = lane;
}

export function lane(): WineLane {
  return standalone ?? inject('wineLane');
}

export function laneEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...lane().env, LIFEBOAT_VAULT_KEY: VAULT_KEY, ...extra };
}

export function tempDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `lifeboat-wine-${name}-`));
}

/** Collects a child's output as lines, and lets a test wait for one. */
class LineLog {
  readonly lines: string[] = [];
  /** When each line arrived (ms since the epoch, this machine's clock). */
  readonly arrivedAt: number[] = [];
  private partial = '';

  push(chunk: Buffer): void {
    const at = performance.timeOrigin + performance.now();
    const text = this.partial + chunk.toString('utf8');
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) {
      this.lines.push(line.replace(/\r$/, ''));
      this.arrivedAt.push(at);
    }
  }

  async waitFor(match: (line: string) => boolean, what: string, timeoutMs = 20_000): Promise<string> {
    let found: string | undefined;
    await waitFor(() => (found = this.lines.find(match)) !== undefined, { timeoutMs, what, intervalMs: 10 });
    return found!;
  }

  /** The first matching line after the first `from` lines. */
  async waitForAfter(from: number, match: (line: string) => boolean, what: string, timeoutMs = 20_000): Promise<string> {
    let found: string | undefined;
    await waitFor(() => (found = this.lines.slice(from).find(match)) !== undefined, { timeoutMs, what, intervalMs: 10 });
    return found!;
  }
}

/** The Win32 test client, running under Wine on the lane's display. */
export class TestClient {
  readonly out = new LineLog();
  readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<number | null>;
  windowsPid = 0;

  private constructor(child: ChildProcessWithoutNullStreams) {
    this.child = child;
    child.stdout.on('data', (d: Buffer) => this.out.push(d));
    child.stderr.on('data', () => undefined); // Wine's own notes ("starting debugger…")
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  }

  static async start(options: { logDir?: string; title?: string } = {}): Promise<TestClient> {
    const args = [lane().client];
    if (options.logDir) args.push('--log-dir', windowsPath(options.logDir));
    if (options.title) args.push('--title', options.title);
    const client = new TestClient(spawn(WINE64, args, { env: laneEnv(), stdio: ['pipe', 'pipe', 'pipe'] }));
    const ready = await client.out.waitFor((l) => l.startsWith('ready '), 'the test client to start', 30_000);
    client.windowsPid = Number(ready.split(' ')[1]);
    return client;
  }

  /** Sends one command and waits for its answer line (or, for crash/close, its announcement). */
  async send(command: string, answer: RegExp = new RegExp(`^(ok ${command.split(' ')[0]}|error)`)): Promise<string> {
    const from = this.out.lines.length;
    this.child.stdin.write(`${command}\n`);
    const line = await this.out.waitForAfter(from, (l) => answer.test(l), `the client to answer "${command.slice(0, 40)}"`);
    if (line.startsWith('error')) throw new Error(`test client: ${line}`);
    return line;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

export interface LifeboatEventLine {
  type: string;
  [key: string]: unknown;
}

/** A long-running `lifeboat` command under Wine (`watch --json --signals`), its NDJSON collected. */
export class LifeboatRun {
  readonly out = new LineLog();
  readonly err = new LineLog();
  readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<number | null>;

  constructor(args: string[], env: NodeJS.ProcessEnv = laneEnv()) {
    this.child = spawn(process.execPath, [WINE_SCRIPT, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (d: Buffer) => this.out.push(d));
    this.child.stderr.on('data', (d: Buffer) => this.err.push(d));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  /** Every stdout line that is JSON, parsed. */
  events(): LifeboatEventLine[] {
    return this.out.lines.flatMap((line) => {
      try {
        return [JSON.parse(line) as LifeboatEventLine];
      } catch {
        return [];
      }
    });
  }

  /** The first event that matches, among those from index `from` on (what happened after a step). */
  async waitForEvent(match: (event: LifeboatEventLine) => boolean, what: string, timeoutMs = 20_000, from = 0): Promise<LifeboatEventLine> {
    let found: LifeboatEventLine | undefined;
    await waitFor(() => (found = this.events().slice(from).find(match)) !== undefined, { timeoutMs, what: `${what} (stderr: ${this.err.lines.slice(-3).join(' | ')})`, intervalMs: 10 });
    return found!;
  }

  /** The command is up: its process watching has seen the client start. */
  async waitForClient(): Promise<void> {
    await this.waitForEvent((e) => e.type === 'signal' && e.source === 'process' && e.kind === 'start', 'lifeboat to see the test client start', 30_000);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    await this.exited;
  }
}

/** A test client, and `lifeboat watch --json --signals` beside it with a config naming it, once it has seen the client. */
export async function clientAndWatch(name: string, options: { logDir?: (dir: string) => string } = {}): Promise<{ dir: string; vault: string; client: TestClient; watch: LifeboatRun }> {
  const dir = tempDir(name);
  const logDir = options.logDir?.(dir);
  const client = await TestClient.start(logDir ? { logDir } : {});
  const vault = join(dir, 'vault');
  const watch = new LifeboatRun(['watch', '--config', writeClientConfig(dir, logDir ? { logDir } : {}), '--vault', vault, '--json', '--signals']);
  await watch.waitForClient();
  return { dir, vault, client, watch };
}

/** One `lifeboat` command under Wine, to completion. */
export function runLifeboat(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WINE_SCRIPT, ...args], { env: options.env ?? laneEnv(), stdio: ['pipe', 'pipe', 'pipe'], ...(options.cwd ? { cwd: options.cwd } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`lifeboat ${args.join(' ')} under Wine timed out`));
    }, options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      // A Windows program Wine started meanwhile (the desktop, a service) may hold the pipes open
      // after ours has ended: take what arrived, without waiting for an end of file that may not come.
      void settledOutput(child).then(() => resolve({ code, stdout, stderr }));
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Resolves when the child's stdout and stderr have ended, or have been quiet for 200 ms. */
export function settledOutput(child: ChildProcessWithoutNullStreams): Promise<void> {
  return new Promise((resolve) => {
    let timer = setTimeout(done, 200);
    const quiet = (): void => {
      clearTimeout(timer);
      timer = setTimeout(done, 200);
    };
    let ended = 0;
    const end = (): void => {
      if (++ended === 2) done();
    };
    function done(): void {
      clearTimeout(timer);
      child.stdout.off('data', quiet).off('end', end);
      child.stderr.off('data', quiet).off('end', end);
      resolve();
    }
    child.stdout.on('data', quiet).once('end', end);
    child.stderr.on('data', quiet).once('end', end);
    if (child.stdout.readableEnded) end();
    if (child.stderr.readableEnded) end();
  });
}

/**
 * A user config naming the test client as the only watched profile: its process, its log folder,
 * patterns for its log4net lines, and UI thresholds short enough for a test.
 */
export function writeClientConfig(dir: string, options: { logDir?: string; settings?: Record<string, unknown> } = {}): string {
  const path = join(dir, 'config.json');
  const config = {
    settings: { activeProfiles: [CLIENT_PROFILE], clientCapture: { enabled: true }, ...options.settings },
    profiles: [
      {
        name: CLIENT_PROFILE,
        displayName: 'Test Clinic',
        processNames: [CLIENT_EXE],
        ...(options.logDir ? { logs: [{ dir: options.logDir, glob: ['client.log'] }] } : {}),
        patterns: { crash: ['Unhandled exception'], slow: ['\\bSEQ \\d+'] },
        slow: { uiLatencyMs: 300, sustainedMs: 1000 },
      },
    ],
  };
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}
