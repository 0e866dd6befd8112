import type { LifeboatEvent, NotificationKind } from '../../../app/common/api.ts';

type NotificationEvent = Extract<LifeboatEvent, { type: 'notification' }>;

export interface Toast {
  id: number;
  kind: NotificationKind;
  title: string;
  body: string;
  at: string;
  draftId: string | null;
  incidentId: string | null;
  /** When it goes by itself (ms since epoch); null: stays until dismissed. */
  expiresAt: number | null;
  /** How many identical notifications this toast stands for. */
  repeats: number;
}

export interface ToastState {
  toasts: Toast[];
  nextId: number;
}

export type ToastAction =
  | { type: 'notify'; event: NotificationEvent; now: number }
  | { type: 'dismiss'; id: number }
  /** The GP went where these toasts lead (Recovery): they have done their job. */
  | { type: 'dismissKinds'; kinds: readonly NotificationKind[] }
  | { type: 'tick'; now: number };

/** Toasts sit in the page's flow above the content, so a few at most: each pushes the page down. */
export const MAX_TOASTS = 3;
export const TOAST_MS = 12_000;
/** Crashes and outages stay until the GP dismisses them: they may have been looking elsewhere. */
const STICKY: ReadonlySet<NotificationKind> = new Set(['crashed', 'outage']);

export const initialToasts: ToastState = { toasts: [], nextId: 1 };

/**
 * In-page notifications. The same message again while its toast is up refreshes that toast and
 * counts the repeat instead of stacking copies (no storms); newest first; at most MAX_TOASTS.
 */
export function toastReducer(state: ToastState, action: ToastAction): ToastState {
  switch (action.type) {
    case 'notify': {
      const e = action.event;
      const expiresAt = STICKY.has(e.kind) ? null : action.now + TOAST_MS;
      const same = state.toasts.find((t) => t.kind === e.kind && t.title === e.title && t.body === e.body);
      if (same) {
        const refreshed: Toast = { ...same, at: e.at, expiresAt, repeats: same.repeats + 1, draftId: e.draftId ?? same.draftId, incidentId: e.incidentId ?? same.incidentId };
        return { ...state, toasts: [refreshed, ...state.toasts.filter((t) => t.id !== same.id)] };
      }
      const toast: Toast = { id: state.nextId, kind: e.kind, title: e.title, body: e.body, at: e.at, draftId: e.draftId, incidentId: e.incidentId, expiresAt, repeats: 1 };
      return { toasts: [toast, ...state.toasts].slice(0, MAX_TOASTS), nextId: state.nextId + 1 };
    }
    case 'dismiss':
      return { ...state, toasts: state.toasts.filter((t) => t.id !== action.id) };
    case 'dismissKinds': {
      const kept = state.toasts.filter((t) => !action.kinds.includes(t.kind));
      return kept.length === state.toasts.length ? state : { ...state, toasts: kept };
    }
    case 'tick': {
      const kept = state.toasts.filter((t) => t.expiresAt === null || t.expiresAt > action.now);
      return kept.length === state.toasts.length ? state : { ...state, toasts: kept };
    }
  }
}
