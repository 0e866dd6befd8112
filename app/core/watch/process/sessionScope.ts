import type { Signal } from '../../../common/signal.ts';

/** How long a client that has exited still owns the crash reports that name its pid. */
const REMEMBER_MS = 24 * 60 * 60_000;

/**
 * Which evidence belongs to this desktop session. On a Remote Desktop or Citrix host many GPs run
 * the clinical client on one machine: Lifeboat must never tell one GP about another GP's crash.
 * - Process and window signals are ours already: the lister only lists this session's clients.
 * - The per-user WER store is this user's; a report in the per-machine store (%ProgramData%) names
 *   no session, so on a host where other sessions run the client it is not ours to tell.
 * - An Event Log record names the process id: ours when it is one of our clients (alive, or gone
 *   within a day), on such a host; on a single-user PC everything is ours.
 * Off Windows, or while no other session has run the client, everything is admitted.
 */
export class SessionScope {
  private readonly ours = new Map<number, number>();
  private otherSessionsRunClient = false;
  private readonly machineWerRoot: string | null;

  constructor(options: { machineWerRoot: string | null }) {
    this.machineWerRoot = options.machineWerRoot === null ? null : options.machineWerRoot.toLowerCase();
  }

  /** One listing: our session's client pids, and whether any other session runs the client. */
  observe(ourPids: readonly number[], otherSessionPids: readonly number[], now: number): void {
    for (const pid of ourPids) this.ours.set(pid, now);
    if (otherSessionPids.length > 0) this.otherSessionsRunClient = true;
    for (const [pid, seen] of this.ours) if (now - seen > REMEMBER_MS) this.ours.delete(pid);
  }

  get multiSession(): boolean {
    return this.otherSessionsRunClient;
  }

  /** Null when the signal is ours; otherwise why it is left out (for a diagnostic, never a GP). */
  excludes(signal: Signal): string | null {
    if (!this.otherSessionsRunClient) return null;
    if (signal.source === 'wer') {
      const origin = (signal.origin ?? '').toLowerCase();
      if (this.machineWerRoot !== null && origin.startsWith(this.machineWerRoot)) return 'a machine-wide crash report on a computer where other sessions run the client: it may be another user\'s';
      return null;
    }
    if (signal.source === 'eventlog') {
      if (signal.pid === undefined) return 'an Event Log record without a process id on a computer where other sessions run the client';
      return this.ours.has(signal.pid) ? null : `an Event Log record of process ${signal.pid}, which is not a client in this session`;
    }
    return null;
  }
}
