import type { ApiName } from '../../../app/common/api.ts';

/**
 * Every LifeboatApi call by name. A Record over ApiName makes the compiler refuse a missing or
 * unknown call, without importing app/common's zod schemas (and their eval fast path) into the page.
 */
const CALLS: Record<ApiName, true> = {
  getStatus: true,
  saveDraft: true,
  listDrafts: true,
  searchDrafts: true,
  getDraft: true,
  getDraftInfo: true,
  listRevisions: true,
  restoreRevision: true,
  setDraftState: true,
  discardDraft: true,
  listIncidents: true,
  recoveryCandidates: true,
  exportFile: true,
  practiceView: true,
  pauseNotifications: true,
  getSettings: true,
  updateSettings: true,
};

export const CALL_NAMES = Object.keys(CALLS) as ApiName[];
