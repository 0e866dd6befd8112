/**
 * The clinical client's version as the evidence names it. WER ("WER APPCRASH EmisWeb.exe
 * 9.2.1.4410 …"), Event 1000/1002 ("Event 1000 Application Error EmisWeb.exe 9.2.1.4410 …") and
 * CLR20r3 put the version right after the executable; client logs tend to say "version 9.2.1".
 * Suppliers ask "which version?" first, so a report groups incidents by it.
 */

const AFTER_EXE = /\b[\w-]+(?:\.[\w-]+)*\.exe\s+v?(\d+(?:\.\d+){1,3})(?![\w.])/i;
const LABELLED = /\b(?:app(?:lication)?[ _]?version|client[ _]?version|version|ver\.?)\s*[:=]?\s*v?(\d+\.\d+(?:\.\d+){0,2})(?![\w.])/i;

/** The first version the evidence lines name, or null. */
export function clientVersionFromEvidence(evidence: readonly string[]): string | null {
  for (const line of evidence) {
    const hit = AFTER_EXE.exec(line) ?? LABELLED.exec(line);
    if (hit) return hit[1]!;
  }
  return null;
}
