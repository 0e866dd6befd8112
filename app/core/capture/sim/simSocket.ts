import { createConnection } from 'node:net';
import { join } from 'node:path';

/**
 * The simulated client's stand-in for its window: a Unix socket (a named pipe on Windows) its
 * "UI thread" answers. `ping N` → `pong N` is the WM_NULL round trip; `focus?` → `focus {json}` is
 * what GetForegroundWindow + WM_GETTEXT would read. A slow client answers late, a hung one
 * (SIGSTOP) never: the same shapes the Windows probe sees.
 */
export function simSocketPath(dir: string, pid: number): string {
  return process.platform === 'win32' ? `\\\\.\\pipe\\lifeboat-sim-${pid}` : join(dir, `lifeboat-sim-${pid}.sock`);
}

/** What `focus?` answers; checked with SimFocusSchema where it is read (simCaptureSource.ts). */
export interface SimFocus {
  foreground: boolean;
  title: string;
  windowHandle: string;
  control: { key: string; className: string; password: boolean } | null;
  /** Absent for a password field: the client does not hand it out, as ES_PASSWORD refuses WM_GETTEXT. */
  text?: string;
}

export type SimAnswer = { kind: 'answer'; line: string; ms: number } | { kind: 'timeout' } | { kind: 'no-socket'; reason: string };

/** Sends one request line and waits for one answer line, at most timeoutMs. */
export function askSimClient(path: string, request: string, timeoutMs: number): Promise<SimAnswer> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = createConnection(path);
    let buffered = '';
    let settled = false;
    const finish = (answer: SimAnswer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => finish({ kind: 'timeout' }), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${request}\n`));
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      const end = buffered.indexOf('\n');
      if (end >= 0) finish({ kind: 'answer', line: buffered.slice(0, end), ms: performance.now() - started });
    });
    socket.on('error', (err: NodeJS.ErrnoException) => finish({ kind: 'no-socket', reason: err.code ?? err.message }));
    socket.on('close', () => finish({ kind: 'no-socket', reason: 'closed' }));
  });
}
