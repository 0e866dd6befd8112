import { createHmac } from 'node:crypto';
import type { ControlIdentity, ForegroundClient } from './captureSource.ts';

/**
 * Which captured draft a snapshot belongs to. A window title often names the patient
 * ("EMIS Web - SMITH, John (Mr) - 943 476 5919"), so it is kept only as a salted hash (to tell one
 * patient's window from the next) and a label built from an allow-list of screen words.
 */
export interface CaptureAttribution {
  /** Stable for (client, window, window title, control): a new patient in the same window is a new draft. */
  draftId: string;
  /** Salted hash of the window title: equal titles, equal hashes; useless without the vault's salt. */
  titleHash: string;
  /** "EMIS Web: EMIS Web Health Care System – Consultation – …": no name, number or date from the title. */
  label: string;
}

const hmacHex = (salt: Buffer, ...parts: string[]): string => createHmac('sha256', salt).update(parts.join('\u0000')).digest('hex');

export function attributeCapture(salt: Buffer, profile: { name: string; displayName: string }, client: ForegroundClient, control: ControlIdentity): CaptureAttribution {
  const titleHash = hmacHex(salt, 'window-title', client.windowTitle).slice(0, 24);
  const draftId = `cap-${hmacHex(salt, 'draft', profile.name, client.processName, client.windowHandle, titleHash, control.key).slice(0, 40)}`;
  // The control's class name tells a GP nothing; it stays in the key, not the label.
  return { draftId, titleHash, label: `${profile.displayName}: ${safeTitleLabel(client.windowTitle)}` };
}

/**
 * Words a clinical client's window title may carry that identify a screen, never a person.
 * Anything else in a title segment (a surname, an NHS number, a date) hides the whole segment.
 */
const SCREEN_WORDS = new Set(
  [
    'emis', 'web', 'health', 'care', 'system', 'systmone', 'tpp', 'vision', 'cegedim', 'inps', 'clinical', 'client',
    'consultation', 'consultations', 'care record', 'record', 'records', 'journal', 'summary', 'problems', 'medication',
    'medications', 'documents', 'document', 'referral', 'referrals', 'appointments', 'appointment', 'registration',
    'workflow', 'manager', 'template', 'templates', 'letter', 'letters', 'note', 'notes', 'new', 'edit', 'add', 'view',
    'patient', 'search', 'results', 'investigations', 'tasks', 'task', 'mail', 'messages', 'prescribing', 'issue',
    'diary', 'reception', 'home', 'page', 'simulated', 'lifeboat', 'main', 'window', 'editor', 'free', 'text', 'entry',
    'history', 'examination', 'plan', 'the', 'of', 'and', 'for', 'a', 'to',
  ].flatMap((w) => w.split(' ')),
);

const SEPARATORS = /\s+[-–—|:]\s+|\s*[[\]]\s*/;

/** Keeps the title segments made only of screen words; a hidden segment shows as "…". */
export function safeTitleLabel(title: string): string {
  const segments = title.split(SEPARATORS).map((s) => s.trim()).filter((s) => s !== '');
  const shown = segments.map((segment) => {
    const words = segment.toLowerCase().split(/\s+/);
    return words.every((w) => SCREEN_WORDS.has(w.replace(/[().,]/g, ''))) ? segment : '…';
  });
  const collapsed = shown.filter((s, i) => !(s === '…' && shown[i - 1] === '…'));
  return collapsed.length === 0 ? 'untitled window' : collapsed.join(' – ');
}
