import type { LifeboatEvent } from '../common/api.ts';
import type { Signal } from '../common/signal.ts';

const clock = (iso: string | number): string => new Date(iso).toLocaleTimeString('en-GB', { hour12: false });

/** One human line per live event, for `watch` and `demo`: states, incidents, notifications. */
export function describeEvent(event: LifeboatEvent): string {
  switch (event.type) {
    case 'health':
      return `[${clock(event.at)}] health ${event.previous} → ${event.state}: ${event.reason}`;
    case 'incident': {
      const i = event.incident;
      return `[${clock(Date.now())}] incident ${event.change}: ${i.kind} of ${i.app} at ${clock(i.startedAt)} (sources: ${i.sources.join(', ')})${i.signature ? ` — ${i.signature}` : ''}`;
    }
    case 'notification':
      return `[${clock(event.at)}] notification (${event.kind}): ${event.title} — ${event.body}`;
  }
}

export function describeSignal(signal: Signal): string {
  return `[${clock(signal.at)}]   signal ${signal.source}/${signal.kind}: ${signal.detail.slice(0, 160)}`;
}

/**
 * Incidents are updated on every new line of evidence (each slow log line): print an update
 * only when it changes what a reader sees, its kind or its sources.
 */
export function changeFilter(): (event: LifeboatEvent) => boolean {
  const shown = new Map<string, string>();
  return (event) => {
    if (event.type !== 'incident') return true;
    const key = `${event.incident.kind}|${event.incident.sources.join(',')}|${event.incident.endedAt ?? ''}`;
    if (event.change === 'updated' && shown.get(event.incident.id) === key) return false;
    shown.set(event.incident.id, key);
    return true;
  };
}

/**
 * NDJSON for `watch --json`, one object per line, by `type`:
 * - `watching` (first line): `{type, profiles, health, since, reason}`
 * - `health`: `{type, state, previous, reason, at}` on every change of health
 * - `incident`: `{type, change: opened|updated|closed, incident}`; an update only when its kind,
 *   sources or end change (not for each further line of evidence)
 */
export function eventJson(event: LifeboatEvent): string {
  return JSON.stringify(event);
}

export function watchStartJson(start: { profiles: string[]; health: string; since: number; reason: string }): string {
  return JSON.stringify({ type: 'watching', profiles: start.profiles, health: start.health, since: new Date(start.since).toISOString(), reason: start.reason });
}
