import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { watch, type FSWatcher } from 'chokidar';
import { diagnostic, type DiagnosticSink } from '../../../common/diagnostic.ts';
import type { Signal } from '../../../common/signal.ts';
import type { ProfileApps } from './profileApps.ts';
import { findWerReports, isReportFile } from './werFolders.ts';
import { parseWerReport, WerParseError, type WerReport } from './werReport.ts';
import { werKind, werSignal } from './werSignal.ts';

/** not-a-report: junk that stayed junk; unreadable: locked or denied for several looks; watch-error: the file watcher failed. */
type WerTrouble = 'not-a-report' | 'unreadable' | 'watch-error' | 'internal';

export interface WerWatcherOptions {
  roots: readonly string[];
  profiles: readonly ProfileApps[];
  onSignal: (signal: Signal) => void;
  onDiagnostic?: DiagnosticSink;
  /**
   * Period of the full rescan (default 10 s). File events are only hints (lost on Windows around
   * renames, EBUSY right after `add`), so the rescan is the safety net and the retry clock for
   * locked and half-written reports.
   */
  pollIntervalMs?: number;
  /** 'native' file events (default); 'polling' for network shares; 'off' to rely on rescans alone. */
  fileEvents?: 'native' | 'polling' | 'off';
  /** Ignore reports whose EventTime (else file time) is before this; also limits the initial scan. */
  sinceMs?: number;
}

/** What we last concluded about one Report.wer path, keyed to the file's size and mtime then. */
interface FileState {
  fingerprint: string;
  outcome: 'handled' | 'not-a-report' | 'incomplete' | 'busy';
  diagnosed: boolean;
  busyLooks: number;
}

const DEFAULT_POLL_MS = 10_000;
/** Windows holds Report.wer open while WER writes it; after this many locked looks, tell IT. */
const BUSY_LOOKS_BEFORE_DIAGNOSTIC = 5;
/** Report ids remembered for de-duplication; WER keeps far fewer reports than this. */
const MAX_REMEMBERED_IDS = 10_000;
const LOCKED_CODES = new Set(['EBUSY', 'EPERM', 'EACCES', 'EAGAIN']);
/** Real manifests are tens of kilobytes; anything this large named Report.wer is not one. */
const MAX_REPORT_BYTES = 4 * 1024 * 1024;
/** chokidar's 'ready' normally comes within milliseconds; never let start() hang on it. */
const READY_TIMEOUT_MS = 10_000;
const ADD_SETTLE_MS = 2_000;

/**
 * Watches the WER report folders and emits one Signal per new crash or hang report of a watched
 * client. A report moved from ReportQueue to ReportArchive (same ReportIdentifier) emits once.
 */
export class WerWatcher {
  private readonly options: WerWatcherOptions;
  private readonly files = new Map<string, FileState>();
  private readonly seenReportKeys = new Set<string>();
  private readonly pending = new Set<string>();
  private draining: Promise<void> | null = null;
  private watcher: FSWatcher | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private rescanning: Promise<void> | null = null;
  /** Roots handed to chokidar: only existing ones, since it does not notice a root created later. */
  private readonly watchedRoots = new Set<string>();
  private running = false;

  constructor(options: WerWatcherOptions) {
    this.options = options;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    // Events first, then the initial scan: a report written in between is seen by one or both,
    // and the fingerprint and id checks make "both" harmless.
    if ((this.options.fileEvents ?? 'native') !== 'off') await this.startFileEvents();
    await this.rescanNow();
    this.scheduleRescan();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const watcher = this.watcher;
    this.watcher = null;
    await watcher?.close();
    await this.rescanning;
    await this.draining;
  }

  /** Scans every root now and waits until each report found has been examined. */
  async rescanNow(): Promise<void> {
    const run = async (): Promise<void> => {
      const present = new Set<string>();
      for (const root of this.options.roots) {
        await this.watchRootOnceItExists(root);
        const found = await findWerReports(root, this.options.sinceMs === undefined ? {} : { sinceMs: this.options.sinceMs }).catch((err: unknown) => {
          this.diagnose('watch-error', `cannot list WER folder ${root}: ${errorText(err)}`);
          return [];
        });
        for (const file of found) {
          present.add(file);
          this.pending.add(file);
        }
      }
      for (const known of this.files.keys()) if (!present.has(known)) this.files.delete(known);
      await this.drain();
    };
    // Rescans queue behind each other, so a caller that asks for one gets a complete pass.
    const next = (this.rescanning ?? Promise.resolve()).then(run);
    this.rescanning = next;
    await next.finally(() => {
      if (this.rescanning === next) this.rescanning = null;
    });
  }

  private async startFileEvents(): Promise<void> {
    const polling = this.options.fileEvents === 'polling';
    const existing: string[] = [];
    for (const root of this.options.roots) if (await isDirectory(root)) existing.push(root);
    existing.forEach((root) => this.watchedRoots.add(root));
    const watcher = watch(existing, {
      ignoreInitial: true,
      depth: 1,
      ...(polling ? { backend: 'polling' as const, pollingInterval: this.options.pollIntervalMs ?? DEFAULT_POLL_MS } : {}),
      // Report folders also hold large minidumps; only Report.wer matters.
      ignored: (file: string, stats?: { isFile(): boolean }) => stats?.isFile() === true && !isReportFile(file),
    });
    const hint = (file: string): void => {
      if (!isReportFile(file) || !this.running) return;
      this.pending.add(file);
      void this.drain();
    };
    watcher.on('add', hint);
    watcher.on('change', hint);
    watcher.on('unlink', (file) => this.files.delete(file));
    watcher.on('error', (err) => this.diagnose('watch-error', `file watcher error: ${errorText(err)}`));
    this.watcher = watcher;
    const ready = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS);
      watcher.once('ready', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (!ready) this.diagnose('watch-error', `file events not ready after ${READY_TIMEOUT_MS} ms; relying on rescans until they are`);
  }

  /** ReportQueue appears only when Windows first queues a report: start watching it then. */
  private async watchRootOnceItExists(root: string): Promise<void> {
    if (this.watcher === null || this.watchedRoots.has(root) || !(await isDirectory(root))) return;
    this.watchedRoots.add(root);
    const watcher = this.watcher.add(root);
    // add() arms the watch asynchronously; wait (briefly) until chokidar lists the root, so a
    // report written right after this rescan is not lost between the two. Rescans cover a miss.
    const deadline = performance.now() + ADD_SETTLE_MS;
    while (!(root in watcher.getWatched()) && performance.now() < deadline && !watcher.closed) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  private scheduleRescan(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.rescanNow()
        .catch((err: unknown) => this.diagnose('internal', `rescan failed: ${errorText(err)}`))
        .finally(() => this.scheduleRescan());
    }, this.options.pollIntervalMs ?? DEFAULT_POLL_MS);
  }

  /** Examines pending paths one at a time (a path is never read twice at once); resolves when none are left. */
  private async drain(): Promise<void> {
    while (this.pending.size > 0 || this.draining !== null) {
      this.draining ??= this.examinePending().finally(() => {
        this.draining = null;
      });
      await this.draining;
    }
  }

  private async examinePending(): Promise<void> {
    while (this.pending.size > 0) {
      const [file] = this.pending;
      if (file === undefined) break;
      this.pending.delete(file);
      try {
        await this.examine(file);
      } catch (err) {
        this.diagnose('internal', `could not process ${file}: ${errorText(err)}`);
      }
    }
  }

  private async examine(file: string): Promise<void> {
    const before = await stat(file).catch((err: unknown) => err as NodeJS.ErrnoException);
    if (before instanceof Error) return this.onUnreadable(file, null, before);
    const fingerprint = `${before.size}:${before.mtimeMs}`;
    const previous = this.files.get(file);
    const unchanged = previous?.fingerprint === fingerprint;
    if (unchanged && previous.outcome === 'handled') return;
    if (unchanged && previous.outcome === 'not-a-report') {
      // Same bytes as last time it failed: not a write in progress, so it is junk. Say so once.
      if (!previous.diagnosed) {
        previous.diagnosed = true;
        this.diagnose('not-a-report', `${file} is not a readable WER report and has stopped changing; it will be read again if it changes`);
      }
      return;
    }

    if (before.size > MAX_REPORT_BYTES) {
      this.files.set(file, { fingerprint, outcome: 'not-a-report', diagnosed: false, busyLooks: 0 });
      return;
    }
    const bytes = await readFile(file).catch((err: unknown) => err as NodeJS.ErrnoException);
    if (bytes instanceof Error) return this.onUnreadable(file, fingerprint, bytes);

    let report: WerReport;
    try {
      report = parseWerReport(bytes, file);
    } catch (err) {
      if (!(err instanceof WerParseError)) throw err;
      this.files.set(file, { fingerprint, outcome: 'not-a-report', diagnosed: false, busyLooks: 0 });
      return;
    }
    // WER writes AppPath near the end: a crash or hang report without it is probably still being
    // written. Wait for the next look; if the file has not changed by then, take it as it is.
    const appReport = werKind(report.eventType) !== null;
    if (appReport && report.appPath === null && !(unchanged && previous.outcome === 'incomplete')) {
      this.files.set(file, { fingerprint, outcome: 'incomplete', diagnosed: false, busyLooks: 0 });
      return;
    }
    this.files.set(file, { fingerprint, outcome: 'handled', diagnosed: false, busyLooks: 0 });
    this.accept(report, bytes, before.mtimeMs);
  }

  private accept(report: WerReport, bytes: Buffer, fileTimeMs: number): void {
    const key = report.reportId ?? report.integratorReportId ?? `sha1:${createHash('sha1').update(bytes).digest('hex')}`;
    const normalisedKey = key.toLowerCase();
    if (this.seenReportKeys.has(normalisedKey)) return;
    this.remember(normalisedKey);

    const at = report.eventTime ?? Math.trunc(fileTimeMs);
    if (this.options.sinceMs !== undefined && at < this.options.sinceMs) return;
    const signal = werSignal({ ...report, eventTime: at }, this.options.profiles);
    if (signal !== null) this.options.onSignal(signal);
  }

  private onUnreadable(file: string, fingerprint: string | null, err: NodeJS.ErrnoException): void {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') {
      // Moved (Queue → Archive) or deleted between the hint and the read: the new path gets its own hint.
      this.files.delete(file);
      return;
    }
    const previous = this.files.get(file);
    const state: FileState = {
      fingerprint: fingerprint ?? previous?.fingerprint ?? '',
      outcome: 'busy',
      diagnosed: previous?.diagnosed ?? false,
      busyLooks: (previous?.outcome === 'busy' ? previous.busyLooks : 0) + 1,
    };
    this.files.set(file, state);
    const locked = err.code !== undefined && LOCKED_CODES.has(err.code);
    if (!state.diagnosed && (!locked || state.busyLooks >= BUSY_LOOKS_BEFORE_DIAGNOSTIC)) {
      state.diagnosed = true;
      this.diagnose('unreadable', `cannot read ${file} (${err.code ?? err.message}); retrying on each look`);
    }
  }

  private remember(key: string): void {
    this.seenReportKeys.add(key);
    if (this.seenReportKeys.size > MAX_REMEMBERED_IDS) {
      const [oldest] = this.seenReportKeys;
      if (oldest !== undefined) this.seenReportKeys.delete(oldest);
    }
  }

  private diagnose(trouble: WerTrouble, message: string): void {
    this.options.onDiagnostic?.(diagnostic('wer', `wer-${trouble}`, message));
  }
}

async function isDirectory(dir: string): Promise<boolean> {
  return (await stat(dir).catch(() => null))?.isDirectory() === true;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
