import { createHash } from 'node:crypto';
import type { IncidentKind } from '../../common/incident.ts';

/**
 * A deterministic incident id: the same signals give the same id, so an offline re-scan or a
 * replay upserts the incidents already in the vault instead of duplicating them.
 * `kind` is the kind the incident was opened with (an exit later upgraded to a crash keeps its id).
 */
export function incidentId(parts: { appKey: string; kind: IncidentKind; startedAt: number; workstation?: string | undefined }): string {
  const text = [parts.appKey, parts.kind, new Date(parts.startedAt).toISOString(), parts.workstation ?? ''].join('|');
  return `inc-${createHash('sha256').update(text).digest('hex').slice(0, 20)}`;
}

/** "EmisWeb.exe", "emisweb" and "C:\\…\\EmisWeb.exe" name one client: the key the correlator joins on. */
export function appKey(app: string): string {
  const base = app.trim().toLowerCase().split(/[\\/]/).pop() ?? '';
  return base.replace(/\.exe$/, '');
}
