import { readdir, readFile } from 'node:fs/promises';
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

/** The kernel keeps 15 characters of the name (comm); argv[0] or the process title has it whole. */
export function procMatches(name: string, comm: string, argv0: string): boolean {
  if (nameMatches(comm, [name]) || (argv0 !== '' && nameMatches(basename(argv0), [name]))) return true;
  const plain = name.toLowerCase().replace(/\.exe$/, '');
  return comm.length === COMM_LENGTH && plain.length > COMM_LENGTH && plain.startsWith(comm.toLowerCase());
}

async function bootTimeMs(): Promise<number> {
  const stat = await readFile('/proc/stat', 'utf8');
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
  private scansSkipped = 0;
  private readonly fullScanEvery: number;

  constructor(options: { fullScanEvery?: number } = {}) {
    this.fullScanEvery = options.fullScanEvery ?? 5;
  }

  async list(names: readonly string[]): Promise<ProcessSnapshot[]> {
    this.bootMs ??= await bootTimeMs();
    const known = await Promise.all([...this.knownPids].map((pid) => this.snapshot(pid, names)));
    const alive = known.filter((s): s is ProcessSnapshot => s !== null && s.state !== 'zombie');
    // New instances can appear beside a running one, so scan now and then even when all is known.
    const needScan = alive.length === 0 || alive.length < this.knownPids.size || ++this.scansSkipped >= this.fullScanEvery;
    if (!needScan) return alive;
    this.scansSkipped = 0;
    const entries = await readdir('/proc').catch(() => [] as string[]);
    const pids = entries.filter((e) => /^\d+$/.test(e)).map(Number);
    const found = (await Promise.all(pids.map((pid) => this.snapshot(pid, names)))).filter((s): s is ProcessSnapshot => s !== null && s.state !== 'zombie');
    this.knownPids = new Set(found.map((s) => s.pid));
    return found;
  }

  private async snapshot(pid: number, names: readonly string[]): Promise<ProcessSnapshot | null> {
    try {
      const stat = parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
      if (!stat) return null;
      let name = names.find((n) => procMatches(n, stat.comm, ''));
      if (!name) {
        // Only interpreters and renamed processes need argv[0]; most are settled by comm alone.
        const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
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
