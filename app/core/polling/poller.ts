export interface PollerOptions {
  /** One round of work. A failure goes to onError and the next round comes as usual. */
  round: () => Promise<unknown>;
  /** Time from the end of one round to the start of the next: rounds never overlap, a slow one delays the rest. */
  intervalMs: number;
  /** Time before the first round after start(); default 0 (at once, but not inside start()). */
  firstDelayMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * Runs a round of work at an interval until stopped: the one poll loop of the watcher's sources
 * (process listing, the Event Log, text capture). The next round is armed when the previous one
 * has finished, so a source that is slow (a hung share, a busy wevtutil) is never asked twice at
 * once; stop() waits for the round under way, so nothing runs after it resolves. Timers come from
 * the runtime, not the injected clock: how often to look is not what a test moves.
 */
export class Poller {
  private readonly options: PollerOptions;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private current: Promise<void> | null = null;
  /** Bumped by start() and stop(): a round of an earlier start never re-arms the loop. */
  private generation = 0;
  private active = false;

  constructor(options: PollerOptions) {
    this.options = options;
  }

  get running(): boolean {
    return this.active;
  }

  /** Idempotent: a second start while running changes nothing. */
  start(): void {
    if (this.active) return;
    this.active = true;
    const generation = ++this.generation;
    const loop = (): void => {
      this.timer = null;
      this.current = this.options
        .round()
        .then(
          () => undefined,
          (error: unknown) => {
            try {
              this.options.onError?.(error);
            } catch {
              // A failing error handler must not stop the polling.
            }
          },
        )
        .finally(() => {
          if (this.active && this.generation === generation) this.timer = setTimeout(loop, this.options.intervalMs);
        });
    };
    this.timer = setTimeout(loop, this.options.firstDelayMs ?? 0);
  }

  /** No round starts after this; resolves once the round under way (if any) has finished. */
  async stop(): Promise<void> {
    this.active = false;
    this.generation++;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.current;
  }
}
