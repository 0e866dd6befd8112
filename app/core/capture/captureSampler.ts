import { createHash } from 'node:crypto';
import type { Clock } from '../../common/clock.ts';
import { attributeCapture, type CaptureAttribution } from './captureAttribution.ts';
import { decideCapture } from './captureDecision.ts';
import type { CaptureReading, ForegroundClient, TextCaptureSource } from './captureSource.ts';
import { Poller } from '../polling/poller.ts';

export interface CaptureProfile {
  name: string;
  displayName: string;
  /** Lower-case executable names. */
  processNames: readonly string[];
}

/** Where kept snapshots go: the vault, behind the one call the sampler needs. */
export interface CapturedDraftStore {
  /** Durable when it returns, or when the promise resolves (the note side's vault, across the watcher's channel). */
  saveCaptured(attribution: CaptureAttribution, profile: string, text: string, explicit: boolean): void | Promise<void>;
}

export type CaptureOutcome = ReturnType<typeof decideCapture> & { via?: string; chars?: number };

export interface CaptureSamplerOptions {
  source: TextCaptureSource;
  store: CapturedDraftStore;
  salt: Buffer;
  clock: Clock;
  profiles: readonly CaptureProfile[];
  /** Default 1 s, as the issue asks: at most one second of typing is at risk. */
  intervalMs?: number;
  /** At most this many characters are read from a control (default 1 MiB of text). */
  maxChars?: number;
  /**
   * Share of one core capture may use (default 0.005: the 0.5 %). After each sample the
   * next waits at least its own cost ÷ budget: a 1 KB note is sampled every second, a 1 MB one
   * (about 80 ms to save) every ~16 s. Trouble (slow, hung, crash) snapshots at once regardless.
   */
  cpuBudget?: number;
  onDiagnostic?: (message: string) => void;
}

const hashOf = (text: string): string => createHash('sha1').update(text).digest('base64');

/**
 * Samples the clinical client's focused control once a second while the client is in the
 * foreground, and at once when the watcher reports trouble. Text is kept (as a captured draft's
 * revision) only when its hash changed. Reads one snapshot at a time: a slow read delays the next
 * tick instead of piling reads up on a struggling client.
 */
export class CaptureSampler {
  private readonly options: CaptureSamplerOptions;
  private readonly lastHashByDraft = new Map<string, string>();
  private readonly processNames: string[];
  private readonly poller: Poller;
  private running: Promise<CaptureOutcome> | null = null;
  private enabled = true;
  private lastForeground: ForegroundClient | null = null;
  /** Clock time before which a routine sample is skipped (the cost governor). */
  private nextSampleAt = 0;
  private lastProblem: string | null = null;

  constructor(options: CaptureSamplerOptions) {
    this.options = options;
    this.processNames = [...new Set(options.profiles.flatMap((p) => p.processNames.map((n) => n.toLowerCase())))];
    // sample() reports its own problems (once per distinct one) and never rejects.
    this.poller = new Poller({ round: () => this.sample(false), intervalMs: options.intervalMs ?? 1000 });
  }

  /** Idempotent: a second start while running changes nothing. */
  start(): void {
    this.poller.start();
  }

  /** Waits for the sample under way (a trouble snapshot included). */
  async stop(): Promise<void> {
    await this.poller.stop();
    await this.running;
  }

  /** The GP or the practice's policy switched capture off (or on again): stop reading at once. */
  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    if (!enabled) this.lastForeground = null;
  }

  /** The client window that had the keyboard at the last sample (for the clipboard journal). */
  foregroundClient(): ForegroundClient | null {
    return this.lastForeground;
  }

  /** Trouble reported (slow, hung, crash): snapshot now, and ask the vault for a revision. */
  snapshotNow(): Promise<CaptureOutcome> {
    return this.sample(true);
  }

  /** One sample. Waits for a read already under way rather than starting a second one. */
  async sample(trouble: boolean): Promise<CaptureOutcome> {
    if (this.running) {
      const outcome = await this.running;
      if (!trouble) return outcome;
    }
    this.running = this.readAndKeep(trouble);
    try {
      return await this.running;
    } finally {
      this.running = null;
    }
  }

  private async readAndKeep(trouble: boolean): Promise<CaptureOutcome> {
    if (!this.enabled || this.processNames.length === 0) return { action: 'skip', why: 'not-foreground' };
    const now = this.options.clock.now();
    if (!trouble && now < this.nextSampleAt) return { action: 'skip', why: 'budget' };
    const interval = this.options.intervalMs ?? 1000;
    this.nextSampleAt = now + interval;
    let reading: CaptureReading;
    try {
      reading = await this.options.source.read(this.processNames, { maxChars: this.options.maxChars ?? 1024 * 1024 });
    } catch (err) {
      this.problem(`text capture failed: ${(err as Error).message}`);
      return { action: 'skip', why: 'unreadable' };
    }
    // Switched off while the read was in flight: nothing it returned is kept.
    if (!this.enabled) return { action: 'skip', why: 'not-foreground' };
    // Only this process's work counts against the budget: the CPU time of hashing and saving, after
    // the read returns. Waiting costs no CPU: neither for the client (a hung client's 200 ms timeout
    // must not stop sampling for 40 s) nor for the disk (a save's fsync on a busy disk, tens of ms,
    // must not hold the next sample back for seconds).
    const cpuBefore = process.cpuUsage();
    try {
      return this.decideAndKeep(reading, trouble);
    } finally {
      const used = process.cpuUsage(cpuBefore);
      this.nextSampleAt = now + Math.max(interval, (used.user + used.system) / 1000 / (this.options.cpuBudget ?? 0.005));
    }
  }

  private decideAndKeep(reading: CaptureReading, trouble: boolean): CaptureOutcome {
    this.lastForeground = reading.kind === 'not-foreground' ? null : reading.client;
    if (reading.kind === 'unreadable') this.problem(`text capture could not read the focused control: ${reading.reason}`);
    if (reading.kind !== 'text') return decideCapture(reading, null, null, { lastHashByDraft: this.lastHashByDraft }, trouble);
    const profile = this.options.profiles.find((p) => p.processNames.some((n) => n.toLowerCase() === reading.client.processName));
    if (!profile) return { action: 'skip', why: 'not-foreground' };
    const attribution = attributeCapture(this.options.salt, profile, reading.client, reading.control);
    const hash = hashOf(reading.text);
    const decision = decideCapture(reading, attribution.draftId, hash, { lastHashByDraft: this.lastHashByDraft }, trouble);
    if (decision.action === 'save') {
      const kept = (): void => {
        this.lastHashByDraft.set(attribution.draftId, hash);
        this.lastProblem = null;
      };
      // Not remembered as kept: the next tick tries again with whatever the text is then.
      const failed = (err: unknown): void => this.problem(`captured text not saved: ${(err as Error).message}`);
      try {
        const saving = this.options.store.saveCaptured(attribution, profile.name, reading.text, decision.explicit);
        // Across the watcher's channel the save finishes later; only this process's own work
        // (hashing, handing the text over) counts against the capture budget.
        if (saving instanceof Promise) saving.then(kept, failed);
        else kept();
      } catch (err) {
        failed(err);
      }
    }
    return { ...decision, via: reading.via, chars: reading.text.length };
  }

  /** Diagnostics once per distinct problem, not once a second. */
  private problem(message: string): void {
    if (message === this.lastProblem) return;
    this.lastProblem = message;
    this.options.onDiagnostic?.(message);
  }
}
