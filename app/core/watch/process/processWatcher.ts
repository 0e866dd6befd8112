import type { Clock } from '../../../common/clock.ts';
import type { Signal } from '../../../common/signal.ts';
import { describeExitCode, isExceptionExitCode, type ProcessExitWatch } from './processExits.ts';
import { isUnresponsive, type ProcessLister, type ProcessSnapshot } from './processSnapshot.ts';
import { Poller } from '../../polling/poller.ts';

export interface WatchedClient {
  profile: string;
  processNames: readonly string[];
  /** Warn before a 32-bit client hits its address-space ceiling (bytes of working set). */
  memoryWarnBytes?: number;
}

interface Tracked {
  snapshot: ProcessSnapshot;
  profile: string;
  memoryWarned: boolean;
}

export interface ProcessSample {
  at: number;
  profile: string;
  pid: number;
  name: string;
  state: ProcessSnapshot['state'];
  rssBytes: number | null;
  cpuPercent: number | null;
}

const RESTART_WINDOW_MS = 10 * 60_000;
const GB = 1024 ** 3;
/** A caller that launched the client learns its exit code from its own child handle, a moment after the OS event. */
const EXIT_CODE_WAIT_MS = 1000;
const EXIT_CODE_RETRY_MS = 10;

/**
 * Folds successive process listings into signals: start, exit, hang, responsive, and slow when
 * memory nears the ceiling. Pure apart from the lister; `pollOnce` is what the timer calls.
 */
export class ProcessWatcher {
  private readonly tracked = new Map<number, Tracked>();
  private readonly starts = new Map<string, number[]>();
  private readonly awaitingExitCode = new Set<number>();
  /** Pids whose exit the OS will announce (options.exits): the poll leaves their exit to that event. */
  private readonly exitAnnounced = new Set<number>();
  private readonly poller: Poller;
  private readonly options: {
    lister: ProcessLister;
    clients: readonly WatchedClient[];
    clock: Clock;
    pollIntervalMs?: number;
    onSignal: (signal: Signal) => void;
    onSample?: (sample: ProcessSample) => void;
    /**
     * Exit codes known to the caller (a child it launched): a number, null when it will never
     * know, undefined while its child's exit is not reported yet (the exit then waits one poll).
     */
    exitCodeFor?: (pid: number) => number | null | undefined;
    /** Exit as an event (a wait on the process handle, a pidfd); without it the next poll notices. Closed by stop(). */
    exits?: ProcessExitWatch;
    onError?: (error: Error) => void;
  };

  constructor(options: ProcessWatcher['options']) {
    this.options = options;
    this.poller = new Poller({ round: () => this.pollOnce(), intervalMs: options.pollIntervalMs ?? 1000, onError: (err) => this.options.onError?.(err as Error) });
  }

  start(): void {
    this.poller.start();
  }

  async stop(): Promise<void> {
    await this.poller.stop();
    await this.options.exits?.close();
  }

  running(): ProcessSnapshot[] {
    return [...this.tracked.values()].map((t) => t.snapshot);
  }

  async pollOnce(): Promise<void> {
    const names = this.options.clients.flatMap((c) => c.processNames);
    const listed = await this.options.lister.list(names);
    const now = this.options.clock.now();
    const seen = new Set<number>();
    for (const snapshot of listed) {
      const client = this.options.clients.find((c) => c.processNames.some((n) => n.toLowerCase() === snapshot.name));
      if (!client) continue;
      seen.add(snapshot.pid);
      const previous = this.tracked.get(snapshot.pid);
      if (!previous || (previous.snapshot.startedAt !== null && snapshot.startedAt !== null && previous.snapshot.startedAt !== snapshot.startedAt)) {
        this.tracked.set(snapshot.pid, { snapshot, profile: client.profile, memoryWarned: false });
        this.announceExit(snapshot);
        this.emitStart(snapshot, client, now);
        if (isUnresponsive(snapshot)) this.emit(client.profile, snapshot, 'hang', now, `${snapshot.name} (pid ${snapshot.pid}) is not responding`);
        continue;
      }
      this.compare(previous, snapshot, client, now);
    }
    for (const [pid, gone] of this.tracked) {
      if (seen.has(pid) || this.exitAnnounced.has(pid)) continue;
      const known = this.options.exitCodeFor?.(pid);
      if (known === undefined && this.options.exitCodeFor && !this.awaitingExitCode.has(pid)) {
        this.awaitingExitCode.add(pid);
        continue;
      }
      this.awaitingExitCode.delete(pid);
      this.emitExit(pid, gone, known ?? null, now);
    }
  }

  /** Asks the OS to tell us when this process ends; the signal then leaves at once, not a poll later. */
  private announceExit(snapshot: ProcessSnapshot): void {
    const exits = this.options.exits;
    if (!exits) return;
    const { pid, startedAt } = snapshot;
    const announced = exits.watch(pid, (code) => {
      this.exitAnnounced.delete(pid);
      const tracked = this.tracked.get(pid);
      // The pid was seen again as a new process meanwhile: that one has its own watch.
      if (!tracked || tracked.snapshot.startedAt !== startedAt) return;
      this.exitWithCode(pid, tracked, code, this.options.clock.now() + EXIT_CODE_WAIT_MS);
    });
    if (announced) this.exitAnnounced.add(pid);
  }

  /** The OS said "gone" without a code (Linux, not our child): the launcher may know it a moment later. */
  private exitWithCode(pid: number, tracked: Tracked, code: number | null, giveUpAt: number): void {
    const at = this.options.clock.now();
    const known = code ?? (this.options.exitCodeFor ? this.options.exitCodeFor(pid) : null);
    if (known === undefined && at < giveUpAt) {
      setTimeout(() => {
        if (this.tracked.get(pid) === tracked) this.exitWithCode(pid, tracked, null, giveUpAt);
      }, EXIT_CODE_RETRY_MS);
      return;
    }
    this.emitExit(pid, tracked, known ?? null, at);
  }

  private emitExit(pid: number, gone: Tracked, exitCode: number | null, now: number): void {
    this.tracked.delete(pid);
    const base = { source: 'process' as const, at: now, app: gone.snapshot.name, profile: gone.profile, pid };
    const how = describeExitCode(exitCode);
    // An exception code (0xC0000005…) is the process dying of an unhandled exception: a crash in
    // its own right, whatever else (log, WER, Event Log) reports it. The exit joins that incident.
    if (isExceptionExitCode(exitCode)) {
      this.options.onSignal({ ...base, kind: 'crash', exitCode, signature: how.replace(/^exit code /, ''), detail: `${gone.snapshot.name} (pid ${pid}) crashed, ${how}` });
    }
    this.options.onSignal({ ...base, kind: 'exit', exitCode, detail: `${gone.snapshot.name} (pid ${pid}) exited, ${how}` });
  }

  private compare(previous: Tracked, snapshot: ProcessSnapshot, client: WatchedClient, now: number): void {
    const wasHung = isUnresponsive(previous.snapshot);
    const isHung = isUnresponsive(snapshot);
    if (!wasHung && isHung) this.emit(client.profile, snapshot, 'hang', now, `${snapshot.name} (pid ${snapshot.pid}) stopped responding (${snapshot.state})`);
    if (wasHung && !isHung) this.emit(client.profile, snapshot, 'responsive', now, `${snapshot.name} (pid ${snapshot.pid}) is responding again`);
    const warn = client.memoryWarnBytes;
    if (warn !== undefined && snapshot.rssBytes !== null) {
      if (!previous.memoryWarned && snapshot.rssBytes >= warn) {
        previous.memoryWarned = true;
        this.emit(client.profile, snapshot, 'slow', now, `${snapshot.name} (pid ${snapshot.pid}) memory ${(snapshot.rssBytes / GB).toFixed(2)} GB, near its limit`);
      } else if (previous.memoryWarned && snapshot.rssBytes < warn * 0.9) previous.memoryWarned = false;
    }
    const elapsed = previous.snapshot.cpuMs !== null && snapshot.cpuMs !== null ? snapshot.cpuMs - previous.snapshot.cpuMs : null;
    const interval = this.options.pollIntervalMs ?? 1000;
    previous.snapshot = snapshot;
    this.options.onSample?.({
      at: now,
      profile: client.profile,
      pid: snapshot.pid,
      name: snapshot.name,
      state: snapshot.state,
      rssBytes: snapshot.rssBytes,
      cpuPercent: elapsed === null ? null : Math.max(0, (elapsed / interval) * 100),
    });
  }

  private emitStart(snapshot: ProcessSnapshot, client: WatchedClient, now: number): void {
    const recent = (this.starts.get(client.profile) ?? []).filter((t) => now - t < RESTART_WINDOW_MS);
    recent.push(now);
    this.starts.set(client.profile, recent);
    const loop = recent.length >= 3 ? `; restart loop: ${recent.length} starts in 10 min` : '';
    this.emit(client.profile, snapshot, 'start', now, `${snapshot.name} (pid ${snapshot.pid}) started${loop}`);
  }

  private emit(profile: string, snapshot: ProcessSnapshot, kind: Signal['kind'], at: number, detail: string): void {
    this.options.onSignal({ source: 'process', kind, at, app: snapshot.name, profile, pid: snapshot.pid, detail });
  }
}
