import type { IncidentKind } from '../../../app/common/incident.ts';

export const KIND_LABEL: Record<IncidentKind, string> = { crash: 'Crash', hang: 'Hang', slow: 'Slow', exit: 'Exit' };
export const KIND_PLURAL: Record<IncidentKind, string> = { crash: 'crashes', hang: 'hangs', slow: 'slowdowns', exit: 'exits' };
export const SOURCE_LABEL: Record<string, string> = {
  process: 'process watcher',
  log: 'client log',
  wer: 'Windows Error Reporting',
  eventlog: 'Windows Event Log',
  window: 'window responsiveness',
  lifeboat: 'Lifeboat',
};

/**
 * "EmisWeb.exe" (from WER), "emisweb" (from the process list) and "C:\\…\\EmisWeb.exe" are one
 * program: shown one way, as the correlator joins them (lower case, no folder, no ".exe").
 */
export function programName(app: string): string {
  const base = app.trim().split(/[\\/]/).pop() ?? app;
  return base.toLowerCase().replace(/\.exe$/, '');
}
