import type { HealthState } from '../../common/incident.ts';

/**
 * Every word Lifeboat puts in a tray tooltip or a notification is built here from fixed templates,
 * the clinical client's display name and clock times. Nothing else is interpolated: no health
 * reason, no incident evidence (log lines can carry patient data), and never note text.
 */

/** Windows cuts a tray tooltip at 127 characters (NOTIFYICONDATA szTip). */
export const TOOLTIP_MAX = 127;
const NAME_MAX = 40;
const FALLBACK_NAME = 'The clinical system';

/** The client's display name comes from a profile file IT may edit: keep it printable and short. */
export function safeDisplayName(name: string | null | undefined): string {
  const cleaned = (name ?? '')
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (cleaned === '') return FALLBACK_NAME;
  return cleaned.length > NAME_MAX ? `${cleaned.slice(0, NAME_MAX - 1)}…` : cleaned;
}

/** "09:41:07" (withSeconds) or "09:41", 24-hour, in the given IANA zone (default: this computer's). */
export function clockTime(ms: number, timeZone: string | undefined, withSeconds: boolean): string {
  return new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    ...(withSeconds ? { second: '2-digit' } : {}),
    hourCycle: 'h23',
    ...(timeZone ? { timeZone } : {}),
  }).format(new Date(ms));
}

/** Minutes since local midnight in the zone: for quiet hours. */
export function minuteOfDay(ms: number, timeZone: string | undefined): number {
  const [h, m] = clockTime(ms, timeZone, false).split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

const STATE_PHRASE: Record<HealthState, string> = {
  ok: 'is working normally',
  slow: 'is running slowly',
  hung: 'is not responding',
  crashed: 'has stopped; your notes are safe',
  'not-running': 'is not running',
};

export interface TooltipInput {
  state: HealthState;
  since: number;
  clientDisplayName: string;
  pausedUntil: number | null;
  timeZone?: string | undefined;
}

/** "Lifeboat: EMIS Web is running slowly (since 09:41)", plus the pause when there is one. */
export function trayTooltip(input: TooltipInput): string {
  const name = safeDisplayName(input.clientDisplayName);
  let text = `Lifeboat: ${name} ${STATE_PHRASE[input.state]} (since ${clockTime(input.since, input.timeZone, false)})`;
  if (input.pausedUntil !== null) text += ` · alerts paused until ${clockTime(input.pausedUntil, input.timeZone, false)}`;
  return text.length > TOOLTIP_MAX ? `${text.slice(0, TOOLTIP_MAX - 1)}…` : text;
}

/** The short status line at the top of the tray menu. */
export function trayStatusLine(state: HealthState, clientDisplayName: string): string {
  return `${safeDisplayName(clientDisplayName)} ${STATE_PHRASE[state]}`;
}
