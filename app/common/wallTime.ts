/**
 * Wall-clock times (what a log line or a person writes: "2026-04-06 18:30") turned into instants.
 * One rule everywhere: a time without an offset is read in ONE named zone — the IANA zone the
 * caller was given (`--log-timezone`, `--time-zone`), else this computer's own zone — and a time
 * with `Z` or `+01:00` means exactly that. A bare date is midnight in that zone.
 */

export interface WallTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

/** The zone is not one this system knows: a typo in --log-timezone or --time-zone. */
export class UnknownTimeZoneError extends RangeError {
  override readonly name = 'UnknownTimeZoneError';
}

const HOUR = 3_600_000;
const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new UnknownTimeZoneError(`"${timeZone}" is not a time zone this system knows; use an IANA name such as Europe/London`);
    }
    formats.set(timeZone, format);
  }
  return format;
}

/** Throws UnknownTimeZoneError for a name Intl does not know; returns the canonical name. */
export function checkTimeZone(timeZone: string): string {
  return formatFor(timeZone).resolvedOptions().timeZone;
}

/** The zone's offset from UTC (ms) at an instant. */
function offsetAt(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatFor(timeZone).formatToParts(instant)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour! % 24, parts.minute!, parts.second!);
  return asUtc - (instant - (((instant % 1000) + 1000) % 1000));
}

/**
 * The instant a wall time names in `timeZone` (undefined: this computer's zone). In the hour a
 * clock goes back the earlier instant is taken; a time in the hour it skips is read with the
 * offset before the change.
 */
export function wallTimeToMs(wall: WallTime, timeZone?: string): number {
  if (timeZone === undefined) return new Date(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond).getTime();
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond);
  // The offsets in force a few hours either side: a clock change lies between them at most.
  const before = asUtc - offsetAt(asUtc - 3 * HOUR, timeZone);
  const after = asUtc - offsetAt(asUtc + 3 * HOUR, timeZone);
  const valid = [before, after].filter((instant) => instant + offsetAt(instant, timeZone) === asUtc);
  return valid.length > 0 ? Math.min(...valid) : before;
}

const TIME_TEXT = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Parses a time given on a command line or read from a copied file: 2026-04-06, 2026-04-06T18:30,
 * 2026-04-06 18:30:05.123, each optionally with Z or an offset. Null when it is none of those.
 */
export function parseWallTimeText(text: string, timeZone?: string): number | null {
  const m = TIME_TEXT.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone] = m;
  const wall: WallTime = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h),
    minute: Number(mi),
    second: Number(s),
    millisecond: Number(fraction.padEnd(3, '0').slice(0, 3)),
  };
  // A date the calendar does not have (2026-02-30, 25:00) is refused, not rolled into the next
  // month or day as Date.UTC would: a period that silently shifts is wrong evidence.
  if (wall.month < 1 || wall.month > 12 || wall.day < 1 || wall.day > daysInMonth(wall.year, wall.month) || wall.hour > 23 || wall.minute > 59 || wall.second > 59) return null;
  if (zone !== undefined) return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond) - offsetMinutes(zone) * 60_000;
  return wallTimeToMs(wall, timeZone);
}

/** 28–31: the number of days the month has in that year. */
function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** "Z" → 0, "+01:00" / "+0100" / "+01" → 60, "-05:00" → -300. */
export function offsetMinutes(zone: string): number {
  if (zone.toUpperCase() === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!m) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? '0');
  return m[1] === '-' ? -minutes : minutes;
}
