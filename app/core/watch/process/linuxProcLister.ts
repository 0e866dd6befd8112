import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { nameMatches, type ProcessLister, type ProcessSnapshot } from './processSnapshot.ts';

const PAGE_SIZE = 4096;
const CLOCK_TICKS_PER_SECOND = 100;

const STATES: Record<string, ProcessSnapshot['state']> = { R: 'running', S: 'running', D: 'running', I: 'running', T: 'stopped', t: 'stopped', Z: 'zombie', X: 'zombie' };

/** Parses /proc/<pid>/stat; the command name is in parentheses and may itself contain spaces or ')'. */
export function parseProcStat(text: string): { comm: string; state: string; cpuTicks: number; startTicks: number; rssPages: number } | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const rest = text.slice(close + 2).split(' ');
  // Fields after the name, counted from field 3 (state): utime 14, stime 15, starttime 22, rss 24.
  const field = (n: number): number => Number(rest[n - 3]);
  return { comm: text.slice(open + 1, close), state: rest[0] ?? '?', cpuTicks: field(14) + field(15), startTicks: field(22), rssPages: field(24) };
}

const COMM_LENGTH = 15;
const INTERPRETERS = new Set(['node', 'java', 'javaw', 'python3', 'python', 'mono', 'wine', 'wine64-preloader', 'wine-preloader']);

/** The kernel keeps 15 characters of the name (comm); argv[0] or the process title has it whole. */
export function procMatches(name: string, comm: string, argv0: string): boolean {
  if (nameMatches(comm, [name]) || (argv0 !== '' && nameMatches(basename(argv0), [name]))) return true;
  const plain = name.toLowerCase().replace(/\.exe$/, '');
  return comm.length === COMM_LENGTH && plain.length > COMM_LENGTH && plain.startsWith(comm.toLowerCase());
}

/**
 * /proc files are tiny and live in memory: a synchronous open/read/close is three cheap syscalls,
 * where fs/promises' readFile adds an fstat, thread-pool hops and promises for each of hundreds
 * of processes a scan. This is what keeps an idle watcher well under 1 % of a core.
 */
const procBuffer = Buffer.alloc(4096);
function readProcFile(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const bytes = readSync(fd, procBuffer, 0, procBuffer.length, 0);
    return procBuffer.toString('latin1', 0, bytes);
  } finally {
    closeSync(fd);
  }
}

function bootTimeMs(): number {
  const stat = readFileSync('/proc/stat', 'utf8');
  const match = /^btime (\d+)$/m.exec(stat);
  return match ? Number(match[1]) * 1000 : 0;
}

/**
 * Linux probe over /proc. A process matches by its comm (15 chars), its argv[0] or its
 * process title, so the simulated client (`process.title`) is found like a real exe.
 * The pids already known are checked directly; the full /proc scan runs only when needed.
 */
export class LinuxProcLister implements ProcessLister {
  private bootMs: number | null = null;
  private knownPids = new Set<number>();
  private scansSkipped: number;
  private readonly fullScanEvery: number;

  constructor(options: { fullScanEvery?: number } = {}) {
    this.fullScanEvery = options.fullScanEvery ?? 3;
    this.scansSkipped = this.fullScanEvery; // the first poll scans
  }

  async list(names: readonly string[]): Promise<ProcessSnapshot[]> {
    this.bootMs ??= bootTimeMs();
    const known = [...this.knownPids].map((pid) => this.snapshot(pid, names));
    const alive = known.filter((s): s is ProcessSnapshot => s !== null && s.state !== 'zombie');
    // New instances can appear beside a running one, so scan now and then even when all is known.
    // A start needs a full scan; an exit needs only the known pids. So scan every few polls
    // (a start is seen within fullScanEvery polls) and check the known pids in between.
    if (++this.scansSkipped < this.fullScanEvery) return alive;
    this.scansSkipped = 0;
    let entries: string[] = [];
    try {
      entries = readdirSync('/proc');
    } catch {
      // no /proc (a container without it): nothing to watch
    }
    const pids = entries.filter((e) => /^\d+$/.test(e)).map(Number);
    const found = pids.map((pid) => this.snapshot(pid, names)).filter((s): s is ProcessSnapshot => s !== null && s.state !== 'zombie');
    this.knownPids = new Set(found.map((s) => s.pid));
    return found;
  }

  private snapshot(pid: number, names: readonly string[]): ProcessSnapshot | null {
    try {
      const stat = parseProcStat(readProcFile(`/proc/${pid}/stat`));
      if (!stat) return null;
      let name = names.find((n) => procMatches(n, stat.comm, ''));
      if (!name && INTERPRETERS.has(stat.comm)) {
        // A client run by an interpreter shows the interpreter's name in comm; its argv[0] (or
        // process title) names it. Only these pay for a second read.
        const cmdline = readProcFile(`/proc/${pid}/cmdline`);
        const argv0 = (cmdline.split('\0')[0] ?? '').trim();
        name = names.find((n) => procMatches(n, stat.comm, argv0));
      }
      if (!name) return null;
      return {
        pid,
        name: name.toLowerCase(),
        state: STATES[stat.state] ?? 'unknown',
        rssBytes: stat.rssPages * PAGE_SIZE,
        cpuMs: (stat.cpuTicks * 1000) / CLOCK_TICKS_PER_SECOND,
        startedAt: (this.bootMs ?? 0) + (stat.startTicks * 1000) / CLOCK_TICKS_PER_SECOND,
      };
    } catch {
      return null; // gone between readdir and read: not an error
    }
  }
}
