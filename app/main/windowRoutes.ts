import { DraftIdSchema } from '../common/draft.ts';

/**
 * The renderer's hash routes that main opens (tray menu, notification clicks, second launch).
 * The renderer's router must accept exactly these.
 */
export const ROUTES = {
  status: '#/status',
  newNote: '#/note?new=1',
  recovery: '#/recovery',
  incidents: '#/incidents',
  settings: '#/settings',
} as const;

/** Recovery, opened on one draft when its id is known and well-formed. */
export function recoveryRoute(draftId: string | null | undefined): string {
  if (draftId === null || draftId === undefined || !DraftIdSchema.safeParse(draftId).success) return ROUTES.recovery;
  return `${ROUTES.recovery}?draft=${encodeURIComponent(draftId)}`;
}
