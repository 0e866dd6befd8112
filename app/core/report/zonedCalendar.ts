/**
 * Calendar fields (local date, hour, weekday) of instants in one IANA time zone, for the
 * per-day chart and the hour × weekday heatmap. A GP practice reads "Monday 09:00" in its own
 * time, so the report bins in the practice's zone (British Summer Time included), not in UTC.
 *
 * Intl formatting costs microseconds per call, too slow for 100k incidents, so results are
 * cached per quarter hour: every zone offset in use today is a multiple of 15 minutes, so all
 * instants in one quarter hour share their local date, hour and weekday.
 */

export interface ZonedFields {
  /** Local calendar date, YYYY-MM-DD. */
  date: string;
  /** Local hour, 0–23. */
  hour: number;
  /** 0 = Monday … 6 = Sunday (ISO order, the order a UK rota reads). */
  weekday: number;
}

const QUARTER_HOUR_MS = 15 * 60_000;
const WEEKDAYS: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
export const WEEKDAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

export class ZonedCalendar {
  readonly timeZone: string;
  private readonly format: Intl.DateTimeFormat;
  private readonly cache = new Map<number, ZonedFields>();

  /** Throws RangeError with a readable message for an unknown zone. */
  constructor(timeZone: string) {
    try {
      this.format = new Intl.DateTimeFormat('en-GB', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        hourCycle: 'h23',
        weekday: 'short',
      });
    } catch {
      throw new RangeError(`"${timeZone}" is not a time zone this system knows; use an IANA name such as Europe/London`);
    }
    this.timeZone = this.format.resolvedOptions().timeZone;
  }

  fields(ms: number): ZonedFields {
    const bucket = Math.floor(ms / QUARTER_HOUR_MS);
    let hit = this.cache.get(bucket);
    if (hit === undefined) {
      hit = this.compute(bucket * QUARTER_HOUR_MS);
      if (this.cache.size > 200_000) this.cache.clear();
      this.cache.set(bucket, hit);
    }
    return hit;
  }

  private compute(ms: number): ZonedFields {
    const parts: Record<string, string> = {};
    for (const part of this.format.formatToParts(ms)) parts[part.type] = part.value;
    return {
      date: `${parts.year}-${parts.month}-${parts.day}`,
      hour: Number(parts.hour) % 24,
      weekday: WEEKDAYS[parts.weekday ?? ''] ?? 0,
    };
  }
}

/** The calendar day after a YYYY-MM-DD date (pure date arithmetic, no zone involved). */
export function nextDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** Every date from `first` to `last` inclusive; throws past `maxDays` so a typo cannot build a 300-year chart. */
export function datesBetween(first: string, last: string, maxDays: number): string[] {
  const out: string[] = [];
  for (let date = first; date <= last; date = nextDate(date)) {
    out.push(date);
    if (out.length > maxDays) throw new RangeError(`the report period spans more than ${maxDays} days; choose a shorter --from/--to`);
  }
  return out;
}
