/**
 * An incident's evidence line as the correlator writes it: "<ISO time, UTC> <source>: <detail>"
 * (app/core/incidents/trackedIncident.ts). Screens and reports show the time in the reader's
 * zone beside their other local times, so they split it off here rather than print UTC.
 */
export interface EvidenceLine {
  /** ISO time of the evidence, or null for a line without the prefix (older vaults, imports). */
  at: string | null;
  /** "log", "wer", "eventlog", "process", "window", "lifeboat", or null. */
  source: string | null;
  text: string;
}

const PREFIX = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z) ([a-z]+): /;

export function splitEvidenceLine(line: string): EvidenceLine {
  const match = PREFIX.exec(line);
  if (!match || Number.isNaN(Date.parse(match[1]!))) return { at: null, source: null, text: line };
  return { at: match[1]!, source: match[2]!, text: line.slice(match[0].length) };
}
