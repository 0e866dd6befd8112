export type SaveReason = 'blur';

export type SaveOutcome = { ok: true; savedAt: string; revisionWritten: boolean } | { ok: false; message: string };

export type AutosaveState =
  | { kind: 'empty' }
  | { kind: 'pending' }
  | { kind: 'saving' }
  | { kind: 'saved'; at: string }
  | { kind: 'error'; message: string };

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
  now(): number;
}

export interface AutosaveOptions {
  /** Saves the editor's current content; resolves, never rejects. */
  save(reason: SaveReason | undefined): Promise<SaveOutcome>;
  /** Nothing to save yet (an untouched new note must not become an empty draft). */
  isEmpty(): boolean;
  onState(state: AutosaveState): void;
  timers: Timers;
  /** Quiet time after the last keystroke before saving. */
  debounceMs?: number;
  /** Longest a change waits while the GP keeps typing: the ≤ 250 ms promise. */
  maxWaitMs?: number;
  /** After a failed save, try again this soon even without new typing (the disk may have room now). */
  retryMs?: number;
}

/**
 * When the note is saved: every change within maxWaitMs (debounced while typing), one save in
 * flight at a time (saves never overtake each other), a 'blur' save when the GP leaves the editor
 * with text not yet in a revision, and retries after errors until a save succeeds.
 */
export class AutosaveQueue {
  private readonly o: Required<Omit<AutosaveOptions, 'save' | 'isEmpty' | 'onState' | 'timers'>> & AutosaveOptions;
  private timer: unknown = null;
  private firstUnsavedAt: number | null = null;
  private version = 0;
  private savedVersion = 0;
  /** The vault coalesced the last save into the body without a revision. */
  private unrevisioned = false;
  private inFlight: Promise<void> | null = null;
  private state: AutosaveState = { kind: 'empty' };

  constructor(options: AutosaveOptions) {
    this.o = { debounceMs: 200, maxWaitMs: 250, retryMs: 2000, ...options };
  }

  get dirty(): boolean {
    return this.version !== this.savedVersion;
  }

  /** The editor changed. */
  change(): void {
    this.version += 1;
    const now = this.o.timers.now();
    this.firstUnsavedAt ??= now;
    if (!this.inFlight) this.emit({ kind: 'pending' });
    const wait = Math.max(0, Math.min(this.o.debounceMs, this.firstUnsavedAt + this.o.maxWaitMs - now));
    this.schedule(wait);
  }

  /** Saves now: on blur (with a revision), before New note, before leaving the page. */
  async flush(reason?: SaveReason): Promise<void> {
    this.cancelTimer();
    if (this.inFlight) await this.inFlight;
    if (this.dirty || (reason === 'blur' && this.unrevisioned)) await this.run(reason);
  }

  /** Starts afresh for another note. */
  reset(): void {
    this.cancelTimer();
    this.version = 0;
    this.savedVersion = 0;
    this.unrevisioned = false;
    this.firstUnsavedAt = null;
    this.state = { kind: 'empty' };
    this.o.onState(this.state);
  }

  /** An error stays on screen until a save succeeds: "Saving…" must not hide "Not saved". */
  private emit(next: AutosaveState, afterSuccess = false): void {
    if (!afterSuccess && this.state.kind === 'error' && (next.kind === 'pending' || next.kind === 'saving')) return;
    this.state = next;
    this.o.onState(next);
  }

  private schedule(ms: number): void {
    this.cancelTimer();
    this.timer = this.o.timers.set(() => {
      this.timer = null;
      void this.run(undefined);
    }, ms);
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.o.timers.clear(this.timer);
    this.timer = null;
  }

  private run(reason: SaveReason | undefined): Promise<void> {
    if (this.inFlight) {
      // One at a time: the save in flight is followed by another if typing went on meanwhile.
      return this.inFlight.then(() => (this.dirty ? this.run(reason) : undefined));
    }
    if (this.o.isEmpty() && this.savedVersion === 0) {
      this.savedVersion = this.version;
      this.firstUnsavedAt = null;
      this.emit({ kind: 'empty' });
      return Promise.resolve();
    }
    const version = this.version;
    this.firstUnsavedAt = null;
    this.emit({ kind: 'saving' });
    const attempt = this.o.save(reason).then((outcome) => {
      this.inFlight = null;
      if (outcome.ok) {
        this.savedVersion = Math.max(this.savedVersion, version);
        this.unrevisioned = !outcome.revisionWritten;
        if (this.dirty) {
          this.emit({ kind: 'pending' }, true);
          this.firstUnsavedAt ??= this.o.timers.now();
          this.schedule(0);
        } else {
          this.emit({ kind: 'saved', at: outcome.savedAt });
        }
      } else {
        this.emit({ kind: 'error', message: outcome.message });
        this.firstUnsavedAt ??= this.o.timers.now();
        this.schedule(this.o.retryMs);
      }
    });
    this.inFlight = attempt;
    return attempt;
  }
}
