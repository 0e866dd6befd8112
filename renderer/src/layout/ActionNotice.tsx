/** What an action on the page told the user: success read politely, errors as an alert. */
export interface ActionMessage {
  text: string;
  error: boolean;
}

/**
 * The status region stays in the page even when empty, so screen readers announce what lands
 * in it; an error is a separate alert so it is announced at once and shown in red.
 */
export function ActionNotice({ message }: { message: ActionMessage | null }) {
  return (
    <>
      <div role="status" className="notice-area">
        {message && !message.error ? <p className="notice">{message.text}</p> : null}
      </div>
      {message?.error ? (
        <p className="notice notice-error" role="alert">
          {message.text}
        </p>
      ) : null}
    </>
  );
}
