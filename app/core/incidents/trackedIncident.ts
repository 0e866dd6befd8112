import { redactText } from '../../common/redact.ts';
import type { Incident, IncidentKind, SignalSource } from '../../common/incident.ts';
import type { Signal } from '../../common/signal.ts';
import { exceptionSignature } from './signature.ts';

/** Evidence is for a supplier ticket, not a log archive: a slow morning must not grow without bound. */
export const MAX_EVIDENCE_LINES = 25;
export const MAX_EVIDENCE_CHARS = 2000;

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * One incident while the correlator still folds signals into it. Every evidence line is redacted
 * here, on the way in, so nothing identifying a patient ever reaches an Incident.
 */
export class TrackedIncident {
  readonly id: string;
  readonly key: string;
  /** Time of the signal that opened it: the dedupe window is measured from here, so it never slides. */
  readonly anchorAt: number;
  readonly profile: string;
  readonly app: string;
  readonly workstation: string | undefined;
  kind: IncidentKind;
  startedAt: number;
  endedAt: number | null = null;
  /** Latest evidence time. */
  lastAt: number;
  pid: number | null = null;
  hasProcessExit = false;
  /** A crash/exit incident whose downtime ends when the client starts again. */
  awaitingRestart = false;
  /** Health has already shown this incident as a crash: later evidence for it must not show it again. */
  shownAsCrash = false;
  signature: string | null = null;
  private readonly sources: SignalSource[] = [];
  private readonly evidence: string[] = [];
  private dropped = 0;

  constructor(init: { id: string; key: string; kind: IncidentKind; signal: Signal; workstation: string | undefined }) {
    this.id = init.id;
    this.key = init.key;
    this.kind = init.kind;
    this.anchorAt = init.signal.at;
    this.startedAt = init.signal.at;
    this.lastAt = init.signal.at;
    this.profile = init.signal.profile;
    this.app = init.signal.app.toLowerCase();
    this.workstation = init.workstation;
    this.absorb(init.signal);
  }

  get open(): boolean {
    return this.endedAt === null;
  }

  /** Folds a signal in (source, time span, pid, signature, evidence). True when anything visible changed. */
  absorb(signal: Signal): boolean {
    let changed = false;
    if (!this.sources.includes(signal.source)) {
      this.sources.push(signal.source);
      changed = true;
    }
    // Reports and the Event Log often carry an earlier time than the exit that revealed the crash.
    if (signal.at < this.startedAt) {
      this.startedAt = signal.at;
      changed = true;
    }
    this.lastAt = Math.max(this.lastAt, signal.at);
    if (this.pid === null && signal.pid !== undefined) this.pid = signal.pid;
    if (signal.kind === 'exit' && signal.source === 'process') this.hasProcessExit = true;
    changed = this.adoptSignature(signal) || changed;
    return this.addEvidence(signal.at, signal.source, signal.detail) || changed;
  }

  /** Lifeboat's own line (a link to a related incident, why it ended). */
  note(at: number, text: string): boolean {
    return this.addEvidence(at, 'lifeboat', text);
  }

  close(at: number): boolean {
    if (this.endedAt !== null) return false;
    this.endedAt = Math.max(at, this.startedAt);
    this.awaitingRestart = false;
    return true;
  }

  /** A signal from a different pid is another process, so another incident; unknown pids match. */
  pidMatches(pid: number | undefined): boolean {
    return pid === undefined || this.pid === null || this.pid === pid;
  }

  snapshot(): Incident {
    const evidence = this.dropped === 0 ? [...this.evidence] : [...this.evidence, `… ${this.dropped} more evidence lines not kept`];
    const incident: Incident = {
      id: this.id,
      kind: this.kind,
      app: this.app,
      profile: this.profile,
      startedAt: iso(this.startedAt),
      endedAt: this.endedAt === null ? null : iso(this.endedAt),
      sources: [...this.sources],
      evidence,
      signature: this.signature,
    };
    if (this.workstation !== undefined) incident.workstation = this.workstation;
    return incident;
  }

  private adoptSignature(signal: Signal): boolean {
    if (this.signature !== null) return false;
    let found: string | null = null;
    // A source's signature is already normalised (Signal contract), e.g. WER's "c0000005@clr.dll": take it as given.
    if (signal.signature !== undefined && signal.signature.trim() !== '') found = signal.signature.trim().slice(0, 160);
    else if (signal.kind === 'crash') found = exceptionSignature(signal.detail);
    if (found === null) return false;
    this.signature = redactText(found);
    return true;
  }

  private addEvidence(at: number, source: string, detail: string): boolean {
    const text = redactText(`${iso(at)} ${source}: ${detail.replace(/\r\n?/g, '\n').trim()}`);
    const line = text.length <= MAX_EVIDENCE_CHARS ? text : `${text.slice(0, MAX_EVIDENCE_CHARS - 1)}…`;
    if (this.evidence.includes(line)) return false;
    if (this.evidence.length >= MAX_EVIDENCE_LINES) {
      this.dropped++;
      return true;
    }
    this.evidence.push(line);
    return true;
  }
}
