/**
 * A screen's data could not be read: what failed, in words, and a way to ask again. Never a
 * zero standing in for "unknown".
 */
export function LoadProblem(props: { what: string; error: string; onRetry: () => void }) {
  return (
    <div className="notice notice-error load-problem" role="alert">
      <p>
        {props.what} could not be loaded: {props.error}
      </p>
      <button type="button" className="button button-small" onClick={props.onRetry}>
        Try again
      </button>
    </div>
  );
}

/** Loading: a dash where the figure will be, and the words for a screen reader. */
export function Pending(props: { label: string }) {
  return (
    <span className="pending">
      <span aria-hidden="true">—</span>
      <span className="visually-hidden">{props.label}</span>
    </span>
  );
}
