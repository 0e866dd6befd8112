import type { HealthState, IncidentKind } from '../../../app/common/incident.ts';

/**
 * Words and a colour class for each state: the colour is never the only carrier (the icon's
 * shape and the words say it too), so the state reads the same in greyscale, at 200% zoom and
 * to a screen reader.
 */
export const HEALTH: Record<HealthState, { label: string; tone: string }> = {
  ok: { label: 'Running normally', tone: 'ok' },
  slow: { label: 'Slow', tone: 'slow' },
  hung: { label: 'Not responding', tone: 'hung' },
  crashed: { label: 'Crashed', tone: 'crashed' },
  'not-running': { label: 'Not running', tone: 'idle' },
};

/** "EMIS Web closed unexpectedly at 13:13": what happened, in the words a GP uses. */
export function incidentSentence(client: string, kind: IncidentKind, at: string): string {
  switch (kind) {
    case 'crash':
      return `${client} closed unexpectedly at ${at}.`;
    case 'hang':
      return `${client} stopped responding at ${at}.`;
    case 'exit':
      return `${client} closed at ${at}.`;
    case 'slow':
      return `${client} was slow at ${at}.`;
  }
}

/** The banner's sentence for a state that is not an incident to recover from. */
export function stateSentence(client: string, state: HealthState, since: string): string {
  switch (state) {
    case 'ok':
      return `${client} is running normally.`;
    case 'slow':
      return `${client} is responding slowly (since ${since}). Your note is being saved here as you type.`;
    case 'hung':
      return `${client} is not responding (since ${since}). Your note is safe in Lifeboat.`;
    case 'crashed':
      return `${client} closed unexpectedly at ${since}. Your note is safe in Lifeboat.`;
    case 'not-running':
      return `${client} is not running.`;
  }
}
