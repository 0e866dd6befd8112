import type { Signal, SignalKind } from '../../common/signal.ts';

/**
 * What one crash artefact (a Report.wer, an Event Log record) says, for the watcher and for the
 * offline scan's per-file accounting: a signal about a watched client; a crash or hang of another
 * program (counted and named, so IT can tell "no crash" from "not ours"); or nothing of interest.
 */
export type ArtefactVerdict =
  | { verdict: 'signal'; signal: Signal }
  | { verdict: 'other-app'; app: string; kind: SignalKind }
  | { verdict: 'not-a-crash' };

/** The profile name given to programs no profile watches, when `--all-apps` asks for them. */
export const OTHER_PROFILE = 'unknown';

export function signalOf(verdict: ArtefactVerdict): Signal | null {
  return verdict.verdict === 'signal' ? verdict.signal : null;
}
