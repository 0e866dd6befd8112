import { useEffect, useRef } from 'react';
import { copyText } from '../clipboard.ts';
import type { NoteSession } from './useNoteSession.ts';
import { Field } from '../layout/Field.tsx';
import { SaveStatus } from './SaveStatus.tsx';

/** The consultation note: a large, calm editor that saves as the GP types. */
export function NotePage(props: { session: NoteSession; clientName: string; focusEditor: boolean }) {
  const { session } = props;
  const editor = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (props.focusEditor) editor.current?.focus();
  }, [props.focusEditor, session.draftId]);

  const copy = async (): Promise<void> => {
    const ok = await copyText(session.fields.body);
    session.setNotice(ok ? { text: `Copied. Paste it into ${props.clientName}.`, error: false } : { text: 'The browser did not allow copying: select the text and press Ctrl+C.', error: true });
  };

  return (
    <div className="note-page">
      <div className="page-title-row">
        <h1 tabIndex={-1}>Consultation note</h1>
        <SaveStatus state={session.saveState} />
      </div>
      <div className="note-meta">
        <Field label="Title (optional)">
          {(id) => <input id={id} type="text" value={session.fields.title} maxLength={500} autoComplete="off" onChange={(e) => session.update({ title: e.target.value })} onBlur={session.blur} />}
        </Field>
        <Field label="Patient reference (optional)">
          {(id) => (
            <input id={id} type="text" value={session.fields.patientRef} maxLength={200} autoComplete="off" spellCheck={false} onChange={(e) => session.update({ patientRef: e.target.value })} onBlur={session.blur} />
          )}
        </Field>
      </div>
      <Field label="Note" className="field-editor">
        {(id) => (
          <textarea
            id={id}
            ref={editor}
            className="editor"
            value={session.fields.body}
            spellCheck
            aria-describedby="save-status"
            onChange={(e) => session.update({ body: e.target.value })}
            onBlur={session.blur}
          />
        )}
      </Field>
      <div className="actions">
        <button type="button" className="button button-primary" onClick={() => void copy()} disabled={session.fields.body === ''}>
          Copy to {props.clientName}
        </button>
        <button type="button" className="button" onClick={() => void session.markSavedInClient()} disabled={session.saveState.kind === 'empty' || session.savedInClient}>
          {session.savedInClient ? 'Saved in the clinical system ✓' : `Mark as saved in ${props.clientName}`}
        </button>
        <button type="button" className="button button-quiet" onClick={() => void session.newNote().then(() => editor.current?.focus())}>
          New note
        </button>
      </div>
      {/* Live regions exist before their message does, or screen readers may not announce it. */}
      <div role="status" className="notice-area">
        {session.notice && !session.notice.error ? <p className="notice">{session.notice.text}</p> : null}
      </div>
      <div role="alert" className="notice-area">
        {session.notice?.error ? <p className="notice notice-error">{session.notice.text}</p> : null}
      </div>
    </div>
  );
}
