/** One observation of a clinical client process. Window titles are never kept: they name patients. */
export interface ProcessSnapshot {
  pid: number;
  /** Executable or process name as matched, lower case. */
  name: string;
  /** running | stopped (Linux state T: our stand-in for a hung window) | not-responding (Windows) | zombie | unknown */
  state: 'running' | 'stopped' | 'not-responding' | 'zombie' | 'unknown';
  rssBytes: number | null;
  /** User + system CPU time consumed so far, ms. */
  cpuMs: number | null;
  /** Process start time (ms epoch) where the platform tells it: tells a restarted pid apart. */
  startedAt: number | null;
}

/** Lists the processes whose names match. Linux reads /proc; Windows asks tasklist or PowerShell. */
export interface ProcessLister {
  list(names: readonly string[]): Promise<ProcessSnapshot[]>;
}

export function isUnresponsive(snapshot: ProcessSnapshot): boolean {
  return snapshot.state === 'stopped' || snapshot.state === 'not-responding';
}

/** Matches a process name against profile names: case-insensitive, ".exe" optional either side. */
export function nameMatches(candidate: string, names: readonly string[]): boolean {
  const plain = (n: string): string => n.toLowerCase().replace(/\.exe$/, '');
  const c = plain(candidate);
  return names.some((n) => plain(n) === c);
}
