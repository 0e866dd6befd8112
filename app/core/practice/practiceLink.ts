import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../common/clock.ts';
import type { Incident } from '../../common/incident.ts';
import { mergePractice, practiceOutageNow, type OutageNow } from './mergePractice.ts';
import { ShareIo } from './shareFileReader.ts';
import { safeWorkstationName } from './shareFormat.ts';
import { ShareWriter } from './shareWriter.ts';

export interface PracticeLinkOptions {
  shareDir: string;
  stateDir: string;
  clock: Clock;
  workstation?: string;
  /** How often the outbox is flushed and the share is read for a practice-wide outage. Default 60 s. */
  intervalMs?: number;
  /** Every look at the share: the outage going on now, or null when the practice is calm. */
  onOutage: (outage: OutageNow | null) => void;
  onProblem: (message: string) => void;
  /** The practice key (policy `practiceKey`): this PC signs its files, and only signed files count. */
  practiceKey?: Buffer | null;
}

const LOOKBACK_MS = 60 * 60_000;

/**
 * This PC's side of the practice-wide view, inside the running service: its incidents go to its
 * own file in the practice share (through a local outbox, so an offline share loses nothing),
 * and the share is read now and then so the GP hears "practice-wide problem, not your PC".
 */
export class PracticeLink {
  private readonly writer: ShareWriter;
  private readonly options: PracticeLinkOptions;
  private timer: ReturnType<typeof setInterval> | null = null;
  private busy: Promise<void> | null = null;
  /** One for the life of the link: share calls that hung stay counted from one look to the next. */
  private readonly io = new ShareIo();

  constructor(options: PracticeLinkOptions) {
    this.options = options;
    this.writer = ShareWriter.open({
      shareDir: options.shareDir,
      workstation: safeWorkstationName(options.workstation ?? hostname()),
      outboxDir: join(options.stateDir, 'practice-outbox'),
      clock: options.clock,
      practiceKey: options.practiceKey ?? null,
    });
  }

  start(): void {
    this.timer = setInterval(() => void this.cycle(), this.options.intervalMs ?? 60_000);
    this.timer.unref();
    void this.cycle();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.busy;
    await this.writer.flush();
  }

  /** Durable in the outbox at once; a crash is sent to the share straight away. */
  record(incident: Incident): void {
    this.writer.record(incident);
    if (incident.kind === 'crash' || incident.kind === 'hang') void this.writer.flush();
  }

  /** One flush of the outbox and one look at the share. */
  cycle(): Promise<void> {
    this.busy ??= (async () => {
      const flushed = await this.writer.heartbeat();
      if (!flushed.ok) this.options.onProblem(`practice share not reachable (${flushed.error ?? 'unknown'}); ${flushed.pending.length} month(s) queued locally`);
      try {
        const now = this.options.clock.now();
        const merged = await mergePractice(this.options.shareDir, { since: now - LOOKBACK_MS, now, io: this.io, practiceKey: this.options.practiceKey ?? null });
        const outage = practiceOutageNow(merged, now);
        this.options.onOutage(outage);
      } catch (err) {
        this.options.onProblem(`practice share not readable: ${(err as Error).message.split('\n')[0]}`);
      }
    })().finally(() => {
      this.busy = null;
    });
    return this.busy;
  }
}
