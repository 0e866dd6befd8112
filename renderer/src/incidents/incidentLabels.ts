import type { IncidentKind } from '../../../app/common/incident.ts';

export const KIND_LABEL: Record<IncidentKind, string> = { crash: 'Crash', hang: 'Hang', slow: 'Slow', exit: 'Exit' };
export const KIND_PLURAL: Record<IncidentKind, string> = { crash: 'crashes', hang: 'hangs', slow: 'slowdowns', exit: 'exits' };
export const SOURCE_LABEL: Record<string, string> = {
  process: 'process watcher',
  log: 'client log',
  wer: 'Windows Error Reporting',
  eventlog: 'Windows Event Log',
  window: 'window responsiveness',
};
