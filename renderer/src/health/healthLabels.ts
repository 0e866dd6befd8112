import type { HealthState } from '../../../app/common/incident.ts';

/**
 * Words, a symbol and a colour class for each state: the colour is never the only carrier, so
 * the state reads the same in greyscale, at 200% zoom and to a screen reader.
 */
export const HEALTH: Record<HealthState, { label: string; symbol: string; tone: string; banner: (client: string) => string }> = {
  ok: { label: 'Running normally', symbol: '●', tone: 'ok', banner: (c) => `${c} is running normally.` },
  slow: { label: 'Slow', symbol: '▲', tone: 'slow', banner: (c) => `${c} is responding slowly. Your note is being saved here as you type.` },
  hung: { label: 'Not responding', symbol: '◆', tone: 'hung', banner: (c) => `${c} is not responding. Your note is safe in Lifeboat.` },
  crashed: { label: 'Crashed', symbol: '■', tone: 'crashed', banner: (c) => `${c} has stopped. Your note is safe in Lifeboat.` },
  'not-running': { label: 'Not running', symbol: '○', tone: 'idle', banner: (c) => `${c} is not running.` },
};
