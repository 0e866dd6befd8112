import type { ToWatcher } from '../../app/common/watcherChannel.ts';
import type { WatcherLauncher, WatcherProcess } from '../../app/core/runtime/watcherLauncher.ts';

/**
 * A stand-in for the watcher process, for the supervisor's unit tests: the supervisor's logic
 * (heartbeat timeout, back-off, dedupe, acknowledgements) against scripted messages. The real
 * process is tested in tests/integration/watcherIsolation.test.ts.
 */
export class FakeWatcherProcess implements WatcherProcess {
  readonly pid: number;
  readonly sent: ToWatcher[] = [];
  killed = false;
  private readonly messageListeners: Array<(raw: unknown) => void> = [];
  private readonly exitListeners: Array<(e: { code: number | null; signal: string | null }) => void> = [];
  private readonly stderrListeners: Array<(line: string) => void> = [];
  private exited = false;

  constructor(pid: number) {
    this.pid = pid;
  }

  send(message: ToWatcher): void {
    if (!this.exited) this.sent.push(message);
  }
  onMessage(listener: (raw: unknown) => void): void {
    this.messageListeners.push(listener);
  }
  onExit(listener: (e: { code: number | null; signal: string | null }) => void): void {
    this.exitListeners.push(listener);
  }
  onStderr(listener: (line: string) => void): void {
    this.stderrListeners.push(listener);
  }
  kill(): void {
    this.killed = true;
    this.exit(null, 'SIGKILL');
  }

  /** The watcher says something (any value: the supervisor parses it). */
  emit(message: unknown): void {
    for (const l of this.messageListeners) l(message);
  }
  stderr(line: string): void {
    for (const l of this.stderrListeners) l(line);
  }
  exit(code: number | null, signal: string | null = null): void {
    if (this.exited) return;
    this.exited = true;
    for (const l of this.exitListeners) l({ code, signal });
  }
  ready(): void {
    this.emit({ type: 'ready', capture: { textCaptureAvailable: false, clipboardAvailable: false, probeAvailable: false, unavailable: 'none here' }, starting: [] });
  }
}

export function fakeLauncher(): { launch: WatcherLauncher; processes: FakeWatcherProcess[] } {
  const processes: FakeWatcherProcess[] = [];
  return {
    processes,
    launch: () => {
      const p = new FakeWatcherProcess(1000 + processes.length);
      processes.push(p);
      return p;
    },
  };
}
