import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../../app/core/serve/rendererBundle.ts';
import { cliUnderTest } from '../../support/cliUnderTest.ts';

export interface ServeProcess {
  /** The printed address, token included. */
  url: string;
  origin: string;
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  stdout(): string;
  stderr(): string;
  /** kill -9: no handler runs, nothing is flushed; what survives is what the vault already had. */
  crash(): Promise<void>;
  /** SIGTERM, and wait for a clean exit. */
  stop(): Promise<number | null>;
}

const URL_LINE = /^Lifeboat UI: (http:\/\/\S+)$/m;

/**
 * The real command, through the test entry: the same program as bin/lifeboat.js, with the machine
 * policy at a file of the test's (the product's is fixed: /etc/lifeboat, %ProgramData%\Lifeboat).
 */
function serveEntry(policyPath: string): string[] {
  return cliUnderTest(policyPath, 'serve');
}

/** bin/lifeboat.js as a practice runs it: the machine policy where the platform keeps it, nothing else. */
function installedEntry(): string[] {
  return [join(PACKAGE_ROOT, 'bin', 'lifeboat.js'), 'serve'];
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/**
 * Starts `lifeboat serve --vault DIR` and resolves with the URL from its one line of output. The
 * machine policy is `policyPath` (default: a file beside the vault, absent unless the test writes it);
 * with `installed`, the entry a practice runs, whose policy no test can move.
 */
export async function startServeProcess(options: { vaultDir: string; policyPath?: string; installed?: boolean; env?: Record<string, string>; args?: string[]; timeoutMs?: number }): Promise<ServeProcess> {
  const entry = options.installed ? installedEntry() : serveEntry(options.policyPath ?? `${options.vaultDir}-policy.json`);
  const child = spawn(process.execPath, [...entry, '--vault', options.vaultDir, ...(options.args ?? [])], {
    cwd: PACKAGE_ROOT,
    // The service reads and writes settings files: keep them beside this test's vault, never in $HOME.
    env: { ...process.env, LIFEBOAT_CONFIG: `${options.vaultDir}-config.json`, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`lifeboat serve printed no URL within ${options.timeoutMs ?? 30_000} ms; stderr: ${stderr}`)), options.timeoutMs ?? 30_000);
    const check = (): void => {
      const match = URL_LINE.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off('data', check);
      resolve(match[1]!);
    };
    const fail = (err: Error): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => fail(new Error(`lifeboat serve exited (${code}) before printing its URL; stderr: ${stderr}`)));
  });

  return {
    url,
    origin: new URL(url).origin,
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    crash: async () => {
      child.kill('SIGKILL');
      await exited(child);
    },
    stop: async () => {
      child.kill('SIGTERM');
      return exited(child);
    },
  };
}
