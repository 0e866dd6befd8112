/**
 * How long something lasted, in the units a person says: "6 s", "4 min", "1 h 5 min", "2 days 3 h".
 * Seconds under a minute, minutes under an hour; never "0.1 min".
 */
export function durationText(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} days ${h % 24} h`;
}
