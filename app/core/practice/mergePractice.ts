import type { PracticeOutageRow, PracticeSkippedFile } from '../../common/api.ts';
import { systemClock } from '../../common/clock.ts';
import type { IncidentKind } from '../../common/incident.ts';
import { defaultMinWorkstations, detectOutages, type TroubleEvent } from './outageDetection.ts';
import type { CompactRecord } from './shareFileReader.ts';
import { readPracticeShare, type ShareReadOptions, type WorkstationFiles } from './shareReading.ts';

/**
 * Merges every workstation's files on the practice share into one view: per-workstation counts
 * and practice-wide outages. mergeShareContents is the merge itself, pure (what the share holds
 * in, the view out); mergePractice reads the share (shareReading.ts) and merges it.
 *
 * Clock skew between PCs: see estimateSkew below; tolerance ±2 minutes without correction.
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
  /** "Now" for stale temp files and the months worth reading, and the view's generatedAt; default the system clock's. */
  now?: number;
}

/** What mergePractice reads the share with, beside the merge options. */
export type MergePracticeOptions = MergeOptions & Omit<ShareReadOptions, 'now' | 'since'>;

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
export const MAX_SKEW_CORRECTION_MS = 24 * 60 * 60_000;
const TROUBLE = new Set<IncidentKind>(['crash', 'hang', 'slow']);

const zero = (): KindCounts => ({ crash: 0, hang: 0, slow: 0, exit: 0 });

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
function estimateSkew(stations: readonly WorkstationFiles[]): Map<string, number> {
  const raw = new Map<string, number>();
  for (const ws of stations) {
    const diffs = ws.files.filter((f) => Number.isFinite(f.writtenAt) && Number.isFinite(f.mtime)).map((f) => f.writtenAt - f.mtime);
    if (diffs.length > 0) raw.set(ws.name, median(diffs));
  }
  const practice = raw.size === 0 ? 0 : median([...raw.values()]);
  return new Map([...raw].map(([name, offset]) => [name, offset - practice]));
}

/** Reads the practice share and merges it. Throws (one line) when the share cannot be listed. */
export async function mergePractice(shareDir: string, options: MergePracticeOptions = {}): Promise<MergeResult> {
  const now = options.now ?? systemClock.now();
  const contents = await readPracticeShare(shareDir, {
    now,
    ...(options.since !== undefined ? { since: options.since } : {}),
    ...(options.practiceKey !== undefined ? { practiceKey: options.practiceKey } : {}),
    ...(options.io ? { io: options.io } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
  });
  return mergeShareContents(contents.stations, contents.skipped, { ...options, now });
}

/**
 * The merge, pure: workstations' files in (sorted by name), the practice view out. Per
 * workstation the latest state of each incident (the file written last), skew-corrected times,
 * counts and last signs of life; across them, outages (K workstations in trouble within T).
 */
export function mergeShareContents(stations: readonly WorkstationFiles[], skippedFiles: readonly PracticeSkippedFile[], options: MergeOptions & { now: number }): MergeResult {
  const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
  const tolerance = options.skewToleranceMs ?? DEFAULT_SKEW_TOLERANCE_MS;
  const { now } = options;
  const since = options.since ?? Number.NEGATIVE_INFINITY;
  const skipped = [...skippedFiles];
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
