import type { HealthState } from '../../common/incident.ts';

/**
 * What the correlator tells the health machine. `exit.clean`: true = exit code 0 or a logged
 * normal shutdown, false = a non-zero exit code, null = exit code unknown (Windows polling).
 * `settled`: the correlator's timer saying a crash is over (the process has been gone a while).
 */
export type HealthEvent =
  | { type: 'start'; app: string }
  | { type: 'slow'; app: string }
  | { type: 'slow-ended'; app: string }
  | { type: 'hang'; app: string }
  | { type: 'responsive'; app: string }
  | { type: 'crash'; app: string }
  | { type: 'exit'; app: string; clean: boolean | null; exitCode?: number | null }
  | { type: 'settled'; app: string };

export interface HealthTransition {
  state: HealthState;
  reason: string;
}

/** How long "crashed" stays on show after the process has gone, before it reads "not running". */
export const CRASHED_HOLD_MS = 10_000;

/**
 * The health of the clinical client, as the GP's tray shows it. Pure: state + event → next state
 * (with a reason) or null when the event changes nothing.
 *
 * | from \ event | start | slow | slow-ended | hang | responsive | crash   | exit clean  | exit unknown | exit non-zero | settled     |
 * |--------------|-------|------|------------|------|------------|---------|-------------|--------------|---------------|-------------|
 * | ok           |   ·   | slow |     ·      | hung |     ·      | crashed | not-running | not-running  | crashed       |     ·       |
 * | slow         |   ·   |  ·   |    ok      | hung |     ·      | crashed | not-running | not-running  | crashed       |     ·       |
 * | hung         |   ·   |  ·   |     ·      |  ·   |    ok      | crashed | not-running | crashed      | crashed       |     ·       |
 * | crashed      |  ok   |  ·   |     ·      |  ·   |     ·      |    ·    |      ·      |      ·       |       ·       | not-running |
 * | not-running  |  ok   |  ·   |     ·      |  ·   |     ·      | crashed |      ·      |      ·       |       ·       |     ·       |
 *
 * Why these choices:
 * - exit with an unknown code is "not running", not "crashed": on Windows the probe polls and
 *   never learns exit codes, and a GP closing the client must not be told it crashed. If crash
 *   evidence (log, WER, Event Log) follows, not-running → crashed.
 * - a hung client that disappears without a clean exit code was closed from the "Not Responding"
 *   dialog (or killed): work was lost, so that reads as crashed.
 * - crashed holds while the process is still around (the "serious problem" dialog can sit for
 *   minutes) and for CRASHED_HOLD_MS after it has gone, so the crash is seen; the correlator sends
 *   `settled` then. A restart (start) always means ok.
 * - slow/hang/responsive mean nothing while the client is not running or has crashed.
 */
export function nextHealth(state: HealthState, event: HealthEvent): HealthTransition | null {
  const app = event.app;
  switch (event.type) {
    case 'start':
      return state === 'crashed' || state === 'not-running' ? { state: 'ok', reason: `${app} started` } : null;
    case 'slow':
      return state === 'ok' ? { state: 'slow', reason: `${app} is running slowly` } : null;
    case 'slow-ended':
      return state === 'slow' ? { state: 'ok', reason: `${app} is no longer slow` } : null;
    case 'hang':
      return state === 'ok' || state === 'slow' ? { state: 'hung', reason: `${app} stopped responding` } : null;
    case 'responsive':
      return state === 'hung' ? { state: 'ok', reason: `${app} is responding again` } : null;
    case 'crash':
      return state === 'crashed' ? null : { state: 'crashed', reason: `${app} crashed` };
    case 'exit':
      return exitTransition(state, event);
    case 'settled':
      return state === 'crashed' ? { state: 'not-running', reason: `${app} is not running after its crash` } : null;
  }
}

function exitTransition(state: HealthState, event: Extract<HealthEvent, { type: 'exit' }>): HealthTransition | null {
  if (state === 'crashed' || state === 'not-running') return null;
  const code = event.exitCode === undefined || event.exitCode === null ? 'exit code unknown' : `exit code ${event.exitCode}`;
  if (event.clean === true) return { state: 'not-running', reason: `${event.app} closed normally` };
  if (event.clean === false) return { state: 'crashed', reason: `${event.app} exited abnormally (${code})` };
  if (state === 'hung') return { state: 'crashed', reason: `${event.app} was closed while not responding (${code})` };
  return { state: 'not-running', reason: `${event.app} exited (${code})` };
}
