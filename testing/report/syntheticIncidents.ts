import type { Incident, IncidentKind, SignalSource } from '../../app/common/incident.ts';
import { seededRandom } from '../../app/common/seededRandom.ts';

/**
 * Invented incidents shaped like the correlator's, for demos, tests and benchmarks: surgery
 * hours on weekdays, mostly slow episodes, some hangs, few crashes, evidence lines in the real
 * sources' wording. Deterministic for a seed, so a benchmark measures the same data every run.
 * None of it is about a real person.
 */

export interface SyntheticOptions {
  count: number;
  from: number;
  to: number;
  seed?: number;
  workstation?: string;
  /** Put invented patient identifiers into some evidence lines, to prove they are redacted. */
  withPatientData?: boolean;
  idPrefix?: string;
}


const VERSIONS = ['9.2.1.4410', '9.2.1.4410', '9.2.3.4502', '9.3.0.4611'];
const CRASH_LINES: Array<{ detail: (v: string) => string; signature: string | null; source: SignalSource }> = [
  { source: 'wer', detail: (v) => `WER APPCRASH EmisWeb.exe ${v} fault module clr.dll exception c0000005 (report 3f6c1b0e-8d2a-4f57-9a41-6e0c2d7b5a19)`, signature: 'c0000005@clr.dll' },
  { source: 'eventlog', detail: (v) => `Event 1026 .NET Runtime EmisWeb.exe ${v} unhandled System.OutOfMemoryException (record 88213)`, signature: 'System.OutOfMemoryException' },
  { source: 'log', detail: () => 'System.NullReferenceException: Object reference not set to an instance of an object.', signature: null },
  { source: 'eventlog', detail: (v) => `Event 1000 Application Error EmisWeb.exe ${v} fault module KERNELBASE.dll exception e0434352 (record 88102)`, signature: 'e0434352@kernelbase.dll' },
];
const PATIENT_LINES = [
  'Consultation.Save failed for patient NHS 943 476 5919 at LS1 4AP',
  'Patient: Jane Example DOB: 01/02/1980 record locked',
  'Callback to 07700 900123 or jane.example@nhs.net failed',
];

function workingMoment(random: () => number, from: number, to: number): number {
  for (let tries = 0; tries < 20; tries++) {
    const at = from + Math.floor(random() * (to - from));
    const d = new Date(at);
    const day = d.getUTCDay();
    const hour = d.getUTCHours() + d.getUTCMinutes() / 60;
    if (day >= 1 && day <= 5 && hour >= 7.5 && hour <= 18.5) return at;
  }
  return from + Math.floor(random() * (to - from));
}

export function generateIncidents(options: SyntheticOptions): Incident[] {
  const random = seededRandom(options.seed ?? 1);
  const prefix = options.idPrefix ?? 'inc';
  const out: Incident[] = [];
  for (let n = 0; n < options.count; n++) {
    const r = random();
    const kind: IncidentKind = r < 0.08 ? 'crash' : r < 0.25 ? 'hang' : r < 0.95 ? 'slow' : 'exit';
    const start = workingMoment(random, options.from, options.to);
    const version = VERSIONS[Math.floor(random() * VERSIONS.length)]!;
    const t = new Date(start).toISOString();
    let duration: number;
    let sources: SignalSource[];
    let evidence: string[];
    let signature: string | null = null;
    switch (kind) {
      case 'crash': {
        const line = CRASH_LINES[Math.floor(random() * CRASH_LINES.length)]!;
        duration = 60_000 + random() * 6 * 60_000;
        sources = ['process', line.source];
        signature = line.signature;
        evidence = [`${t} ${line.source}: ${line.detail(version)}`, `${t} process: emisweb.exe exited with code 3221225477`];
        break;
      }
      case 'hang':
        duration = 5_000 + random() * 4 * 60_000;
        sources = ['window', 'wer'];
        evidence = [`${t} window: EmisWeb.exe is not responding`, `${t} wer: WER AppHangB1 EmisWeb.exe ${version} stopped responding (report 5e7a9c1b-3d5f-4a6b-8c0d-2e4f6a8b0c2d)`];
        break;
      case 'slow':
        duration = 20_000 + random() * 3 * 60_000;
        sources = ['log'];
        evidence = [`${t} log: GetPatientRecord timed out after ${20000 + Math.floor(random() * 20000)} ms`];
        break;
      default:
        duration = 30_000 + random() * 60_000;
        sources = ['process'];
        evidence = [`${t} process: emisweb.exe exited with code 1`];
    }
    if (options.withPatientData && n % 7 === 0) evidence.push(`${t} log: ${PATIENT_LINES[n % PATIENT_LINES.length]}`);
    const open = n === options.count - 1 && random() < 0.5;
    const incident: Incident = {
      id: `${prefix}-${String(n).padStart(7, '0')}`,
      kind,
      app: 'emisweb.exe',
      profile: 'emis-web',
      startedAt: t,
      endedAt: open ? null : new Date(start + Math.round(duration)).toISOString(),
      sources,
      evidence,
      signature,
    };
    if (options.workstation !== undefined) incident.workstation = options.workstation;
    out.push(incident);
  }
  return out.sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0));
}
