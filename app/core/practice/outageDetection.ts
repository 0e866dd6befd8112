import type { IncidentKind } from '../../common/incident.ts';

/**
 * Practice-wide outage detection: K or more distinct workstations with trouble (crash, hang,
 * slow) within T minutes of each other. Pure, O(n log n) for the sort and O(n) for the sweep.
 *
 * The sweep moves a window of length T over the events in time order; whenever the window holds
 * K or more distinct workstations it is "hot". Hot windows that overlap or touch are one outage,
 * running from the first event of its first hot window to the last event of its last one; the
 * workstations affected are every workstation with an event inside that span.
 */

export interface TroubleEvent {
  /** ms since epoch (already corrected for the workstation's clock skew). */
  at: number;
  workstation: number;
  kind: IncidentKind;
}

export interface DetectedOutage {
  firstSeen: number;
  lastSeen: number;
  workstations: number[];
  incidents: number;
  kinds: Record<IncidentKind, number>;
}

export function detectOutages(events: readonly TroubleEvent[], options: { windowMs: number; minWorkstations: number }): DetectedOutage[] {
  const sorted = [...events].sort((a, b) => a.at - b.at);
  const k = Math.max(1, options.minWorkstations);
  const inWindow = new Map<number, number>();
  const outages: DetectedOutage[] = [];
  let current: (DetectedOutage & { members: Set<number>; addedUpTo: number }) | null = null;
  let left = 0;

  const add = (o: NonNullable<typeof current>, from: number, to: number): void => {
    for (let i = Math.max(from, o.addedUpTo); i <= to; i++) {
      const e = sorted[i]!;
      o.members.add(e.workstation);
      o.kinds[e.kind]++;
      o.incidents++;
    }
    o.addedUpTo = Math.max(o.addedUpTo, to + 1);
  };
  const close = (): void => {
    if (!current) return;
    outages.push({ firstSeen: current.firstSeen, lastSeen: current.lastSeen, workstations: [...current.members].sort((a, b) => a - b), incidents: current.incidents, kinds: current.kinds });
    current = null;
  };

  for (let right = 0; right < sorted.length; right++) {
    const e = sorted[right]!;
    inWindow.set(e.workstation, (inWindow.get(e.workstation) ?? 0) + 1);
    while (sorted[left]!.at < e.at - options.windowMs) {
      const w = sorted[left]!.workstation;
      const n = inWindow.get(w)! - 1;
      if (n === 0) inWindow.delete(w);
      else inWindow.set(w, n);
      left++;
    }
    if (inWindow.size < k) continue;
    const windowStart = sorted[left]!.at;
    if (current && windowStart <= current.lastSeen) {
      current.lastSeen = e.at;
      add(current, left, right);
    } else {
      close();
      current = { firstSeen: windowStart, lastSeen: e.at, workstations: [], incidents: 0, kinds: { crash: 0, hang: 0, slow: 0, exit: 0 }, members: new Set(), addedUpTo: left };
      add(current, left, right);
    }
  }
  close();
  return outages;
}

/**
 * Default K: 3 workstations, or half the practice when that is fewer (a practice of four PCs
 * has an outage when two of them are in trouble together), never fewer than 2: one PC in
 * trouble is that PC's problem.
 */
export function defaultMinWorkstations(practiceSize: number): number {
  return Math.max(2, Math.min(3, Math.ceil(practiceSize / 2)));
}
