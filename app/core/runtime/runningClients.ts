import type { Signal } from '../../common/signal.ts';
import type { RunningClient } from '../../common/watcherChannel.ts';
import { describeExitCode } from '../watch/process/processExits.ts';

/**
 * The client processes the note side believes running, from the watcher's process signals, kept
 * across watcher restarts (the watcher's own list dies with it).
 */
export class RunningClients {
  private readonly byPid = new Map<number, { app: string; profile: string }>();

  get any(): boolean {
    return this.byPid.size > 0;
  }

  /**
   * Notes a process signal; false for a start already known (a restarted watcher reports every
   * running client as started: for the note side nothing started).
   */
  track(signal: Signal): boolean {
    if (signal.pid === undefined) return true;
    if (signal.kind === 'start') {
      if (this.byPid.has(signal.pid)) return false;
      this.byPid.set(signal.pid, { app: signal.app, profile: signal.profile });
    }
    if (signal.kind === 'exit') this.byPid.delete(signal.pid);
    return true;
  }

  /**
   * A restarted watcher's first process listing: a client believed running that is not in it
   * ended while no watcher was looking. Its exit signal, with the exit code when the note side
   * knows it (it launched the client), so no crash is lost to a watcher restart.
   */
  endedUnseen(listed: readonly RunningClient[], at: number, exitCodeFor?: (pid: number) => number | null | undefined): Signal[] {
    const seen = new Set(listed.map((c) => c.pid));
    return [...this.byPid].flatMap(([pid, known]) => {
      if (seen.has(pid)) return [];
      const exitCode = exitCodeFor?.(pid) ?? null;
      return [
        {
          source: 'process' as const,
          kind: 'exit' as const,
          at,
          app: known.app,
          profile: known.profile,
          pid,
          exitCode,
          detail: `${known.app} (pid ${pid}) exited while Lifeboat's watcher was restarting, ${describeExitCode(exitCode)}`,
        },
      ];
    });
  }

  /** Forgets clients of profiles no longer watched: they did not exit, nobody looks at them now. */
  keepOnly(profiles: ReadonlySet<string>): void {
    for (const [pid, client] of [...this.byPid]) if (!profiles.has(client.profile)) this.byPid.delete(pid);
  }
}
