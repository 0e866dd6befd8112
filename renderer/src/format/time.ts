import { durationText } from '../../../app/common/durationText.ts';

/** Times as a GP reads them: 24-hour, local, British order. */
const CLOCK = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const HOUR_MINUTE = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false });
const DAY = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short' });
const DAY_TIME = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hour12: false });
const DAY_CLOCK = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

const valid = (iso: string | null | undefined): Date | null => {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
};

/** "09:41:07" */
export const clockTime = (iso: string | null | undefined): string => (valid(iso) ? CLOCK.format(valid(iso)!) : '—');
/** "09:41" */
export const hourMinute = (iso: string | null | undefined): string => (valid(iso) ? HOUR_MINUTE.format(valid(iso)!) : '—');
/** "Mon 5 Jan" */
export const dayLabel = (date: Date): string => DAY.format(date);
/** "5 Jan, 09:41" */
export const dayTime = (iso: string | null | undefined): string => (valid(iso) ? DAY_TIME.format(valid(iso)!) : '—');

/** "09:41" today, "5 Jan, 09:41" on any other day. */
export function whenText(iso: string | null | undefined, now = new Date()): string {
  const d = valid(iso);
  if (!d) return '—';
  return localDateKey(d) === localDateKey(now) ? HOUR_MINUTE.format(d) : DAY_TIME.format(d);
}

/** "09:41:07" today, "5 Jan, 09:41:07" on any other day: for evidence, where seconds matter. */
export function whenExact(iso: string | null | undefined, now = new Date()): string {
  const d = valid(iso);
  if (!d) return '—';
  return localDateKey(d) === localDateKey(now) ? CLOCK.format(d) : DAY_CLOCK.format(d);
}

/** "3 h 12 min", "45 min", "0 min" */
export function minutesText(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  const h = Math.floor(m / 60);
  return h > 0 ? `${h} h ${m % 60} min` : `${m} min`;
}

/** "3 s", "2 min", "1 h 5 min": how long, for "3 s before the crash". */
export const secondsText = (seconds: number): string => durationText(seconds * 1000);

/** How long an incident lasted, or that it has not ended. */
export const lastedText = (startedAt: string, endedAt: string | null): string => (endedAt === null ? 'still going on' : durationText(Date.parse(endedAt) - Date.parse(startedAt)));

/** Local "YYYY-MM-DD" of an instant, for <input type="date"> filters. */
export function localDateKey(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The browser's zone, sent with exports so a report's times match the screen's. */
export const browserTimeZone = (): string | undefined => Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;
