import { clockTime } from '../format/time.ts';
import type { AutosaveState } from './autosaveQueue.ts';

/**
 * Always on screen, so the GP never has to wonder. Only a failure is announced (role="alert"):
 * announcing every "Saved" while typing would drown a screen reader.
 */
export function SaveStatus(props: { state: AutosaveState }) {
  const s = props.state;
  if (s.kind === 'error') {
    return (
      <p id="save-status" className="save-status save-error" role="alert" data-save-state="error">
        <span aria-hidden="true">✕ </span>Not saved: {s.message}
      </p>
    );
  }
  const text = s.kind === 'saved' ? `Saved ${clockTime(s.at)}` : s.kind === 'empty' ? 'Nothing to save yet' : 'Saving…';
  return (
    <p id="save-status" className={`save-status save-${s.kind}`} data-save-state={s.kind}>
      {s.kind === 'saved' ? <span aria-hidden="true">✓ </span> : null}
      {text}
    </p>
  );
}
