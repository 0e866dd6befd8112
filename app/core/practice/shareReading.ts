import { readdir, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { PracticeSkippedFile } from '../../common/api.ts';
import { DEFAULT_SHARE_READ_LIMITS, readShareFile, ShareIo, type CompactRecord, type ShareReadLimits } from './shareFileReader.ts';
import { monthOf, SHARE_FILE, WORKSTATION_NAME } from './shareFormat.ts';

/**
 * Reads every workstation's month files from the practice share, for the merge (mergePractice.ts).
 * Read-only: it never writes to the share, so any number of PCs can read while others write.
 *
 * - concurrent writers: files are replaced whole by rename, so a read sees an old or a new
 *   file; leftover temp files (".tmp-…") are ignored while young and listed when stale;
 * - damaged files: a file whose header is unreadable is skipped with the reason; unreadable
 *   lines are skipped, the rest of the file kept, and the file listed with how many were lost;
 * - hundreds of workstations: files are read with bounded concurrency;
 * - hostile or broken files and a hung share: every read is bounded (shareFileReader.ts), only
 *   months inside the lookback are opened, and with a practice key only signed files count.
 */

export interface ShareReadOptions {
  /** Months before the one holding this time (ms) are not opened. */
  since?: number;
  /** "Now" for telling a stale temp file from a write in progress. */
  now: number;
  /** The practice key (policy `practiceKey`): only files signed with it count. Null: none configured. */
  practiceKey?: Buffer | null;
  /** Share calls in flight at once, and their timeout; one ShareIo per process keeps hung calls counted across reads. */
  io?: ShareIo;
  limits?: Partial<ShareReadLimits>;
}

/** One month file of one workstation, as read. */
export interface WorkstationFile {
  path: string;
  /** The writer's clock when it wrote the file (ms). */
  writtenAt: number;
  /** The file server's modification time (ms). */
  mtime: number;
  records: CompactRecord[];
}

export interface WorkstationFiles {
  name: string;
  files: WorkstationFile[];
}

export interface ShareContents {
  /**
   * Every workstation that has written to the share, sorted by name: a folder holding at least one
   * Lifeboat practice file that was read, lies before the lookback, or was being rewritten. A folder
   * with none (empty, unreadable, only damaged or unsigned files) is in `skipped`, not counted: it
   * would change "half the practice" and the outage threshold with it.
   */
  stations: WorkstationFiles[];
  /** Files and folders not read, with why. */
  skipped: PracticeSkippedFile[];
}

/** A temp file older than this is not a write in progress but one that never finished. */
const STALE_TEMP_MS = 10 * 60_000;
/** More folders or month files than any practice has are someone filling the share. */
const MAX_WORKSTATIONS = 2000;
const MAX_FILES_PER_WORKSTATION = 240;

async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(workers);
}

/** Throws (one line) when the share itself cannot be listed; anything inside it that cannot be read is in `skipped`. */
export async function readPracticeShare(shareDir: string, options: ShareReadOptions): Promise<ShareContents> {
  const { now } = options;
  const since = options.since ?? Number.NEGATIVE_INFINITY;
  const skipped: PracticeSkippedFile[] = [];
  const io = options.io ?? new ShareIo();
  const limits: ShareReadLimits = { ...DEFAULT_SHARE_READ_LIMITS, ...options.limits };
  const key = options.practiceKey ?? null;
  // Months before the lookback cannot hold an incident inside it (files are by incident start, UTC).
  const firstMonth = Number.isFinite(since) ? monthOf(new Date(since).toISOString()) : null;

  let entries;
  try {
    entries = await io.run(`listing ${shareDir}`, () => readdir(shareDir, { withFileTypes: true }));
  } catch (err) {
    // An OS error is named by its code (the raw text repeats the path); anything else (a hung share
    // the bounded reader gave up on) says itself.
    const code = (err as NodeJS.ErrnoException).code;
    const why = code ? ` (${code})` : `: ${(err as Error).message}`;
    throw new Error(`cannot read the practice share ${shareDir}${why}; check the path and that the share is connected`, { cause: err });
  }
  const stations: WorkstationFiles[] = [];
  const folderOf = new Map<WorkstationFiles, string>();
  /** Workstations with a file of their own on the share, read or not (see ShareContents.stations). */
  const hasWritten = new Set<WorkstationFiles>();
  const jobs: Array<{ ws: WorkstationFiles; path: string; month: string }> = [];
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
    const ws: WorkstationFiles = { name: entry.name, files: [] };
    folderOf.set(ws, path);
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
        if (firstMonth !== null && month < firstMonth) {
          hasWritten.add(ws);
          continue;
        }
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
      hasWritten.add(job.ws);
    } catch (err) {
      // Replaced between readdir and read (a writer renamed over it) is not damage: that PC's next merge reads it.
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') hasWritten.add(job.ws);
      skipped.push({ path: job.path, reason: code === 'ENOENT' ? 'disappeared while reading (being rewritten); read again next time' : `unreadable: ${(err as Error).message}` });
    }
  });

  const written = stations.filter((ws) => hasWritten.has(ws));
  // A folder whose files were skipped is explained by their reasons already; one with nothing to
  // say about (empty, or only other documents) gets a line of its own.
  const explained = (folder: string): boolean => skipped.some((entry) => entry.path === folder || entry.path.startsWith(folder + sep));
  for (const ws of stations) {
    const folder = folderOf.get(ws)!;
    if (!hasWritten.has(ws) && !explained(folder)) skipped.push({ path: folder, reason: 'no Lifeboat practice file in it: not counted as a workstation' });
  }
  written.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { stations: written, skipped };
}
