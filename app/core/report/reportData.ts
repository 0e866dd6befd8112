import { type Incident, type IncidentKind, type SignalSource } from '../../common/incident.ts';
import { splitEvidenceLine } from '../../common/evidenceLine.ts';
import { redact, type RedactionKind } from '../../common/redact.ts';
import { normaliseSignature } from '../incidents/signature.ts';
import { incidentWindow, NOTE_LOOKBACK_MS, NOTE_SLACK_MS, noteBeforeIncident, type DraftSaves } from '../recovery/noteBeforeIncident.ts';
import type { VaultReader } from '../vault/vault.ts';
import { clientVersionFromEvidence } from './clientVersion.ts';
import { datesBetween, WEEKDAY_NAMES, ZonedCalendar } from './zonedCalendar.ts';

/**
 * The numbers practice IT takes to a supplier or the commissioning body, built from incidents
 * and the times notes were edited. Pure: no I/O, no clock (the caller passes `now`).
 *
 * Nothing here reads note text: consultations affected are estimated from save TIMES only, by the
 * one "note from before the crash" rule (recovery/noteBeforeIncident.ts) that Recovery uses,
 * and every evidence line and signature passes through redact() on its way into the data, even
 * though the correlator already redacted them when it recorded the incident (defence in depth:
 * an older vault, an imported incident or a redaction rule added since must not leak).
 */

export const REPORT_SCHEMA = 'lifeboat-report/1';

const MINUTE = 60_000;
/** A crash nobody restarted after (end of surgery) must not count a night of downtime. */
export const DEFAULT_MAX_DOWNTIME_PER_INCIDENT_MS = 8 * 60 * MINUTE;
/** Longest period a report covers: ten years of daily bars is already more than a chart can say. */
export const MAX_REPORT_DAYS = 3660;
export const TOP_SIGNATURES = 20;

/** When a draft was saved (ms since epoch) and its state: never its text. */
export type DraftActivity = DraftSaves;

export interface ReportInput {
  incidents: readonly Incident[];
  draftActivity?: readonly DraftActivity[];
  /** The workstation the incidents come from, when known. */
  workstation?: string | null;
}

export interface ReportOptions {
  from: number;
  to: number;
  now: number;
  /** IANA zone for days and the heatmap; default this computer's zone. */
  timeZone?: string;
  maxDowntimePerIncidentMs?: number;
}

export type KindCounts = Record<IncidentKind, number>;

export interface ReportIncident {
  id: string;
  kind: IncidentKind;
  app: string;
  profile: string;
  workstation: string | null;
  startedAt: string;
  endedAt: string | null;
  /** endedAt − startedAt in minutes; null while the incident is open. */
  durationMinutes: number | null;
  /** Minutes the client was unusable (crash/exit until restart, hang until it answered), capped. 0 for slow. */
  downtimeMinutes: number;
  open: boolean;
  sources: SignalSource[];
  signature: string | null;
  clientVersion: string | null;
  draftsAffected: number;
  evidence: string[];
}

export interface ReportData {
  schema: typeof REPORT_SCHEMA;
  generatedAt: string;
  period: { from: string; to: string; timeZone: string };
  workstation: string | null;
  totals: {
    incidents: number;
    byKind: KindCounts;
    open: number;
    downtimeMinutes: number;
    slowMinutes: number;
    /** Incidents whose downtime hit the cap (no restart seen for hours). */
    downtimeCapped: number;
    meanTimeBetweenCrashesMinutes: number | null;
  };
  perDay: Array<{ date: string } & KindCounts & { downtimeMinutes: number }>;
  heatmap: { weekdays: string[]; hours: number; cells: number[][]; max: number };
  topSignatures: Array<{ signature: string; count: number; byKind: KindCounts; apps: string[]; firstSeen: string; lastSeen: string }>;
  withoutSignature: number;
  clientVersions: Array<{ app: string; version: string; incidents: number; crashes: number; firstSeen: string; lastSeen: string }>;
  consultationsAffected: {
    /** Distinct drafts in the "note from before" group of a crash, hang or unexplained exit. */
    estimate: number;
    /** Distinct drafts per incident kind; slow is always 0 (a slowdown costs no note), kept for the schema. */
    byKind: KindCounts;
    lookbackMinutes: number;
    method: string;
  };
  /** Placeholders put in by redact() while building this report (evidence and signatures). */
  redactions: Record<RedactionKind, number>;
  incidents: ReportIncident[];
}

const zeroKinds = (): KindCounts => ({ crash: 0, hang: 0, slow: 0, exit: 0 });
const iso = (ms: number): string => new Date(ms).toISOString();
const minutes = (ms: number): number => Math.round((ms / MINUTE) * 10) / 10;
const DOWNTIME_KINDS = new Set<IncidentKind>(['crash', 'exit', 'hang']);

class Redactor {
  readonly counts: Record<RedactionKind, number> = { nhs: 0, postcode: 0, phone: 0, email: 0, dob: 0, name: 0, user: 0 };
  text(value: string): string {
    const result = redact(value);
    for (const key of Object.keys(result.counts) as RedactionKind[]) this.counts[key] += result.counts[key];
    return result.text;
  }
}

/**
 * Every save time of every draft, sorted, so each incident finds the drafts saved in its window by
 * binary search (as the vault does by index) before the rule decides which of them count.
 */
class ActivityIndex {
  private readonly times: Float64Array;
  private readonly drafts: Int32Array;

  constructor(activity: readonly DraftActivity[]) {
    const pairs: Array<[number, number]> = [];
    activity.forEach((draft, index) => {
      for (const at of draft.saveTimes) pairs.push([at, index]);
    });
    pairs.sort((a, b) => a[0] - b[0]);
    this.times = Float64Array.from(pairs, (p) => p[0]);
    this.drafts = Int32Array.from(pairs, (p) => p[1]);
  }

  /** Indices of the drafts with a revision in [from, to]. */
  draftsBetween(from: number, to: number): Set<number> {
    const out = new Set<number>();
    let lo = 0;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.times[mid]! < from) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.times.length && this.times[i]! <= to; i++) out.add(this.drafts[i]!);
    return out;
  }
}

function signatureOf(incident: Incident, redactor: Redactor): string | null {
  if (incident.signature !== null && incident.signature.trim() !== '') return redactor.text(incident.signature.trim());
  if (incident.kind !== 'crash') return null;
  const first = incident.evidence.find((line) => !line.includes(' lifeboat: '));
  if (first === undefined) return null;
  const derived = normaliseSignature(splitEvidenceLine(first).text);
  return derived === '' ? null : redactor.text(derived);
}

/** Builds the report. Incidents outside [from, to] (by start) are left out; order does not matter. */
export function buildReportData(input: ReportInput, options: ReportOptions): ReportData {
  const { from, to, now } = options;
  if (!(Number.isFinite(from) && Number.isFinite(to)) || from > to) throw new RangeError('the report period is empty: --from must be before --to');
  const calendar = new ZonedCalendar(options.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
  const cap = options.maxDowntimePerIncidentMs ?? DEFAULT_MAX_DOWNTIME_PER_INCIDENT_MS;
  const redactor = new Redactor();
  const activity = input.draftActivity ?? [];
  const index = new ActivityIndex(activity);

  const dates = datesBetween(calendar.fields(from).date, calendar.fields(to).date, MAX_REPORT_DAYS);
  const perDay = new Map(dates.map((date) => [date, { date, ...zeroKinds(), downtimeMinutes: 0 }]));
  const cells = WEEKDAY_NAMES.map(() => new Array<number>(24).fill(0));
  const byKind = zeroKinds();
  const affectedByKind: Record<IncidentKind, Set<number>> = { crash: new Set(), hang: new Set(), slow: new Set(), exit: new Set() };
  const signatures = new Map<string, { count: number; byKind: KindCounts; apps: Set<string>; first: number; last: number }>();
  const versions = new Map<string, { app: string; version: string; incidents: number; crashes: number; first: number; last: number }>();
  const crashStarts: number[] = [];
  let downtimeMs = 0;
  let slowMs = 0;
  let capped = 0;
  let open = 0;
  let withoutSignature = 0;

  const selected = input.incidents
    .map((incident) => ({ incident, start: Date.parse(incident.startedAt) }))
    .filter(({ start }) => Number.isFinite(start) && start >= from && start <= to)
    .sort((a, b) => a.start - b.start || (a.incident.id < b.incident.id ? -1 : 1));

  const incidents: ReportIncident[] = selected.map(({ incident, start }) => {
    const parsedEnd = incident.endedAt === null ? null : Date.parse(incident.endedAt);
    const end = parsedEnd !== null && Number.isFinite(parsedEnd) ? Math.max(parsedEnd, start) : null;
    const isOpen = end === null;
    // An open incident counts until now (or the end of the period), never beyond the cap.
    const effectiveEnd = end ?? Math.max(start, Math.min(now, to));
    let down = 0;
    if (DOWNTIME_KINDS.has(incident.kind)) {
      down = effectiveEnd - start;
      if (down > cap) {
        down = cap;
        capped++;
      }
      downtimeMs += down;
    } else if (incident.kind === 'slow') {
      slowMs += Math.min(effectiveEnd - start, cap);
    }
    if (isOpen) open++;
    byKind[incident.kind]++;
    if (incident.kind === 'crash') crashStarts.push(start);

    const when = calendar.fields(start);
    const day = perDay.get(when.date);
    if (day) {
      day[incident.kind]++;
      day.downtimeMinutes += down / MINUTE;
    }
    cells[when.weekday]![when.hour]!++;

    const signature = signatureOf(incident, redactor);
    if (signature === null) withoutSignature++;
    else {
      let entry = signatures.get(signature);
      if (!entry) signatures.set(signature, (entry = { count: 0, byKind: zeroKinds(), apps: new Set(), first: start, last: start }));
      entry.count++;
      entry.byKind[incident.kind]++;
      entry.apps.add(incident.app);
      entry.first = Math.min(entry.first, start);
      entry.last = Math.max(entry.last, start);
    }

    const evidence = incident.evidence.map((line) => redactor.text(line));
    const version = clientVersionFromEvidence(evidence);
    if (version !== null) {
      const key = `${incident.app}\u0000${version}`;
      let entry = versions.get(key);
      if (!entry) versions.set(key, (entry = { app: incident.app, version, incidents: 0, crashes: 0, first: start, last: start }));
      entry.incidents++;
      if (incident.kind === 'crash') entry.crashes++;
      entry.first = Math.min(entry.first, start);
      entry.last = Math.max(entry.last, start);
    }

    // The notes from before it, by the one rule Recovery and the crash notification use.
    const window = incidentWindow(incident);
    const candidates = [...index.draftsBetween(window.from, window.to)];
    const members = new Set(noteBeforeIncident(incident, candidates.map((d) => activity[d]!)).group.map((m) => m.draft));
    const drafts = candidates.filter((d) => members.has(activity[d]!));
    for (const d of drafts) affectedByKind[incident.kind].add(d);

    return {
      id: incident.id,
      kind: incident.kind,
      app: incident.app,
      profile: incident.profile,
      workstation: incident.workstation ?? input.workstation ?? null,
      startedAt: iso(start),
      endedAt: end === null ? null : iso(end),
      durationMinutes: end === null ? null : minutes(end - start),
      downtimeMinutes: minutes(down),
      open: isOpen,
      sources: [...incident.sources],
      signature,
      clientVersion: version,
      draftsAffected: drafts.length,
      evidence,
    };
  });

  const estimate = new Set([...affectedByKind.crash, ...affectedByKind.hang, ...affectedByKind.exit]);
  let gaps = 0;
  for (let i = 1; i < crashStarts.length; i++) gaps += crashStarts[i]! - crashStarts[i - 1]!;

  return {
    schema: REPORT_SCHEMA,
    generatedAt: iso(now),
    period: { from: iso(from), to: iso(to), timeZone: calendar.timeZone },
    workstation: input.workstation ?? null,
    totals: {
      incidents: incidents.length,
      byKind,
      open,
      downtimeMinutes: minutes(downtimeMs),
      slowMinutes: minutes(slowMs),
      downtimeCapped: capped,
      meanTimeBetweenCrashesMinutes: crashStarts.length < 2 ? null : minutes(gaps / (crashStarts.length - 1)),
    },
    perDay: [...perDay.values()].map((d) => ({ ...d, downtimeMinutes: Math.round(d.downtimeMinutes * 10) / 10 })),
    heatmap: { weekdays: [...WEEKDAY_NAMES], hours: 24, cells, max: Math.max(0, ...cells.flat()) },
    topSignatures: [...signatures.entries()]
      .sort((a, b) => b[1].count - a[1].count || b[1].last - a[1].last || (a[0] < b[0] ? -1 : 1))
      .slice(0, TOP_SIGNATURES)
      .map(([signature, s]) => ({ signature, count: s.count, byKind: s.byKind, apps: [...s.apps].sort(), firstSeen: iso(s.first), lastSeen: iso(s.last) })),
    withoutSignature,
    clientVersions: [...versions.values()]
      .sort((a, b) => b.last - a.last || b.incidents - a.incidents)
      .map((v) => ({ app: v.app, version: v.version, incidents: v.incidents, crashes: v.crashes, firstSeen: iso(v.first), lastSeen: iso(v.last) })),
    consultationsAffected: {
      estimate: estimate.size,
      byKind: { crash: affectedByKind.crash.size, hang: affectedByKind.hang.size, slow: affectedByKind.slow.size, exit: affectedByKind.exit.size },
      lookbackMinutes: minutes(NOTE_LOOKBACK_MS),
      method:
        `Notes (drafts) saved in the ${minutes(NOTE_LOOKBACK_MS)} minutes before a crash, hang or unexplained exit (the notes Recovery offers for it); ` +
        'each note counted once. An estimate: notes typed outside Lifeboat are not seen.',
    },
    redactions: redactor.counts,
    incidents,
  };
}

/**
 * Save times of the drafts saved in the windows of the period's incidents, read through the vault's
 * read-only interface by its time indexes: times and states only, never text.
 */
export function draftActivityFromVault(vault: Pick<VaultReader, 'draftsTouchedBetween'>, range: { from: number; to: number }): DraftActivity[] {
  return vault.draftsTouchedBetween(range.from - NOTE_LOOKBACK_MS, range.to + NOTE_SLACK_MS);
}

/** Builds the report straight from a vault: its incidents in the period and its drafts' save times. */
export function buildReportFromVault(
  vault: Pick<VaultReader, 'draftsTouchedBetween' | 'listIncidents'>,
  options: ReportOptions & { workstation?: string | null; incidentIds?: readonly string[] },
): ReportData {
  let incidents = vault.listIncidents({ from: options.from, to: options.to });
  if (options.incidentIds) {
    const wanted = new Set(options.incidentIds);
    incidents = incidents.filter((i) => wanted.has(i.id));
  }
  const draftActivity = draftActivityFromVault(vault, { from: options.from, to: options.to });
  return buildReportData({ incidents, draftActivity, workstation: options.workstation ?? null }, options);
}
