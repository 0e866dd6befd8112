import { fork } from 'node:child_process';
import type { ToWatcher } from '../../common/watcherChannel.ts';

/** A running watcher process, whatever started it (child_process.fork, Electron's utilityProcess). */
export interface WatcherProcess {
  readonly pid: number | undefined;
  send(message: ToWatcher): void;
  onMessage(listener: (raw: unknown) => void): void;
  /** Once, when the process has ended, for whatever reason. */
  onExit(listener: (exit: { code: number | null; signal: string | null }) => void): void;
  /** Its stderr, line by line: the last lines say why it died. */
  onStderr(listener: (line: string) => void): void;
  /** Ends it at once (SIGKILL / TerminateProcess): a hung watcher cannot be asked. */
  kill(): void;
}

export type WatcherLauncher = () => WatcherProcess;

/** Calls `listener` with each complete line of a stream of text chunks (at most 500 characters each). */
export function lineSplitter(listener: (line: string) => void): (chunk: string) => void {
  let rest = '';
  return (chunk) => {
    const lines = (rest + chunk).split(/\r?\n/);
    rest = (lines.pop() ?? '').slice(-2000);
    for (const line of lines) if (line.trim() !== '') listener(line.slice(0, 500));
  };
}

/**
 * `lifeboat serve`, `watch` and `demo`: the watcher is the same Node binary running the watcher
 * entry (the .ts source, or watcher.mjs beside the bundled CLI), with an IPC channel. No flags of
 * this process are passed on (an --inspect here must not open a second debugger port there).
 */
export function nodeWatcherLauncher(entry: string, options: { env?: NodeJS.ProcessEnv; execArgv?: string[] } = {}): WatcherLauncher {
  const env = options.env ?? process.env;
  return () => {
    const child = fork(entry, [], {
      // A small young generation (semi-space 1 MB) keeps a watcher that runs for days ~3 MB smaller.
      execArgv: options.execArgv ?? ['--max-semi-space-size=1'],
      env,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
      windowsHide: true,
    });
    child.stderr?.setEncoding('utf8');
    // A failed send (the child already gone) is the exit handler's business.
    child.on('error', () => {});
    let exit: { code: number | null; signal: string | null } | null = null;
    child.once('exit', (code, signal) => (exit = { code, signal }));
    return {
      get pid() {
        return child.pid;
      },
      send: (message) => {
        if (child.connected) child.send(message, () => {});
      },
      onMessage: (listener) => void child.on('message', listener),
      onExit: (listener) => {
        if (exit !== null) listener(exit);
        else child.once('exit', (code, signal) => listener({ code, signal }));
      },
      onStderr: (listener) => void child.stderr?.on('data', lineSplitter(listener)),
      kill: () => void child.kill('SIGKILL'),
    };
  };
}
