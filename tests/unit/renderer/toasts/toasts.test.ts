import { describe, expect, it } from 'vitest';
import type { LifeboatEvent, NotificationKind } from '../../../../app/common/api.ts';
import { initialToasts, MAX_TOASTS, TOAST_MS, toastReducer, type ToastState } from '../../../../renderer/src/toasts/toastReducer.ts';

type Note = Extract<LifeboatEvent, { type: 'notification' }>;
const note = (kind: NotificationKind, title: string, extra: Partial<Note> = {}): Note => ({ type: 'notification', kind, title, body: `${title} body`, at: '2026-01-05T09:41:07.000Z', draftId: null, incidentId: null, ...extra });
const notify = (state: ToastState, event: Note, now = 0): ToastState => toastReducer(state, { type: 'notify', event, now });

describe('in-page toasts', () => {
  it('shows the newest first and remembers where a crash toast should lead', () => {
    let s = notify(initialToasts, note('slow', 'EMIS Web is slow'));
    s = notify(s, note('crashed', 'EMIS Web has stopped', { draftId: 'd1', incidentId: 'i1' }));
    expect(s.toasts.map((t) => t.title)).toEqual(['EMIS Web has stopped', 'EMIS Web is slow']);
    expect(s.toasts[0]).toMatchObject({ draftId: 'd1', incidentId: 'i1', repeats: 1 });
  });

  it('folds a repeat of the same message into its toast instead of stacking copies', () => {
    let s = notify(initialToasts, note('hung', 'EMIS Web is not responding'), 0);
    s = notify(s, note('slow', 'EMIS Web is slow'), 1000);
    s = notify(s, note('hung', 'EMIS Web is not responding', { draftId: 'd9' }), 2000);
    expect(s.toasts).toHaveLength(2);
    expect(s.toasts[0]).toMatchObject({ title: 'EMIS Web is not responding', repeats: 2, draftId: 'd9', expiresAt: 2000 + TOAST_MS });
  });

  it('keeps at most MAX_TOASTS, dropping the oldest', () => {
    let s = initialToasts;
    for (let i = 0; i < MAX_TOASTS + 3; i++) s = notify(s, note('slow', `message ${i}`));
    expect(s.toasts).toHaveLength(MAX_TOASTS);
    expect(s.toasts[0]!.title).toBe(`message ${MAX_TOASTS + 2}`);
  });

  it('lets passing messages expire but keeps a crash until it is dismissed', () => {
    let s = notify(initialToasts, note('recovered', 'EMIS Web is back'), 0);
    s = notify(s, note('crashed', 'EMIS Web has stopped'), 0);
    const unchanged = toastReducer(s, { type: 'tick', now: TOAST_MS - 1 });
    expect(unchanged).toBe(s);
    s = toastReducer(s, { type: 'tick', now: TOAST_MS + 1 });
    expect(s.toasts.map((t) => t.kind)).toEqual(['crashed']);
    s = toastReducer(s, { type: 'tick', now: 10 * TOAST_MS });
    expect(s.toasts).toHaveLength(1);
    s = toastReducer(s, { type: 'dismiss', id: s.toasts[0]!.id });
    expect(s.toasts).toEqual([]);
  });

  it('gives every toast its own id', () => {
    let s = notify(initialToasts, note('slow', 'a'));
    s = notify(s, note('slow', 'b'));
    expect(new Set(s.toasts.map((t) => t.id)).size).toBe(2);
  });

  it('dismisses the crash and hang toasts once the GP is in Recovery, keeping the others', () => {
    let s = notify(initialToasts, note('crashed', 'EMIS Web has stopped'));
    s = notify(s, note('hung', 'EMIS Web is not responding'));
    s = notify(s, note('outage', 'Problems across the practice'));
    s = toastReducer(s, { type: 'dismissKinds', kinds: ['crashed', 'hung'] });
    expect(s.toasts.map((t) => t.kind)).toEqual(['outage']);
    expect(toastReducer(s, { type: 'dismissKinds', kinds: ['crashed'] })).toBe(s);
  });
});
