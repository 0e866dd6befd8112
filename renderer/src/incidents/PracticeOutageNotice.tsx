import type { PracticeOutageView } from '../../../app/common/api.ts';
import { whenText } from '../format/time.ts';

/**
 * Practice IT's first question when the client fails: is it this PC or everyone? Shown while
 * several computers of the practice have trouble together (read from the practice share).
 */
export function PracticeOutageNotice({ outage }: { outage: PracticeOutageView | null | undefined }) {
  if (!outage) return null;
  return (
    <p className="notice notice-error notice-outage" role="status" data-testid="practice-outage">
      Practice-wide problem: {outage.workstations} computers have had trouble since {whenText(outage.since)} ({outage.names.join(', ')}). It is not just this PC.
    </p>
  );
}
