import { useId, type ReactNode } from 'react';

/**
 * A label tied to its control by id, not by wrapping: a label that wraps a text box or a select
 * gets the control's value folded into its accessible name ("Note Chest pain review Hx: …"),
 * which a screen reader would read out in full.
 */
export function Field(props: { label: ReactNode; inline?: boolean; className?: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className={['field', props.inline ? 'field-inline' : '', props.className ?? ''].filter(Boolean).join(' ')}>
      <label htmlFor={id} className="field-label">
        {props.label}
      </label>
      {props.children(id)}
    </div>
  );
}
