import type { LifeboatEvent, NotificationKind } from '../../common/api.ts';
import type { Clock } from '../../common/clock.ts';
import type { HealthState, Incident } from '../../common/incident.ts';
import { clockTime, minuteOfDay, safeDisplayName, trayTooltip } from './notifyText.ts';

/**
 * What the notify policy may know about a draft: which one and when it was last saved. Never its
 * text, title or patient reference: the policy cannot leak what it is never given.
 */
export interface DraftMoment {
  id: string;
  savedAt: number;
}

/** Quiet hours in the GP's local time, "HH:MM"; `from` after `to` spans midnight. */
export interface QuietHours {
  from: string;
  to: string;
}

/**
 * Only the incident's identity, kind and start: evidence (log lines, dialog text) can hold
 * patient data, so the policy's input type leaves it out.
 */
export type IncidentRef = Pick<Incident, 'id' | 'kind' | 'startedAt'>;

export type NotifyInput =
  /** `at`: epoch ms of the transition (the tooltip's "since"); `reason` is never shown (it is not template text). */
  | { type: 'health'; state: HealthState; previous: HealthState; reason: string; at: number }
  | { type: 'incident'; change: 'opened' | 'updated' | 'closed'; incident: IncidentRef; nearestDraft?: DraftMoment | null }
  /** Practice-wide: several workstations report trouble with the same client (practice aggregation). */
  | { type: 'outage'; id: string; workstations: number; since: number }
  /** Lifeboat's own watcher keeps failing (restarted again and again): the client is not being watched. */
  | { type: 'watcher'; failing: boolean }
  | { type: 'pause'; minutes: number }
  | { type: 'resume' }
  | { type: 'settings'; enabled?: boolean; quietHours?: QuietHours | null; clientDisplayName?: string };

export interface PolicyNotification {
  kind: NotificationKind;
  title: string;
  body: string;
  draftId?: string;
  incidentId?: string;
}

export interface NotifyDecision {
  /** Always present: the tray carries every state, whether or not a notification is shown. */
  tray: { state: HealthState; tooltip: string };
  notify?: PolicyNotification;
}

export interface NotifyPolicyOptions {
  clock: Clock;
  clientDisplayName: string;
  /** IANA zone for the times shown to the GP; default this computer's zone. */
  timeZone?: string;
  /** No repeat of one kind within this long. Default 5 minutes. */
  throttleMs?: number;
  /** Notifications of every kind in any rolling hour. Default 6. New crashes count but are never refused. */
  maxPerHour?: number;
  /** How far apart the health change and the incident of one crash may arrive. Default 2 minutes. */
  crashPairingMs?: number;
  initialHealth?: HealthState;
  enabled?: boolean;
  quietHours?: QuietHours | null;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const SEVERITY: Partial<Record<NotificationKind, number>> = { slow: 1, hung: 2, crashed: 3 };

interface SeenIncident {
  kind: Incident['kind'];
  seenAt: number;
  nearestDraft: DraftMoment | null;
  notified: boolean;
}

/**
 * Decides what to tell the GP: pure state, clock injected, no I/O.
 *
 * - The tray always follows health; a notification is an extra, never the only signal (Focus
 *   Assist can hide it).
 * - No kind repeats until it has been quiet for throttleMs (a sliding window, so a slow/ok flap
 *   storm is one notification, not ten), at most maxPerHour in a rolling hour, and nothing less
 *   severe than a notification shown within throttleMs (no "slow" right after "stopped").
 * - Paused, disabled or quiet hours: no notifications; the tray still updates, and the trouble
 *   is not replayed later (the GP sees the tray; a stale alert is noise).
 * - A NEW crash always notifies (past the per-kind throttle and the hourly cap); the same crash
 *   seen again (its incident updated, or its health change arriving after its incident) never
 *   does. The crash notification names the draft saved nearest before it so a click opens it.
 */
export class NotifyPolicy {
  private readonly clock: Clock;
  private readonly timeZone: string | undefined;
  private readonly throttleMs: number;
  private readonly maxPerHour: number;
  private readonly crashPairingMs: number;
  private displayName: string;
  private enabled: boolean;
  private quietHours: QuietHours | null;
  private pausedUntilMs: number | null = null;
  private health: HealthState;
  private healthSince: number;
  /** Last time each kind came up (shown or held back by the throttle): the sliding throttle. */
  private readonly lastSeenByKind = new Map<NotificationKind, number>();
  /** Last time each kind was shown: the severity rule. */
  private readonly lastShownByKind = new Map<NotificationKind, number>();
  private sentAt: number[] = [];
  private readonly incidents = new Map<string, SeenIncident>();
  /** A crash notified from its health change before any incident was known: the incident joins it. */
  private crashNoticeWithoutIncidentAt: number | null = null;
  /** The trouble the GP was told about in this episode, so "working again" follows only a told trouble. */
  private toldTrouble: 'hung' | 'crashed' | null = null;
  private readonly outagesNotified = new Set<string>();
  private watcherFailingTold = false;

  constructor(options: NotifyPolicyOptions) {
    this.clock = options.clock;
    this.timeZone = options.timeZone;
    this.throttleMs = options.throttleMs ?? 5 * MINUTE;
    this.maxPerHour = options.maxPerHour ?? 6;
    this.crashPairingMs = options.crashPairingMs ?? 2 * MINUTE;
    this.displayName = safeDisplayName(options.clientDisplayName);
    this.enabled = options.enabled ?? true;
    this.quietHours = options.quietHours ?? null;
    this.health = options.initialHealth ?? 'not-running';
    this.healthSince = this.clock.now();
  }

  /** When notifications resume, or null when they are not paused. */
  pausedUntil(): number | null {
    if (this.pausedUntilMs !== null && this.clock.now() >= this.pausedUntilMs) this.pausedUntilMs = null;
    return this.pausedUntilMs;
  }

  tray(): NotifyDecision['tray'] {
    return {
      state: this.health,
      tooltip: trayTooltip({
        state: this.health,
        since: this.healthSince,
        clientDisplayName: this.displayName,
        pausedUntil: this.pausedUntil(),
        timeZone: this.timeZone,
      }),
    };
  }

  handle(input: NotifyInput): NotifyDecision {
    const notify = this.decide(input);
    const tray = this.tray();
    return notify ? { tray, notify } : { tray };
  }

  private decide(input: NotifyInput): PolicyNotification | undefined {
    const now = this.clock.now();
    this.forget(now);
    switch (input.type) {
      case 'pause':
        this.pausedUntilMs = input.minutes > 0 ? now + input.minutes * MINUTE : null;
        return undefined;
      case 'resume':
        this.pausedUntilMs = null;
        return undefined;
      case 'settings':
        if (input.enabled !== undefined) this.enabled = input.enabled;
        if (input.quietHours !== undefined) this.quietHours = input.quietHours;
        if (input.clientDisplayName !== undefined) this.displayName = safeDisplayName(input.clientDisplayName);
        return undefined;
      case 'health':
        return this.onHealth(input.state, input.at, now);
      case 'incident':
        return this.onIncident(input.incident, input.change, input.nearestDraft ?? null, now);
      case 'outage':
        return this.onOutage(input.id, input.workstations, input.since, now);
      case 'watcher':
        return this.onWatcher(input.failing, now);
    }
  }

  /**
   * Once per failing episode: the GP should know the client is not being watched, and that the
   * note is still kept (the note side does not depend on the watcher). A single restart is not
   * news; nor is the watcher working again.
   */
  private onWatcher(failing: boolean, now: number): PolicyNotification | undefined {
    if (!failing) {
      this.watcherFailingTold = false;
      return undefined;
    }
    if (this.watcherFailingTold) return undefined;
    const shown = this.offer(now, {
      kind: 'watcher',
      title: `Lifeboat cannot watch ${this.displayName} at the moment`,
      body: 'Your notes are still being saved. Lifeboat keeps trying; if this goes on, tell practice IT.',
    });
    if (shown) this.watcherFailingTold = true;
    return shown;
  }

  private onHealth(state: HealthState, at: number, now: number): PolicyNotification | undefined {
    if (state === this.health) return undefined;
    this.health = state;
    this.healthSince = Number.isFinite(at) ? at : now;
    const name = this.displayName;
    switch (state) {
      case 'crashed':
        return this.onCrashHealth(now);
      case 'hung': {
        const shown = this.offer(now, { kind: 'hung', title: `${name} is not responding`, body: `Lifeboat keeps your note safe. Give ${name} a minute before closing it.` });
        if (shown) this.toldTrouble = 'hung';
        return shown;
      }
      case 'slow':
        return this.offer(now, { kind: 'slow', title: `${name} is running slowly`, body: 'Lifeboat keeps your note safe while you wait.' });
      case 'ok': {
        const told = this.toldTrouble;
        this.toldTrouble = null;
        if (told === null) return undefined;
        const body = told === 'crashed' ? 'Your notes are in Lifeboat Recovery if you need them.' : 'Your note is in Lifeboat if you need it.';
        return this.offer(now, { kind: 'recovered', title: `${name} is working again`, body });
      }
      case 'not-running':
        return undefined;
    }
  }

  private onCrashHealth(now: number): PolicyNotification | undefined {
    const paired = this.latestCrashIncident(now);
    if (paired) {
      const [id, seen] = paired;
      if (seen.notified) return undefined;
      seen.notified = true;
      return this.offerCrash(now, id, seen.nearestDraft);
    }
    this.crashNoticeWithoutIncidentAt = now;
    return this.offerCrash(now, null, null);
  }

  private onIncident(incident: IncidentRef, change: 'opened' | 'updated' | 'closed', nearestDraft: DraftMoment | null, now: number): PolicyNotification | undefined {
    const known = this.incidents.get(incident.id);
    if (known) {
      // An update is the same incident: it may become a crash (exit upgraded by late WER or log
      // evidence) and pair with the health change that follows, but it never notifies by itself.
      known.kind = incident.kind;
      known.seenAt = now;
      if (nearestDraft) known.nearestDraft = nearestDraft;
      return undefined;
    }
    const seen: SeenIncident = { kind: incident.kind, seenAt: now, nearestDraft, notified: false };
    this.incidents.set(incident.id, seen);
    if (change === 'closed' || !isCrashKind(incident.kind) || this.health !== 'crashed') return undefined;
    // Health already says crashed: either this incident is the one that crash was about (join it),
    // or it is a further crash while the first is still on show (tell the GP).
    if (this.crashNoticeWithoutIncidentAt !== null && now - this.crashNoticeWithoutIncidentAt <= this.crashPairingMs) {
      this.crashNoticeWithoutIncidentAt = null;
      seen.notified = true;
      return undefined;
    }
    seen.notified = true;
    return this.offerCrash(now, incident.id, nearestDraft);
  }

  private onOutage(id: string, workstations: number, since: number, now: number): PolicyNotification | undefined {
    if (this.outagesNotified.has(id)) return undefined;
    const count = Math.max(2, Math.floor(workstations));
    const shown = this.offer(now, {
      kind: 'outage',
      title: `${this.displayName} problems across the practice`,
      body: `${count} computers have had problems since ${clockTime(since, this.timeZone, false)}: it is not just this one.`,
    });
    if (shown) this.outagesNotified.add(id);
    return shown;
  }

  private offerCrash(now: number, incidentId: string | null, draft: DraftMoment | null): PolicyNotification | undefined {
    const name = this.displayName;
    const note: PolicyNotification = draft
      ? { kind: 'crashed', title: `${name} has stopped — your note from ${clockTime(draft.savedAt, this.timeZone, true)} is safe`, body: 'Click to open it in Lifeboat Recovery.', draftId: draft.id }
      : { kind: 'crashed', title: `${name} has stopped — your notes are safe`, body: 'Click to open Lifeboat Recovery.' };
    if (incidentId !== null) note.incidentId = incidentId;
    const shown = this.offer(now, note, true);
    if (shown) this.toldTrouble = 'crashed';
    return shown;
  }

  /**
   * The gate every notification passes: quiet conditions, per-kind throttle, severity, hourly cap.
   * The per-kind throttle slides: each occurrence (shown or held back) restarts it, so a storm of
   * slow/ok flaps is one notification until the client has been calm for throttleMs.
   */
  private offer(now: number, note: PolicyNotification, newCrash = false): PolicyNotification | undefined {
    if (this.isQuiet(now)) return undefined;
    const lastSeen = this.lastSeenByKind.get(note.kind);
    this.lastSeenByKind.set(note.kind, now);
    if (!newCrash) {
      if (lastSeen !== undefined && now - lastSeen < this.throttleMs) return undefined;
      const severity = SEVERITY[note.kind];
      if (severity !== undefined) {
        for (const [kind, at] of this.lastShownByKind) {
          if ((SEVERITY[kind] ?? 0) > severity && now - at < this.throttleMs) return undefined;
        }
      }
      if (this.sentAt.length >= this.maxPerHour) return undefined;
    }
    this.lastShownByKind.set(note.kind, now);
    this.sentAt.push(now);
    return note;
  }

  private isQuiet(now: number): boolean {
    if (!this.enabled) return true;
    const paused = this.pausedUntil();
    if (paused !== null && now < paused) return true;
    return this.quietHours !== null && inQuietHours(minuteOfDay(now, this.timeZone), this.quietHours);
  }

  private latestCrashIncident(now: number): [string, SeenIncident] | undefined {
    let best: [string, SeenIncident] | undefined;
    for (const entry of this.incidents) {
      const seen = entry[1];
      if (!isCrashKind(seen.kind) || now - seen.seenAt > this.crashPairingMs) continue;
      if (!best || seen.seenAt >= best[1].seenAt) best = entry;
    }
    return best;
  }

  /** Bounded memory: the hour of send times, a day of incidents. */
  private forget(now: number): void {
    this.sentAt = this.sentAt.filter((t) => now - t < HOUR);
    for (const [id, seen] of this.incidents) if (now - seen.seenAt > 24 * HOUR) this.incidents.delete(id);
    if (this.outagesNotified.size > 100) this.outagesNotified.clear();
  }
}

const isCrashKind = (kind: Incident['kind']): boolean => kind === 'crash' || kind === 'exit';

function parseHhMm(text: string): number | null {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

export function inQuietHours(minute: number, quiet: QuietHours): boolean {
  const from = parseHhMm(quiet.from);
  const to = parseHhMm(quiet.to);
  if (from === null || to === null || from === to) return false;
  return from < to ? minute >= from && minute < to : minute >= from || minute < to;
}

/** The event the service emits for a decided notification (Electron shows it; the browser shows a toast). */
export function notificationEvent(note: PolicyNotification, at: number): Extract<LifeboatEvent, { type: 'notification' }> {
  return {
    type: 'notification',
    kind: note.kind,
    title: note.title,
    body: note.body,
    at: new Date(at).toISOString(),
    draftId: note.draftId ?? null,
    incidentId: note.incidentId ?? null,
  };
}
