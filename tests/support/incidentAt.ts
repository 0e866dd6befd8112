import type { Incident } from '../../app/common/incident.ts';

const MIN = 60_000;

/** A finished EMIS Web incident seen in the log: two minutes long unless `extra` says otherwise. */
export function incidentAt(id: string, kind: Incident['kind'], at: number, extra: Partial<Incident> = {}): Incident {
  return {
    id,
    kind,
    app: 'emisweb.exe',
    profile: 'emis-web',
    startedAt: new Date(at).toISOString(),
    endedAt: new Date(at + 2 * MIN).toISOString(),
    sources: ['log'],
    evidence: [`${new Date(at).toISOString()} log: GetPatientRecord timed out after 30000 ms`],
    signature: null,
    ...extra,
  };
}
