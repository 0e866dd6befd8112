import type { BusyOperation, WatcherPart } from '../../common/watcherChannel.ts';

interface Operation {
  part: WatcherPart;
  what: string;
  since: number;
  reportedStuck: boolean;
}

/**
 * What each source of the watcher is doing right now: every operation that can wait on the
 * outside world (listing processes, reading the practice share, querying the Event Log, starting
 * a log folder's watch, matching a log record) is tracked from start to end. The heartbeat carries
 * the list, so when the watcher stops answering the note side can say which source was busy; and
 * an operation still running after `stuckAfterMs` (a FIFO, a hung SMB server) is named once as
 * stuck while the rest of the watcher carries on.
 */
export class SourceActivity {
  private readonly now: () => number;
  private readonly operations = new Set<Operation>();

  constructor(now: () => number = () => performance.now()) {
    this.now = now;
  }

  /** Marks an operation as under way; call the returned function when it ends (idempotent). */
  begin(part: WatcherPart, what: string): () => void {
    const op: Operation = { part, what: what.slice(0, 300), since: this.now(), reportedStuck: false };
    this.operations.add(op);
    return () => void this.operations.delete(op);
  }

  /** Tracks one asynchronous operation from now until it settles. */
  track<T>(part: WatcherPart, what: string, work: () => Promise<T>): Promise<T> {
    const end = this.begin(part, what);
    let running: Promise<T>;
    try {
      running = work();
    } catch (err) {
      end();
      throw err;
    }
    return running.finally(end);
  }

  /** Everything under way, longest first. */
  busy(limit = 50): BusyOperation[] {
    const now = this.now();
    return [...this.operations]
      .map((op) => ({ part: op.part, what: op.what, forMs: Math.max(0, Math.round(now - op.since)) }))
      .sort((a, b) => b.forMs - a.forMs)
      .slice(0, limit);
  }

  /** Operations that have just passed `thresholdMs`: each is returned once. */
  newlyStuck(thresholdMs: number): BusyOperation[] {
    const now = this.now();
    const stuck: BusyOperation[] = [];
    for (const op of this.operations) {
      if (op.reportedStuck || now - op.since < thresholdMs) continue;
      op.reportedStuck = true;
      stuck.push({ part: op.part, what: op.what, forMs: Math.round(now - op.since) });
    }
    return stuck;
  }
}

/** "practice: reading the share for 42 s": how a busy operation is named to people. */
export function describeBusy(op: BusyOperation): string {
  return `${op.part}: ${op.what} for ${op.forMs >= 10_000 ? `${Math.round(op.forMs / 1000)} s` : `${op.forMs} ms`}`;
}
