import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../api/client.ts';
import { AutosaveQueue, type AutosaveState, type Timers } from './autosaveQueue.ts';

export interface NoteFields {
  title: string;
  patientRef: string;
  body: string;
}

export interface NoteSession {
  draftId: string;
  fields: NoteFields;
  saveState: AutosaveState;
  /** Set when the GP said the note is in the clinical record. */
  savedInClient: boolean;
  /** A message about the last action (copy, mark, open), or an error from it. */
  notice: { text: string; error: boolean } | null;
  update(patch: Partial<NoteFields>): void;
  blur(): void;
  newNote(): Promise<void>;
  open(id: string): Promise<void>;
  markSavedInClient(): Promise<void>;
  setNotice(notice: { text: string; error: boolean } | null): void;
}

const EMPTY: NoteFields = { title: '', patientRef: '', body: '' };
const browserTimers: Timers = { set: (fn, ms) => window.setTimeout(fn, ms), clear: (h) => window.clearTimeout(h as number), now: () => Date.now() };

/** The vault's own messages sometimes begin "not saved:"; the screen says that part itself. */
const saveErrorText = (message: string): string => message.replace(/^not saved:\s*/i, '');

/**
 * The note being written. Lives above the pages so that looking at Status or Recovery and coming
 * back finds the same note, with nothing lost in between. The draft id is chosen here, so every
 * save (the first included) names its draft and saves can never create two drafts for one note.
 */
export function useNoteSession(profile: () => string | undefined): NoteSession {
  const [draftId, setDraftId] = useState<string>(() => crypto.randomUUID());
  const [fields, setFields] = useState<NoteFields>(EMPTY);
  const [saveState, setSaveState] = useState<AutosaveState>({ kind: 'empty' });
  const [savedInClient, setSavedInClient] = useState(false);
  const [notice, setNotice] = useState<{ text: string; error: boolean } | null>(null);
  const latest = useRef({ draftId, fields });
  const profileRef = useRef(profile);
  profileRef.current = profile;

  const queue = useMemo(
    () =>
      new AutosaveQueue({
        timers: browserTimers,
        onState: setSaveState,
        isEmpty: () => {
          const f = latest.current.fields;
          return f.body === '' && f.title === '' && f.patientRef === '';
        },
        save: async (reason) => {
          const { draftId: id, fields: f } = latest.current;
          const clientProfile = profileRef.current();
          const result = await api.saveDraft({
            id,
            body: f.body,
            title: f.title,
            patientRef: f.patientRef,
            ...(clientProfile ? { clientProfile } : {}),
            ...(reason ? { reason } : {}),
          });
          return result.ok ? { ok: true, savedAt: result.value.savedAt, revisionWritten: result.value.revisionWritten } : { ok: false, message: saveErrorText(result.error.message) };
        },
      }),
    [],
  );

  useEffect(() => {
    // Closing the tab with unsaved text: ask first (the save cannot finish after the page is gone).
    const warn = (event: BeforeUnloadEvent): void => {
      if (queue.dirty) event.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [queue]);

  const update = useCallback(
    (patch: Partial<NoteFields>) => {
      const next = { ...latest.current.fields, ...patch };
      latest.current = { ...latest.current, fields: next };
      setFields(next);
      setSavedInClient(false);
      queue.change();
    },
    [queue],
  );

  const start = useCallback(
    (id: string, next: NoteFields) => {
      latest.current = { draftId: id, fields: next };
      setDraftId(id);
      setFields(next);
      setSavedInClient(false);
      queue.reset();
    },
    [queue],
  );

  const newNote = useCallback(async () => {
    await queue.flush('blur');
    start(crypto.randomUUID(), EMPTY);
    setNotice(null);
  }, [queue, start]);

  const open = useCallback(
    async (id: string) => {
      if (id === latest.current.draftId) return;
      await queue.flush('blur');
      const [detail, info] = await Promise.all([api.getDraft({ id }), api.getDraftInfo({ id })]);
      if (!detail.ok) return setNotice({ text: `Could not open that note: ${detail.error.message}`, error: true });
      start(id, { title: detail.value.title, body: detail.value.body, patientRef: info.ok ? (info.value.patientRef ?? '') : '' });
      setSaveState({ kind: 'saved', at: detail.value.updatedAt });
      setSavedInClient(info.ok && info.value.state === 'saved-in-client');
      setNotice(null);
    },
    [queue, start],
  );

  const markSavedInClient = useCallback(async () => {
    await queue.flush('blur');
    const result = await api.setDraftState({ id: latest.current.draftId, state: 'saved-in-client' });
    if (result.ok) {
      setSavedInClient(true);
      setNotice({ text: 'Marked as saved in the clinical system. Lifeboat keeps a copy until the retention period ends.', error: false });
    } else setNotice({ text: `Could not mark the note: ${result.error.message}`, error: true });
  }, [queue]);

  const blur = useCallback(() => void queue.flush('blur'), [queue]);

  return { draftId, fields, saveState, savedInClient, notice, update, blur, newNote, open, markSavedInClient, setNotice };
}
