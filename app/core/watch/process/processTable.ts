import { nameMatches, type ProcessLister, type ProcessSnapshot } from './processSnapshot.ts';
import type { SessionScope } from './sessionScope.ts';

/**
 * What the OS can tell about processes without spawning anything: a list of pids and executable
 * names, the session each belongs to, and details of one. Windows answers with Toolhelp,
 * ProcessIdToSessionId, GetProcessTimes and GetProcessMemoryInfo through koffi
 * (win32/win32ProcessTable.ts); tests answer with a table of their own, several sessions included.
 */
export interface ProcessTable {
  /** The session this Lifeboat runs in; null when the OS cannot say (then no process is filtered out). */
  currentSession(): number | null;
  /** Every process: pid and executable file name ("EmisWeb.exe"). */
  processes(): Array<{ pid: number; exeName: string }>;
  /** The session of a process; null when it cannot be read (gone, or access denied). */
  sessionOf(pid: number): number | null;
  /** Start time (ms epoch), CPU time and working set; null when the process cannot be opened. */
  details(pid: number): { startedAt: number | null; cpuMs: number | null; rssBytes: number | null } | null;
}

/**
 * ProcessLister over a ProcessTable, for one desktop session. On a Remote Desktop or Citrix host
 * many GPs run the clinical client on one machine: Lifeboat watches, probes and alerts only about
 * the clients in its own session, never another user's. A process whose session cannot be read is
 * not ours to watch either.
 */
export class SessionProcessLister implements ProcessLister {
  private readonly table: ProcessTable;
  private readonly scope: SessionScope | null;
  private readonly now: () => number;
  private session: number | null | undefined;

  constructor(table: ProcessTable, options: { scope?: SessionScope; now?: () => number } = {}) {
    this.table = table;
    this.scope = options.scope ?? null;
    this.now = options.now ?? (() => 0);
  }

  async list(names: readonly string[]): Promise<ProcessSnapshot[]> {
    this.session ??= this.table.currentSession();
    const own = this.session;
    const found: ProcessSnapshot[] = [];
    const elsewhere: number[] = [];
    for (const { pid, exeName } of this.table.processes()) {
      // Reported under the profile's spelling of the name, as the other listers do (".exe" optional).
      const name = names.find((n) => nameMatches(exeName, [n]));
      if (name === undefined) continue;
      if (own !== null && this.table.sessionOf(pid) !== own) {
        elsewhere.push(pid);
        continue;
      }
      const details = this.table.details(pid);
      if (details === null) continue;
      found.push({ pid, name: name.toLowerCase(), state: 'running', rssBytes: details.rssBytes, cpuMs: details.cpuMs, startedAt: details.startedAt });
    }
    this.scope?.observe(
      found.map((s) => s.pid),
      elsewhere,
      this.now(),
    );
    return found;
  }
}
