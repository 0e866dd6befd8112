import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../common/clock.ts';
import type { Incident } from '../../common/incident.ts';
import { writeFileAtomic, writeFileAtomicSync } from '../atomicWrite/atomicWrite.ts';
import { monthOf, renderShareFile, SHARE_FILE, toShareRecord, WORKSTATION_NAME, type ShareRecord } from './shareFormat.ts';

/**
 * Publishes this workstation's incidents to the practice share, tolerating the share being away.
 *
 * Every incident goes first into a local outbox (one file per month, written atomically and
 * fsync'd) and its month is marked dirty; flush() then rewrites each dirty month's file on the
 * share by temp + rename, oldest month first, and clears the mark only after the rename. So:
 * - share offline (server down, VPN gone, UNC path unreachable): nothing is lost, the months
 *   stay dirty and the next flush catches up in order;
 * - Lifeboat killed mid-flush: the month is still dirty and is written again, whole; a file on
 *   the share is never half-written and an incident is never in it twice (one line per id);
 * - an incident updated later (ended, crash evidence arrived) replaces its line.
 *
 * Share I/O is asynchronous and strictly one operation at a time: a hung SMB call can hold a
 * libuv thread for a minute, and one held thread must not starve the watchers' file reads.
 * The share root must already exist: the writer creates only its own workstation folder, so an
 * unmounted drive letter or mount point is reported as offline, never filled with local files.
 */

export interface ShareWriterOptions {
  shareDir: string;
  /** Folder-safe computer name (see safeWorkstationName). */
  workstation: string;
  /** Local folder for the outbox (e.g. %LOCALAPPDATA%\Lifeboat\practice-outbox). */
  outboxDir: string;
  clock: Clock;
  /** Months kept in the local outbox once shared. Default 14. */
  retainMonths?: number;
  /** The practice key (policy `practiceKey`): every file on the share is signed with it. */
  practiceKey?: Buffer | null;
}

export interface FlushResult {
  ok: boolean;
  /** Months written to the share in this flush, oldest first. */
  written: string[];
  /** Months still waiting for the share. */
  pending: string[];
  error?: string;
}

export class ShareConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShareConfigError';
  }
}

interface OutboxState {
  v: 1;
  writerId: string;
  workstation: string;
  dirty: string[];
}


function shiftMonth(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + delta, 1));
  return d.toISOString().slice(0, 7);
}

export class ShareWriter {
  readonly shareDir: string;
  readonly workstation: string;
  readonly outboxDir: string;
  private readonly clock: Clock;
  private readonly retainMonths: number;
  private readonly practiceKey: Buffer | null;
  private state: OutboxState;
  private readonly months = new Map<string, Map<string, ShareRecord>>();
  private running: Promise<FlushResult> | null = null;

  static open(options: ShareWriterOptions): ShareWriter {
    return new ShareWriter(options);
  }

  private constructor(options: ShareWriterOptions) {
    if (!WORKSTATION_NAME.test(options.workstation)) {
      throw new ShareConfigError(`"${options.workstation}" cannot name a folder on the share: use letters, digits, ".", "_" or "-" (safeWorkstationName makes one)`);
    }
    this.shareDir = options.shareDir;
    this.workstation = options.workstation;
    this.outboxDir = options.outboxDir;
    this.clock = options.clock;
    this.retainMonths = options.retainMonths ?? 14;
    this.practiceKey = options.practiceKey ?? null;
    mkdirSync(this.outboxDir, { recursive: true });
    const statePath = join(this.outboxDir, 'state.json');
    let state: OutboxState | null = null;
    if (existsSync(statePath)) {
      try {
        const parsed = JSON.parse(readFileSync(statePath, 'utf8')) as OutboxState;
        if (parsed.v === 1 && typeof parsed.writerId === 'string' && Array.isArray(parsed.dirty)) state = parsed;
      } catch {
        state = null;
      }
    }
    // A lost or damaged state file: every local month is re-sent (rewrites, so no duplicates).
    this.state = state ?? { v: 1, writerId: randomBytes(6).toString('hex'), workstation: this.workstation, dirty: this.localMonths() };
    if (this.state.workstation !== this.workstation) {
      // Renamed PC: everything goes to the new folder.
      this.state = { ...this.state, workstation: this.workstation, dirty: this.localMonths() };
    }
    this.saveState();
  }

  /** Records (or updates) incidents in the local outbox; durable on return. Never touches the share. */
  record(incidents: Incident | readonly Incident[]): void {
    const changed = new Set<string>();
    for (const incident of Array.isArray(incidents) ? (incidents as readonly Incident[]) : [incidents as Incident]) {
      const rec = toShareRecord(incident);
      const month = monthOf(rec.startedAt);
      // startedAt can move earlier when earlier evidence arrives: drop the line from a neighbouring month.
      for (const other of [shiftMonth(month, -1), shiftMonth(month, 1)]) {
        if (this.load(other).delete(rec.id)) changed.add(other);
      }
      const records = this.load(month);
      const before = records.get(rec.id);
      if (before !== undefined && JSON.stringify(before) === JSON.stringify(rec)) continue;
      records.set(rec.id, rec);
      changed.add(month);
    }
    if (changed.size === 0) return;
    // Dirty first: a crash between the two writes re-sends an unchanged month, never skips a changed one.
    const newDirty = [...changed].filter((m) => !this.state.dirty.includes(m));
    if (newDirty.length > 0) {
      this.state.dirty = [...this.state.dirty, ...newDirty].sort();
      this.saveState();
    }
    for (const month of changed) this.saveMonth(month);
  }

  pendingMonths(): string[] {
    return [...this.state.dirty];
  }

  /** Writes every dirty month to the share, oldest first; stops at the first failure. Never rejects. */
  flush(): Promise<FlushResult> {
    this.running ??= this.flushNow().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Rewrites the current month even when nothing changed: a fresh writtenAt says "this PC is alive" and refreshes the clock-skew estimate. */
  async heartbeat(): Promise<FlushResult> {
    const month = monthOf(new Date(this.clock.now()).toISOString());
    if (!this.state.dirty.includes(month)) {
      this.state.dirty = [...this.state.dirty, month].sort();
      this.saveState();
    }
    return this.flush();
  }

  private async flushNow(): Promise<FlushResult> {
    const written: string[] = [];
    const folder = join(this.shareDir, this.workstation);
    try {
      const root = await stat(this.shareDir);
      if (!root.isDirectory()) throw new Error(`${this.shareDir} is not a folder`);
      await mkdir(folder, { recursive: true });
      const thisMonth = monthOf(new Date(this.clock.now()).toISOString());
      for (const month of [...this.state.dirty]) {
        const records = [...this.load(month).values()].sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : a.id < b.id ? -1 : 1));
        const target = join(folder, `${month}.ndjson`);
        // This month's file is written even with no incident: it is how a quiet PC says it is alive
        // and counts as a workstation of the practice ("half the practice" depends on it).
        if (records.length === 0 && month !== thisMonth) {
          await rm(target, { force: true });
        } else {
          const text = renderShareFile({ workstation: this.workstation, month, writerId: this.state.writerId, writtenAt: new Date(this.clock.now()).toISOString() }, records, this.practiceKey);
          // Every PC of the practice reads it: readable by others, written only by this one.
          await writeFileAtomic(target, text, { mode: 0o644 });
        }
        this.state.dirty = this.state.dirty.filter((m) => m !== month);
        this.saveState();
        written.push(month);
      }
      this.dropOldLocalMonths();
      return { ok: true, written, pending: [...this.state.dirty] };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return { ok: false, written, pending: [...this.state.dirty], error: `practice share ${this.shareDir} unavailable${code ? ` (${code})` : ''}: ${(err as Error).message}` };
    }
  }

  private localMonths(): string[] {
    if (!existsSync(this.outboxDir)) return [];
    return readdirSync(this.outboxDir)
      .map((name) => SHARE_FILE.exec(name)?.[1])
      .filter((m): m is string => m !== undefined)
      .sort();
  }

  private load(month: string): Map<string, ShareRecord> {
    let records = this.months.get(month);
    if (records) return records;
    records = new Map();
    const path = join(this.outboxDir, `${month}.ndjson`);
    if (existsSync(path)) {
      for (const line of readFileSync(path, 'utf8').split('\n')) {
        if (line.trim() === '') continue;
        try {
          const rec = JSON.parse(line) as ShareRecord;
          records.set(rec.id, rec);
        } catch {
          // A damaged local line: that incident is re-recorded by the service when it next changes.
        }
      }
    }
    this.months.set(month, records);
    return records;
  }

  private saveMonth(month: string): void {
    const records = this.load(month);
    const path = join(this.outboxDir, `${month}.ndjson`);
    if (records.size === 0) rmSync(path, { force: true });
    else writeFileAtomicSync(path, [...records.values()].map((r) => JSON.stringify(r)).join('\n') + '\n', { mode: 0o600 });
  }

  private saveState(): void {
    writeFileAtomicSync(join(this.outboxDir, 'state.json'), JSON.stringify(this.state) + '\n', { mode: 0o600 });
  }

  private dropOldLocalMonths(): void {
    const oldest = shiftMonth(monthOf(new Date(this.clock.now()).toISOString()), -(this.retainMonths - 1));
    for (const month of this.localMonths()) {
      if (month < oldest && !this.state.dirty.includes(month)) {
        rmSync(join(this.outboxDir, `${month}.ndjson`), { force: true });
        this.months.delete(month);
      }
    }
  }
}
