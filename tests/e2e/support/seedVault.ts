import { ManualClock } from '../../../app/common/clock.ts';
import type { Incident } from '../../../app/common/incident.ts';
import { attributeCapture } from '../../../app/core/capture/captureAttribution.ts';
import { VaultCaptureStore } from '../../../app/core/capture/vaultCaptureStore.ts';
import { Vault } from '../../../app/core/vault/vault.ts';
import { headlessKeySource } from '../../../app/core/vault/vaultKey.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

/** An invented consultation, typed in steps: no real patient, as in every test. */
export const SEED_NOTE_STEPS = [
  'Chest pain review\n\nHx: 2/7 left-sided chest tightness on exertion.',
  'Chest pain review\n\nHx: 2/7 left-sided chest tightness on exertion.\nNo radiation. No SOB at rest.\nFHx: father MI at 58.',
  'Chest pain review\n\nHx: 2/7 left-sided chest tightness on exertion, settles with rest.\nNo radiation. No SOB at rest.\nFHx: father MI at 58.\n\nO/E: BP 148/92, HR 84 reg. HS normal, chest clear.\nECG: sinus rhythm, no acute changes.',
  'Chest pain review\n\nHx: 2/7 left-sided chest tightness on exertion, settles with rest.\nNo radiation. No SOB at rest.\nFHx: father MI at 58.\n\nO/E: BP 148/92, HR 84 reg. HS normal, chest clear.\nECG: sinus rhythm, no acute changes.\n\nPlan: urgent rapid-access chest pain clinic referral.\nGTN spray, safety-net: 999 if pain at rest > 15 min.',
];

function incident(id: string, kind: Incident['kind'], startedAt: number, seconds: number, sources: Incident['sources'], evidence: string[]): Incident {
  return {
    id,
    kind,
    app: 'EmisWeb.exe',
    profile: 'emis-web',
    startedAt: new Date(startedAt).toISOString(),
    endedAt: new Date(startedAt + seconds * 1000).toISOString(),
    sources,
    evidence,
    signature: kind === 'crash' ? 'EmisWeb.exe|clr.dll|e0434352' : null,
  };
}

/**
 * A morning at a practice, written straight into a vault before `lifeboat serve` opens it: a note
 * typed up to 3 s before an EMIS Web crash, an older note, and a week of incidents for the chart.
 * Returns the crash-time note's id and final text.
 */
export function seedPracticeMorning(vaultDir: string, now = Date.now()): { noteId: string; noteText: string; crashAt: number } {
  const clock = new ManualClock(now - 2 * HOUR);
  const vault = Vault.open({ dir: vaultDir, keySource: headlessKeySource(vaultDir), clock });
  try {
    const older = vault.save({ body: 'Repeat prescription query: amlodipine 5 mg, BP log reviewed.\nOK to issue 2 months.', title: 'Prescription query', reason: 'blur' });
    vault.setState(older.id, 'saved-in-client');

    clock.set(now - 47 * MIN);
    const first = vault.save({ body: SEED_NOTE_STEPS[0]!, title: 'Chest pain review', patientRef: 'EMIS 4471-TEST', clientProfile: 'emis-web', reason: 'blur' });
    for (const step of SEED_NOTE_STEPS.slice(1)) {
      clock.advance(50_000);
      vault.save({ id: first.id, body: step, reason: 'blur' });
    }
    const lastSave = clock.now();
    const crashAt = lastSave + 3000;

    const incidents: Incident[] = [
      incident('inc-crash-today', 'crash', crashAt, 95, ['process', 'log', 'wer', 'eventlog'], [
        'process: EmisWeb.exe (pid 8812) exited with code 0xE0434352',
        "log: 09:41:07.512 ERROR Emis.Web.Shell - Unhandled exception: System.OutOfMemoryException: Exception of type 'System.OutOfMemoryException' was thrown.",
        'wer: AppCrash_EmisWeb.exe_3f1c… EventType=CLR20r3 Sig[0]=EmisWeb.exe Sig[3]=clr.dll',
        'eventlog: Application Error 1000: Faulting application name: EmisWeb.exe, exception code 0xe0434352',
      ]),
      incident('inc-slow-today', 'slow', now - 3 * HOUR, 40, ['window'], ['window: EMIS Web took 2.8 s to answer (threshold 1.5 s)']),
      incident('inc-hang-1', 'hang', now - 26 * HOUR, 30, ['window', 'eventlog'], ['window: EMIS Web not responding for 30 s', 'eventlog: Application Hang 1002: EmisWeb.exe stopped interacting with Windows']),
      incident('inc-crash-2', 'crash', now - 2 * 24 * HOUR, 60, ['process', 'wer'], ['process: EmisWeb.exe exited with code 0xC0000005', 'wer: AppCrash_EmisWeb.exe EventType=APPCRASH']),
      incident('inc-slow-3', 'slow', now - 3 * 24 * HOUR - 2 * HOUR, 120, ['window'], ['window: EMIS Web took 4.1 s to answer']),
      incident('inc-slow-3b', 'slow', now - 3 * 24 * HOUR - 4 * HOUR, 60, ['window'], ['window: EMIS Web took 2.2 s to answer']),
      incident('inc-exit-4', 'exit', now - 4 * 24 * HOUR, 1, ['process'], ['process: EmisWeb.exe exited with code 0']),
      incident('inc-hang-5', 'hang', now - 5 * 24 * HOUR, 45, ['window'], ['window: EMIS Web not responding for 45 s']),
      incident('inc-crash-6', 'crash', now - 6 * 24 * HOUR, 80, ['eventlog'], ['eventlog: .NET Runtime 1026: The process was terminated due to an unhandled exception.']),
    ];
    for (const i of incidents) vault.recordIncident(i);
    return { noteId: first.id, noteText: SEED_NOTE_STEPS.at(-1)!, crashAt };
  } finally {
    vault.close();
  }
}

/** Two consultations typed in EMIS Web's own note box, each window titled with an (invented) patient. */
export const CAPTURED_CONSULTATIONS = [
  { title: 'EMIS Web Health Care System - Consultation - SMITH, John (Mr) - 943 476 5919', text: 'Telephone consultation. Asthma review: peak flow 420, inhaler technique checked.' },
  { title: 'EMIS Web Health Care System - Consultation - EXAMPLE, Jane (Mrs) - 401 023 2137', text: 'Knee pain 3/52 after a fall. Full range of movement, no effusion. Plan: physio referral.' },
] as const;

/**
 * What text capture leaves in the vault for two consultations in EMIS Web's own window before the
 * crash: the real attribution (salted title hash, screen-word label) and the real capture store,
 * the first started 40 minutes before the crash, the second 15.
 */
export function seedCapturedConsultations(vaultDir: string, crashAt: number): string[] {
  const clock = new ManualClock(crashAt - 40 * MIN);
  const vault = Vault.open({ dir: vaultDir, keySource: headlessKeySource(vaultDir), clock });
  try {
    const store = new VaultCaptureStore(vault);
    const profile = { name: 'emis-web', displayName: 'EMIS Web' };
    return CAPTURED_CONSULTATIONS.map((c, i) => {
      clock.set(crashAt - (i === 0 ? 40 : 15) * MIN);
      const attribution = attributeCapture(vault.captureSalt(), profile, { processName: 'emisweb.exe', pid: 4242, windowHandle: `0x${(0x1a2b + i).toString(16)}`, windowTitle: c.title }, { key: 'RichEdit20W#1', className: 'RichEdit20W' });
      store.saveCaptured(attribution, 'emis-web', c.text.slice(0, 20), false);
      clock.set(crashAt - (i === 0 ? 30 : 4) * MIN);
      store.saveCaptured(attribution, 'emis-web', c.text, false);
      return attribution.draftId;
    });
  } finally {
    vault.close();
  }
}
