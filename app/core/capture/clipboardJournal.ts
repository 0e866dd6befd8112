import type { Clock } from '../../common/clock.ts';
import type { CaptureVault } from './vaultCaptureStore.ts';
import { decideClipboard, type ClipboardDecision } from './clipboardDecision.ts';
import type { ClipboardSource, ForegroundClient } from './captureSource.ts';

export interface ClipboardJournalOptions {
  source: ClipboardSource;
  vault: Pick<CaptureVault, 'save'>;
  clock: Clock;
  /** The clinical client window that has the keyboard now (from the capture sampler), or null. */
  foreground: () => ForegroundClient | null;
  profileFor: (processName: string) => { name: string; displayName: string } | null;
  /** Copies longer than this are not kept (default 100 000 characters). */
  maxChars?: number;
  intervalMs?: number;
  onDiagnostic?: (message: string) => void;
}

const DAY_FORMAT = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });

/**
 * The opt-in clipboard journal: text the GP copies from the clinical client is kept as a revision
 * of one draft per client per day ("Copied from EMIS Web, 26 Nov 2026"), so copy-before-save
 * becomes a safety net. Polls the cheap sequence number; reads the clipboard only when it changed.
 */
export class ClipboardJournal {
  private readonly options: ClipboardJournalOptions;
  private lastSequence: number | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private busy = false;

  constructor(options: ClipboardJournalOptions) {
    this.options = options;
  }

  start(): void {
    this.timer = setInterval(() => void this.check(), this.options.intervalMs ?? 500);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One look at the clipboard; returns what was decided (null: nothing new). */
  async check(): Promise<ClipboardDecision | null> {
    if (this.busy) return null;
    this.busy = true;
    try {
      const sequence = await this.options.source.sequence();
      if (sequence === this.lastSequence) return null;
      const first = this.lastSequence === null;
      this.lastSequence = sequence;
      // What was on the clipboard before Lifeboat started was not seen being copied from the client.
      if (first) return null;
      const reading = await this.options.source.read(this.options.maxChars ?? 100_000);
      if (!reading) return null;
      const foreground = this.options.foreground();
      const decision = decideClipboard(reading, foreground);
      if (decision.keep && foreground) await this.keep(reading.text!, foreground);
      return decision;
    } catch (err) {
      this.options.onDiagnostic?.(`clipboard journal: ${(err as Error).message}`);
      return null;
    } finally {
      this.busy = false;
    }
  }

  private async keep(text: string, foreground: ForegroundClient): Promise<void> {
    const profile = this.options.profileFor(foreground.processName);
    if (!profile) return;
    const now = new Date(this.options.clock.now());
    const day = `${now.getFullYear()}${String(now.getMonth() + 1).padStart(2, '0')}${String(now.getDate()).padStart(2, '0')}`;
    await this.options.vault.save(
      { id: `clip-${profile.name}-${day}`, body: text, title: `Copied from ${profile.displayName}, ${DAY_FORMAT.format(now)}`, clientProfile: profile.name, reason: 'clipboard' },
      { origin: 'clipboard' },
    );
  }
}
