import type { Incident, IncidentKind } from '../../../app/common/incident.ts';

export const KINDS: readonly IncidentKind[] = ['crash', 'hang', 'slow', 'exit'];
export type Unit = 'hour' | 'day';

export interface Bucket {
  /** Local start of the hour or day, ms since epoch. */
  start: number;
  counts: Record<IncidentKind, number>;
  total: number;
}

/** Local midnight or top of the hour at or before `ms`: the chart's days are the practice's days. */
export function floorTo(ms: number, unit: Unit): number {
  const d = new Date(ms);
  d.setMinutes(0, 0, 0);
  if (unit === 'day') d.setHours(0);
  return d.getTime();
}

function next(ms: number, unit: Unit): number {
  const d = new Date(ms);
  if (unit === 'day') d.setDate(d.getDate() + 1);
  else d.setHours(d.getHours() + 1);
  return d.getTime();
}

/**
 * Incidents counted per hour or per day and kind, with empty buckets kept (gaps are information),
 * from the bucket holding `from` to the one holding `to`. Incidents outside are left out.
 */
export function bucketIncidents(incidents: readonly Incident[], options: { from: number; to: number; unit: Unit }): Bucket[] {
  const buckets: Bucket[] = [];
  const index = new Map<number, Bucket>();
  for (let start = floorTo(options.from, options.unit); start <= options.to; start = next(start, options.unit)) {
    const bucket: Bucket = { start, counts: { crash: 0, hang: 0, slow: 0, exit: 0 }, total: 0 };
    buckets.push(bucket);
    index.set(start, bucket);
  }
  for (const incident of incidents) {
    const at = Date.parse(incident.startedAt);
    if (!(at >= options.from && at <= options.to)) continue;
    const bucket = index.get(floorTo(at, options.unit));
    if (!bucket) continue;
    bucket.counts[incident.kind] += 1;
    bucket.total += 1;
  }
  return buckets;
}
