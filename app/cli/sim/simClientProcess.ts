import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** Beside this module: simClient.ts when run from source, simClient.mjs in the bundled CLI. */
export const SIM_CLIENT_SCRIPT = ['simClient.ts', 'simClient.mjs'].map((f) => join(import.meta.dirname, f)).find((f) => existsSync(f)) ?? join(import.meta.dirname, 'simClient.ts');

export type SimCommand = 'slow' | 'ui-slow' | 'normal' | 'hang' | 'crash' | 'exit' | 'rotate' | 'clear';
export type SimFocusTarget = 'note' | 'password' | 'away' | 'none';

/** A running simulated clinical client, driven over its stdin. */
export class SimClientProcess {
  readonly child: ChildProcess;
  readonly ready: Promise<number>;
  exitCode: number | null | undefined = undefined;
  readonly exited: Promise<number | null>;

  private constructor(child: ChildProcess) {
    this.child = child;
    this.ready = new Promise((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.on('line', (line) => {
        const match = /^ready (\d+)$/.exec(line);
        if (match) resolve(Number(match[1]));
      });
      child.once('exit', () => reject(new Error('the simulated client exited before it was ready')));
    });
    this.ready.catch(() => {});
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        // A POSIX kill has no exit code; report it the way a shell does (128 + signal number).
        this.exitCode = code ?? (signal === 'SIGKILL' ? 137 : signal === 'SIGTERM' ? 143 : null);
        resolve(this.exitCode);
      });
    });
  }

  static start(options: { logDir: string; werDir?: string; rotateBytes?: number; rotateMode?: 'rename' | 'copytruncate'; intervalMs?: number; title?: string; socketDir?: string; uiSlowMs?: number }): SimClientProcess {
    const args = [SIM_CLIENT_SCRIPT, '--log-dir', options.logDir];
    if (options.title) args.push('--title', options.title);
    if (options.werDir) args.push('--wer-dir', options.werDir);
    if (options.rotateBytes) args.push('--rotate-bytes', String(options.rotateBytes));
    if (options.rotateMode) args.push('--rotate-mode', options.rotateMode);
    if (options.intervalMs) args.push('--interval-ms', String(options.intervalMs));
    if (options.socketDir) args.push('--socket-dir', options.socketDir);
    if (options.uiSlowMs) args.push('--ui-slow-ms', String(options.uiSlowMs));
    return new SimClientProcess(spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] }));
  }

  get pid(): number {
    return this.child.pid!;
  }

  send(command: SimCommand): void {
    this.child.stdin!.write(`${command}\n`);
  }

  /** The GP types into the consultation editor (sent as a JSON string: one stdin line whatever the text). */
  type(text: string): void {
    this.child.stdin!.write(`type ${JSON.stringify(text)}\n`);
  }

  /** The window title changes, as when another patient's record is opened. */
  setTitle(title: string): void {
    this.child.stdin!.write(`title ${title}\n`);
  }

  focus(target: SimFocusTarget): void {
    this.child.stdin!.write(`focus ${target}\n`);
  }

  /** A hung client is stopped (SIGSTOP); this lets it run again, like a UI thread that unblocks. */
  resume(): void {
    this.child.kill('SIGCONT');
  }

  kill(): void {
    if (this.exitCode === undefined) this.child.kill('SIGKILL');
  }
}
