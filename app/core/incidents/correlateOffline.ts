import { ManualClock } from '../../common/clock.ts';
import type { Incident } from '../../common/incident.ts';
import type { Signal } from '../../common/signal.ts';
import { Correlator, type CorrelatorOptions } from './correlator.ts';

export type OfflineOptions = Pick<CorrelatorOptions, 'dedupeWindowMs' | 'quietMs' | 'workstation'>;

/**
 * `lifeboat scan`: the same rules as the live service, replayed over signals found in files.
 * Signals are taken in time order with the clock stepped to each one, so windows and quiet
 * periods behave as they would have live; the result is deterministic (same ids every run).
 */
export function correlateOffline(signals: readonly Signal[], options: OfflineOptions = {}, onJoined?: (signal: Signal, incidentIds: readonly string[]) => void): Incident[] {
  const ordered = [...signals].sort((a, b) => a.at - b.at);
  const clock = new ManualClock(ordered[0]?.at ?? 0);
  const latest = new Map<string, Incident>();
  // The incidents a signal opened or updated, so a scan can say which files each incident came from.
  let touched: string[] = [];
  const correlator = new Correlator({
    ...options,
    clock,
    onIncident: (incident) => {
      latest.set(incident.id, incident);
      touched.push(incident.id);
    },
  });
  for (const signal of ordered) {
    clock.set(Math.max(clock.now(), signal.at));
    correlator.tick();
    touched = [];
    correlator.ingest(signal);
    onJoined?.(signal, touched);
  }
  correlator.flush();
  return [...latest.values()].sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id));
}
