import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { PracticeOutageRow, PracticeSkippedFile } from '../../common/api.ts';
import { systemClock } from '../../common/clock.ts';
import type { IncidentKind } from '../../common/incident.ts';
import { defaultMinWorkstations, detectOutages, type TroubleEvent } from './outageDetection.ts';
import { DEFAULT_SHARE_READ_LIMITS, readShareFile, ShareIo, type CompactRecord, type ShareReadLimits } from './shareFileReader.ts';
import { monthOf, SHARE_FILE, WORKSTATION_NAME } from './shareFormat.ts';

/**
 * Merges every workstation's files on the practice share into one view: per-workstation counts
 * and practice-wide outages. Read-only: it never writes to the share, so any number of PCs can
 * merge while others write.
 *
 * Robustness:
 * - concurrent writers: files are replaced whole by rename, so a read sees an old or a new
 *   file; leftover temp files (".tmp-…") are ignored while young and listed when stale;
 * - damaged files: a file whose header is unreadable is skipped with the reason; unreadable
 *   lines are skipped, the rest of the file kept, and the file listed with how many were lost;
 * - clock skew: see estimateSkew below; tolerance ±2 minutes without correction;
 * - hundreds of workstations: files are read with bounded concurrency and parsed by hand;
 * - hostile or broken files and a hung share: every read is bounded (shareFileReader.ts), only
 *   months inside the lookback are opened, and with a practice key only signed files count.
 */

export interface MergeOptions {
  /** T: trouble on K workstations within this long is one outage. Default 10 minutes. */
  windowMs?: number;
  /** K. Default 3, or half the practice when that is fewer, and at least 2. */
  minWorkstations?: number;
  /** Only incidents starting at or after this time (ms). */
  since?: number;
  /** Skew within this is left alone. Default 2 minutes. */
  skewToleranceMs?: number;
  /** "Now" for stale temp files and the months worth reading; default the system clock's. */
  now?: number;
  /** The practice key (policy `practiceKey`): only files signed with it count. Null: none configured. */
  practiceKey?: Buffer | null;
  /** Share calls in flight at once, and their timeout; one ShareIo per process keeps hung calls counted across merges. */
  io?: ShareIo;
  limits?: Partial<ShareReadLimits>;
}

export type KindCounts = Record<IncidentKind, number>;

export interface WorkstationSummary {
  name: string;
  counts: KindCounts;
  incidents: number;
  /** Latest sign of life: the newest file write or incident, ISO, skew-corrected. */
  lastSeen: string | null;
  lastIncidentAt: string | null;
  /** Estimated clock offset against the practice (ms, + = this PC's clock is ahead); null when unknown. */
  clockSkewMs: number | null;
  skewCorrected: boolean;
  files: number;
}

/** One practice-wide outage, as the Practice page shows it too (one shape, in app/common). */
export type PracticeOutage = PracticeOutageRow;

export type SkippedFile = PracticeSkippedFile;

export interface MergeResult {
  generatedAt: string;
  settings: { windowMs: number; minWorkstations: number; skewToleranceMs: number; since: string | null };
  workstations: WorkstationSummary[];
  outages: PracticeOutage[];
  skipped: SkippedFile[];
}

export const DEFAULT_WINDOW_MS = 10 * 60_000;
export const DEFAULT_SKEW_TOLERANCE_MS = 2 * 60_000;
/** A temp file older than this is not a write in progress but one that never finished. */
const STALE_TEMP_MS = 10 * 60_000;
export const MAX_SKEW_CORRECTION_MS = 24 * 60 * 60_000;
const TROUBLE = new Set<IncidentKind>(['crash', 'hang', 'slow']);

interface ParsedFile {
  path: string;
  writtenAt: number;
  mtime: number;
  records: CompactRecord[];
}

interface WorkstationData {
  name: string;
  files: ParsedFile[];
}

const zero = (): KindCounts => ({ crash: 0, hang: 0, slow: 0, exit: 0 });

async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(workers);
}

/** More folders or month files than any practice has are someone filling the share. */
const MAX_WORKSTATIONS = 2000;
const MAX_FILES_PER_WORKSTATION = 240;

const median = (values: number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/**
 * Clock skew. Each file carries `writtenAt` (the writer's clock) and has a modification time
 * set by the file server as it was written. Their difference, median over a workstation's
 * files, is that PC's offset from the server; the practice median of those offsets is taken
 * as "true" (so a file server with a wrong clock shifts nobody). A workstation more than
 * skewToleranceMs off the practice median has its incident times corrected by its offset and
 * is flagged; within the tolerance nothing is touched, which the 10-minute window absorbs.
 * An offset over a day is reported but not applied (see MAX_SKEW_CORRECTION_MS).
 * Caveat: a tool that copies files with their times (robocopy /COPY:T) keeps the original
 * estimate, and a share whose server stamps times from the client's clock hides skew entirely.
 */
function estimateSkew(stations: readonly WorkstationData[]): Map<string, number> {
  const raw = new Map<string, number>();
  for (const ws of stations) {
    const diffs = ws.files.filter((f) => Number.isFinite(f.writtenAt) && Number.isFinite(f.mtime)).map((f) => f.writtenAt - f.mtime);
    if (diffs.length > 0) raw.set(ws.name, median(diffs));
  }
  const practice = raw.size === 0 ? 0 : median([...raw.values()]);
  return new Map([...raw].map(([name, offset]) => [name, offset - practice]));
}

export async function mergePractice(shareDir: string, options: MergeOptions = {}): Promise<MergeResult> {
  const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
  const tolerance = options.skewToleranceMs ?? DEFAULT_SKEW_TOLERANCE_MS;
  const now = options.now ?? systemClock.now();
  const since = options.since ?? Number.NEGATIVE_INFINITY;
  const skipped: SkippedFile[] = [];

  const io = options.io ?? new ShareIo();
  const limits: ShareReadLimits = { ...DEFAULT_SHARE_READ_LIMITS, ...options.limits };
  const key = options.practiceKey ?? null;
  // Months before the lookback cannot hold an incident inside it (files are by incident start, UTC).
  const firstMonth = Number.isFinite(since) ? monthOf(new Date(since).toISOString()) : null;

  let entries;
  try {
    entries = await io.run(`listing ${shareDir}`, () => readdir(shareDir, { withFileTypes: true }));
  } catch (err) {
    throw new Error(`cannot read the practice share ${shareDir}: ${(err as Error).message}`, { cause: err });
  }
  const stations: WorkstationData[] = [];
  const jobs: Array<{ ws: WorkstationData; path: string; month: string }> = [];
  const folders = entries.filter((e) => !e.name.startsWith('.'));
  for (const extra of folders.slice(MAX_WORKSTATIONS)) skipped.push({ path: join(shareDir, extra.name), reason: `more than ${MAX_WORKSTATIONS} folders on the share: not read` });
  await pool(folders.slice(0, MAX_WORKSTATIONS), io.maxInFlight, async (entry) => {
    const path = join(shareDir, entry.name);
    if (!entry.isDirectory()) {
      skipped.push({ path, reason: 'not a workstation folder' });
      return;
    }
    if (!WORKSTATION_NAME.test(entry.name)) {
      skipped.push({ path, reason: 'folder name is not a workstation name Lifeboat writes' });
      return;
    }
    const ws: WorkstationData = { name: entry.name, files: [] };
    stations.push(ws);
    let names: string[];
    try {
      names = await io.run(`listing ${path}`, () => readdir(path));
    } catch (err) {
      skipped.push({ path, reason: `unreadable folder: ${(err as Error).message}` });
      return;
    }
    let months = 0;
    for (const name of names) {
      const file = join(path, name);
      const month = SHARE_FILE.exec(name)?.[1];
      if (month !== undefined) {
        // Before the lookback: never opened. (A month in the future stays: a PC whose clock is
        // years out is reported, see estimateSkew, and MAX_FILES_PER_WORKSTATION bounds the rest.)
        if (firstMonth !== null && month < firstMonth) continue;
        if (++months > MAX_FILES_PER_WORKSTATION) skipped.push({ path: file, reason: `more than ${MAX_FILES_PER_WORKSTATION} month files in one folder: not read` });
        else jobs.push({ ws, path: file, month });
      } else if (name.startsWith('.tmp-')) {
        const s = await io.run(`stat of ${file}`, () => stat(file)).catch(() => null);
        if (s && now - s.mtimeMs > STALE_TEMP_MS) skipped.push({ path: file, reason: 'temporary file of a write that never finished (safe to delete)' });
      } else if (!name.startsWith('.')) skipped.push({ path: file, reason: 'not a Lifeboat practice file' });
    }
  });

  await pool(jobs, io.maxInFlight, async (job) => {
    try {
      const read = await readShareFile(job.path, io, limits, key);
      if (!read.ok) {
        skipped.push({ path: job.path, reason: read.reason });
        return;
      }
      if (read.header.workstation !== job.ws.name) {
        skipped.push({ path: job.path, reason: `written by workstation "${read.header.workstation}" but found in folder "${job.ws.name}" (copied by hand?)` });
        return;
      }
      if (read.header.month !== job.month) {
        skipped.push({ path: job.path, reason: `holds month ${read.header.month}, not the ${job.month} its name says` });
        return;
      }
      if (read.problems.length > 0) skipped.push({ path: job.path, reason: read.problems.join('; '), recordsKept: read.records.length });
      job.ws.files.push({ path: job.path, writtenAt: Date.parse(read.header.writtenAt), mtime: read.mtime, records: read.records });
    } catch (err) {
      // Replaced between readdir and read (a writer renamed over it) is not damage: that PC's next merge reads it.
      const code = (err as NodeJS.ErrnoException).code;
      skipped.push({ path: job.path, reason: code === 'ENOENT' ? 'disappeared while reading (being rewritten); read again next time' : `unreadable: ${(err as Error).message}` });
    }
  });

  stations.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const skew = estimateSkew(stations);
  const events: TroubleEvent[] = [];
  const workstations: WorkstationSummary[] = stations.map((ws, index) => {
    const offset = skew.get(ws.name) ?? null;
    // Beyond a day the estimate says more about the files (restored from backup, copied with
    // their times) than about a clock: report it, do not move incidents by it.
    const corrected = offset !== null && Math.abs(offset) > tolerance && Math.abs(offset) <= MAX_SKEW_CORRECTION_MS;
    const shift = corrected ? offset : 0;
    // One line per incident id: the file written last holds the incident's latest state.
    const latest = new Map<string, { rec: CompactRecord; writtenAt: number }>();
    let lastSeen = Number.NEGATIVE_INFINITY;
    for (const file of ws.files) {
      lastSeen = Math.max(lastSeen, file.writtenAt - shift);
      for (const rec of file.records) {
        const seen = latest.get(rec.id);
        if (!seen || seen.writtenAt < file.writtenAt) latest.set(rec.id, { rec, writtenAt: file.writtenAt });
      }
    }
    const counts = zero();
    let incidents = 0;
    let lastIncident = Number.NEGATIVE_INFINITY;
    for (const { rec } of latest.values()) {
      const at = rec.at - shift;
      if (at < since) continue;
      counts[rec.kind]++;
      incidents++;
      lastIncident = Math.max(lastIncident, at);
      if (TROUBLE.has(rec.kind)) events.push({ at, workstation: index, kind: rec.kind });
    }
    lastSeen = Math.max(lastSeen, lastIncident);
    return {
      name: ws.name,
      counts,
      incidents,
      lastSeen: Number.isFinite(lastSeen) ? new Date(lastSeen).toISOString() : null,
      lastIncidentAt: Number.isFinite(lastIncident) ? new Date(lastIncident).toISOString() : null,
      clockSkewMs: offset === null ? null : Math.round(offset),
      skewCorrected: corrected,
      files: ws.files.length,
    };
  });

  const minWorkstations = options.minWorkstations ?? defaultMinWorkstations(stations.length);
  const outages = detectOutages(events, { windowMs, minWorkstations }).map((o) => ({
    id: `outage-${new Date(o.firstSeen).toISOString()}`,
    firstSeen: new Date(o.firstSeen).toISOString(),
    lastSeen: new Date(o.lastSeen).toISOString(),
    affected: o.workstations.length,
    workstations: o.workstations.map((i) => stations[i]!.name),
    incidents: o.incidents,
    kinds: o.kinds,
  }));
  skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    generatedAt: new Date(now).toISOString(),
    settings: { windowMs, minWorkstations, skewToleranceMs: tolerance, since: Number.isFinite(since) ? new Date(since).toISOString() : null },
    workstations,
    outages,
    skipped,
  };
}

export interface OutageNow {
  id: string;
  /** How many workstations are affected (the notify policy's "N computers"). */
  workstations: number;
  /** ms since epoch: when the outage began. */
  since: number;
  lastSeen: number;
  names: string[];
}

/**
 * The outage going on now, if any, shaped for the notify policy's 'outage' input ("practice-wide
 * problem, not your PC"): the latest outage whose last trouble is within `activeWithinMs`
 * (default: the merge window) of now. Null when the practice is calm.
 */
export function practiceOutageNow(merge: Pick<MergeResult, 'outages' | 'settings'>, now: number, options: { activeWithinMs?: number } = {}): OutageNow | null {
  const within = options.activeWithinMs ?? merge.settings.windowMs;
  let best: PracticeOutage | null = null;
  for (const o of merge.outages) {
    const last = Date.parse(o.lastSeen);
    // An outage that begins after now is a skewed clock's, not this one's.
    if (now - last > within || Date.parse(o.firstSeen) > now + merge.settings.skewToleranceMs) continue;
    if (!best || last > Date.parse(best.lastSeen)) best = o;
  }
  return best === null ? null : { id: best.id, workstations: best.affected, since: Date.parse(best.firstSeen), lastSeen: Date.parse(best.lastSeen), names: [...best.workstations] };
}
