import { open, readdir, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { systemClock, type Clock } from '../../../common/clock.ts';
import type { Diagnostic } from '../../../common/diagnostic.ts';
import { readIdentity } from './fileIdentity.ts';
import { errorCode, logDiagnostic } from './logDiagnostic.ts';
import { compileFileGlobs } from './logFileGlob.ts';
import { findCopy, isCopyOfAny, locateRenamed, RotatedNames, rotatedUnseen, statFile, type FindFile, type FoundFile } from './logRotation.ts';
import { OffsetStore } from './offsetStore.ts';
import { TrackedLogFile, type TailedRecord, type TrackedFileContext } from './trackedLogFile.ts';

export type { TailedRecord } from './trackedLogFile.ts';

/** A folder of logs and the file-name globs to follow in it (not subfolders). */
export interface LogSource {
  dir: string;
  glob: string[];
  /** Network shares: fs.watch sees nothing there, so chokidar stat-polls (gently, see pollIntervalMs). */
  usePolling?: boolean;
  /** This folder's periodic check; defaults to the tailer's, or 5 s for a polled share. */
  pollIntervalMs?: number;
}

export interface LogTailerOptions {
  /** Folders with globs, or plain file paths. */
  paths: ReadonlyArray<LogSource | string>;
  /** JSON file of per-file offsets (see OffsetStore for the exact guarantee). */
  statePath: string;
  /** Called once per record, in file order. A returned promise is awaited before the offset is saved. */
  onRecord(record: TailedRecord): void | Promise<void>;
  onDiagnostic?(diagnostic: Diagnostic): void;
  clock?: Clock;
  /** Periodic check of every folder (chokidar events are only hints). Default 1000 ms. */
  pollIntervalMs?: number;
  /** A record is handed over once its file has been quiet this long, even with no next record. Default 500 ms. */
  quietFlushMs?: number;
  /** An unfinished last line is handed over after this much quiet (a buffered writer may still finish it). Default 5000 ms. */
  partialLineFlushMs?: number;
  /** Existing files first seen in a folder never watched before: from their end (live) or their beginning (catch-up). Default 'end'. */
  startAt?: 'end' | 'beginning';
  /** Read size. Default 64 KiB. */
  chunkBytes?: number;
  /** Bytes read from one file before the others get a turn and offsets are saved. Default 16 MiB. */
  maxBytesPerPass?: number;
  /** How long a file renamed out of the globs (app.log -> app.log.1) is still followed for late writes. Default 5000 ms. */
  renamedAwayGraceMs?: number;
  /**
   * Least time between two offset saves (each is a write, fsync and rename). Default 0: after every
   * pass. A live watcher of a chatty log sets seconds: after a crash of Lifeboat itself at most
   * that much is read again (the correlator's deterministic ids absorb the repeats); a clean stop
   * always saves.
   */
  commitIntervalMs?: number;
  /** Use chokidar for change hints. Default true; false leaves only the periodic check. */
  watch?: boolean;
}

interface SourceState {
  dir: string;
  matches(baseName: string): boolean;
  usePolling: boolean;
  pollIntervalMs: number;
  firstCheckDone: boolean;
  /** Wall-clock start of the last check: files written since then hold nothing we have read. */
  lastCheckStartedAt: number | null;
  rotatedNames: RotatedNames;
}

const NETWORK_POLL_MS = 5000;
const HINT_DELAY_MS = 20;
const WATCH_READY_TIMEOUT_MS = 5000;

/**
 * Follows the clinical client's logs and hands over whole records (a line plus its stack trace).
 *
 * chokidar events are hints only (on Windows they can be late, lost or doubled around renames):
 * every hint and every periodic check stats the folder's files, recognises rotation, copytruncate
 * and truncation by identity (see fileIdentity.ts), and reads each file from its saved offset to
 * its end in fixed chunks. One check runs at a time, in file order, so records from a rotated file
 * come before those of its successor. Memory is bounded per file (one unfinished line and one
 * record at most), whatever the size of the log.
 */
export class LogTailer {
  private readonly options: LogTailerOptions;
  private readonly clock: Clock;
  private readonly sources: SourceState[];
  private readonly files = new Map<string, TrackedLogFile>();
  private readonly context: TrackedFileContext;
  private readonly dirty = new Set<SourceState>();
  private readonly watchers: FSWatcher[] = [];
  private readonly timers: ReturnType<typeof setInterval>[] = [];
  private store: OffsetStore | null = null;
  private loop: Promise<void> | null = null;
  private flushDue = false;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private hintTimer: ReturnType<typeof setTimeout> | null = null;
  private stopping = false;

  constructor(options: LogTailerOptions) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
    const pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.sources = options.paths.map((entry) => {
      const source: LogSource = typeof entry === 'string' ? { dir: dirname(entry), glob: [basename(entry)] } : entry;
      const usePolling = source.usePolling ?? false;
      const matches = compileFileGlobs(source.glob);
      return {
        dir: resolve(source.dir),
        matches,
        usePolling,
        pollIntervalMs: source.pollIntervalMs ?? (usePolling ? NETWORK_POLL_MS : pollIntervalMs),
        firstCheckDone: false,
        lastCheckStartedAt: null,
        rotatedNames: new RotatedNames(matches),
      };
    });
    this.context = {
      readBuffer: Buffer.allocUnsafe(options.chunkBytes ?? 64 * 1024),
      maxBytesPerPass: options.maxBytesPerPass ?? 16 * 1024 * 1024,
      deliver: (record) => this.options.onRecord(record),
      diagnostic: (diagnostic) => this.diagnostic(diagnostic),
      findCopy: (file) => this.findCopy(file),
      now: () => this.clock.now(),
    };
  }

  /** Loads saved offsets, checks every folder once (so files present now count as existing), then watches. */
  async start(): Promise<void> {
    this.store = await OffsetStore.open(this.options.statePath, (diagnostic) => this.diagnostic(diagnostic));
    for (const saved of this.store.entries()) {
      const dir = dirname(saved.path);
      if (!this.sources.some((source) => source.dir === dir)) {
        this.store.delete(saved.key);
        continue;
      }
      const identity = { key: saved.key, headHash: saved.headHash, headLength: saved.headLength };
      this.files.set(saved.key, new TrackedLogFile({ identity, path: saved.path, dir, startAt: saved.offset, context: this.context }));
    }
    // Watch first, then look: a file created in between is seen by the look or by an event, never by neither.
    if (this.options.watch !== false) {
      for (const source of this.sources) this.watchers.push(this.watchSource(source));
      await Promise.all(this.watchers.map(whenReady));
    }
    for (const source of this.sources) this.dirty.add(source);
    await this.kick();
    if (this.stopping) return;
    for (const source of this.sources) this.timers.push(setInterval(() => this.requestCheck(source), source.pollIntervalMs));
  }

  /** Stops watching and saves offsets. A record still being collected is not handed over: the next start reads it whole. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.commitTimer) clearTimeout(this.commitTimer);
    for (const timer of this.timers) clearInterval(timer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.hintTimer) clearTimeout(this.hintTimer);
    await Promise.all(this.watchers.map((watcher) => watcher.close().catch(() => undefined)));
    while (this.loop) await this.loop;
    await this.commit();
  }

  /**
   * Checks every folder now and reads until caught up with what the files hold (records still
   * waiting for their next line excepted). For tests, catch-up and the CLI; also applies the
   * quiet flush against the injected clock.
   */
  async poll(): Promise<void> {
    for (const source of this.sources) this.dirty.add(source);
    this.flushDue = true;
    do await (this.loop ?? this.kick());
    while (!this.stopping && (this.loop || this.dirty.size > 0));
  }

  private requestCheck(source: SourceState): void {
    this.dirty.add(source);
    void this.kick();
  }

  private kick(): Promise<void> {
    this.loop ??= this.runLoop().finally(() => {
      this.loop = null;
      if (!this.stopping && (this.dirty.size > 0 || this.flushDue)) void this.kick();
    });
    return this.loop;
  }

  private async runLoop(): Promise<void> {
    while ((this.dirty.size > 0 || this.flushDue) && !this.stopping) {
      const sources = [...this.dirty];
      this.dirty.clear();
      this.flushDue = false;
      for (const source of sources) {
        if (this.stopping) break;
        if (await this.checkSource(source)) this.dirty.add(source);
      }
      this.flushQuietFiles();
      await this.commitWhenDue();
    }
  }

  private commitTimer: ReturnType<typeof setTimeout> | null = null;
  private lastCommitAt = 0;

  /** Saves now, or (with commitIntervalMs) once the interval has passed, through the same loop. */
  private async commitWhenDue(): Promise<void> {
    const interval = this.options.commitIntervalMs ?? 0;
    const now = this.clock.now();
    if (interval === 0 || now - this.lastCommitAt >= interval) {
      this.lastCommitAt = now;
      await this.commit();
      return;
    }
    this.commitTimer ??= setTimeout(() => {
      this.commitTimer = null;
      this.flushDue = true;
      void this.kick();
    }, interval - (now - this.lastCommitAt));
  }

  /** Saves every file's offset once the records before it have been handed over. */
  private async commit(): Promise<void> {
    const store = this.store;
    if (!store) return;
    for (const file of this.files.values()) {
      await file.settle();
      const saved = file.toSaved();
      if (saved) store.set(saved);
    }
    await store.save();
  }

  /** One look at a folder: the files we follow first (so a rotated file's tail comes before its successor), then new ones. */
  private async checkSource(source: SourceState): Promise<boolean> {
    // Compared with file modification times, which the OS stamps from its own clock: the system
    // clock, never the injected one (a test's manual clock says nothing about files on disk).
    const startedAt = systemClock.now();
    let names: string[];
    try {
      names = await readdir(source.dir);
    } catch (error) {
      // A folder that does not exist yet is normal (client not installed or not run yet).
      if (errorCode(error) !== 'ENOENT') this.diagnostic(logDiagnostic('read-error', source.dir, { osCode: errorCode(error) }));
      names = [];
    }
    const found = new Map<string, Promise<FoundFile | null>>();
    const find: FindFile = (name) => {
      let entry = found.get(name);
      if (!entry) {
        entry = statFile(join(source.dir, name));
        found.set(name, entry);
      }
      return entry;
    };
    const matching = names.filter((name) => source.matches(name));
    let more = false;

    for (const file of [...this.files.values()].filter((f) => f.dir === source.dir)) {
      const name = basename(file.path);
      let outcome = await file.pass(names.includes(name) ? (await find(name))?.stats : undefined);
      if (outcome === 'moved') {
        const newPath = await locateRenamed(file.key, file.dir, names, matching, find);
        if (!newPath) {
          this.drop(file);
          continue;
        }
        const oldName = basename(file.path);
        this.diagnostic(logDiagnostic('rotated', file.path));
        file.path = newPath;
        outcome = await file.pass();
        // A new file under the old name means the writer has moved on: what the old one holds is complete.
        if (matching.includes(oldName)) file.finish();
      }
      if (outcome === 'more') more = true;
      const renamedAway = !source.matches(basename(file.path));
      const graceMs = this.options.renamedAwayGraceMs ?? 5000;
      if (renamedAway && outcome === 'idle' && this.clock.now() - file.lastDataAt >= graceMs) {
        file.finish();
        this.forget(file);
      }
    }

    const isFirstCheck = !source.firstCheckDone;
    const seenBefore = this.store!.hasSeenDir(source.dir);
    const writtenSince = source.lastCheckStartedAt ?? (seenBefore ? this.store!.lastSavedAt : null);
    if (writtenSince !== null && (await this.readRotatedUnseen(source, names, find, writtenSince))) more = true;
    for (const name of matching) {
      const info = await find(name);
      if (!info || this.files.has(info.key)) continue;
      const file = await this.trackNewFile(info, source.dir, isFirstCheck && !seenBefore);
      if (file && (await file.pass()) === 'more') more = true;
    }
    source.firstCheckDone = true;
    source.lastCheckStartedAt = startedAt;
    this.store!.markDirSeen(source.dir);
    return more;
  }

  /**
   * A log can be created and rotated away between two checks (a check takes time, and a busy
   * client rotates fast): under its rotated name (app.log.1, app.log.20260105) it no longer
   * matches the globs and its id was never seen. Any such file written since the last check is
   * content we never read, so it is read from 0, oldest first, before the live file.
   */
  private async readRotatedUnseen(source: SourceState, names: string[], find: FindFile, writtenSince: number): Promise<boolean> {
    const unseen = await rotatedUnseen({ names, matches: source.matches, rotated: source.rotatedNames, find, followed: (key) => this.files.has(key), writtenSince });
    let more = false;
    for (const info of unseen) {
      const file = await this.trackNewFile(info, source.dir, false);
      if (!file) continue;
      const outcome = await file.pass();
      if (outcome === 'more') more = true;
      // Rolled away with a newer file after it: the writer has moved on, so its last record is
      // complete. Handing it over now keeps records in file order (not after its successor's).
      else if (unseen.at(-1) !== info || names.some((name) => source.matches(name))) file.finish();
    }
    return more;
  }

  /**
   * Where a newly seen file starts: a copy of a followed file (copytruncate) at its end, since
   * its content was read from the original; an existing file in a folder never watched before
   * per `startAt`; any other new file (created while we watched, or while we were stopped) at 0.
   */
  private async trackNewFile(info: FoundFile, dir: string, existedBeforeWatching: boolean): Promise<TrackedLogFile | null> {
    let handle: FileHandle;
    try {
      handle = await open(info.path, 'r');
    } catch {
      return null; // gone or locked since the readdir: the next check sees it
    }
    try {
      // The identity of what was opened, not of what readdir saw: the path may have rotated since.
      const stats = await handle.stat({ bigint: true });
      const identity = await readIdentity(handle, stats, info.path);
      if (this.files.has(identity.key)) return null;
      let startAt: number | 'end' = 0;
      const followed = [...this.files.values()].filter((f) => f.dir === dir && f.key !== identity.key).map((f) => f.identity);
      if (await isCopyOfAny(handle, followed)) startAt = Number(stats.size);
      else if (existedBeforeWatching && this.options.startAt !== 'beginning') startAt = 'end';
      const file = new TrackedLogFile({ identity, path: info.path, dir, startAt, context: this.context });
      this.files.set(identity.key, file);
      return file;
    } finally {
      await handle.close().catch(() => undefined);
    }
  }

  /**
   * The copy copytruncate made of a followed file, followed from its end (its content up to there
   * came from the original), so that neither the globs nor the rotated-file rule replays it; a
   * name outside the globs is dropped once quiet.
   */
  private async findCopy(file: TrackedLogFile): Promise<string | null> {
    const copy = await findCopy(file);
    if (!copy) return null;
    if (!this.files.has(copy.identity.key)) this.files.set(copy.identity.key, new TrackedLogFile({ identity: copy.identity, path: copy.path, dir: file.dir, startAt: copy.size, context: this.context }));
    return copy.path;
  }

  /** The file is gone: hand over what it held, and say so if bytes were never read. */
  private drop(file: TrackedLogFile): void {
    file.finish();
    if (file.unreadBytes > 0) this.diagnostic(logDiagnostic('lost', file.path, { bytes: file.unreadBytes }));
    this.forget(file);
  }

  private forget(file: TrackedLogFile): void {
    this.files.delete(file.key);
    this.store?.delete(file.key);
  }

  private flushQuietFiles(): void {
    const now = this.clock.now();
    const quietMs = this.options.quietFlushMs ?? 500;
    const partialMs = this.options.partialLineFlushMs ?? 5000;
    let nextDue: number | null = null;
    for (const file of this.files.values()) {
      const due = file.flushIfQuiet(now, quietMs, partialMs);
      if (due !== null && (nextDue === null || due < nextDue)) nextDue = due;
    }
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (nextDue !== null && !this.stopping) {
      this.flushTimer = setTimeout(() => {
        this.flushTimer = null;
        this.flushDue = true;
        void this.kick();
      }, Math.max(10, nextDue - now));
    }
  }

  private watchSource(source: SourceState): FSWatcher {
    const watcher = watch(source.dir, {
      depth: 0,
      ignoreInitial: true,
      ignorePermissionErrors: true,
      atomic: false,
      backend: source.usePolling ? 'polling' : 'auto',
      pollingInterval: source.pollIntervalMs,
    });
    watcher.on('all', (event) => {
      if (event === 'addDir' || event === 'unlinkDir') return;
      this.dirty.add(source);
      // Let a burst of events (a rotation is unlink + add + change) settle into one check.
      this.hintTimer ??= setTimeout(() => {
        this.hintTimer = null;
        void this.kick();
      }, HINT_DELAY_MS);
    });
    watcher.on('error', (error) => this.diagnostic(logDiagnostic('watch-error', source.dir, { osCode: errorCode(error) })));
    return watcher;
  }

  private diagnostic(diagnostic: Diagnostic): void {
    try {
      this.options.onDiagnostic?.(diagnostic);
    } catch {
      // A failing diagnostics handler must not stop the tailer.
    }
  }
}

/** chokidar reports events only after its initial scan; on a slow share, give up waiting after a while (the periodic check covers it). */
function whenReady(watcher: FSWatcher): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, WATCH_READY_TIMEOUT_MS);
    watcher.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
