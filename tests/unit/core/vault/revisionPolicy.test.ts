import { describe, expect, it } from 'vitest';
import { changedCharacters, planRevision, PAUSE_MS, SIZE_STEP_CHARS } from '../../../../app/core/vault/revisionPolicy.ts';

describe('changedCharacters', () => {
  it('counts one contiguous edit exactly', () => {
    expect(changedCharacters('', '')).toBe(0);
    expect(changedCharacters('abc', 'abcd')).toBe(1);
    expect(changedCharacters('abcd', 'abc')).toBe(1);
    expect(changedCharacters('hello world', 'hello brave world')).toBe(6);
    expect(changedCharacters('aaaa', 'aaaa')).toBe(0);
    expect(changedCharacters('xyz', 'abc')).toBe(3);
  });
  it('never counts below zero when prefix and suffix overlap', () => {
    expect(changedCharacters('aa', 'aaa')).toBe(1);
    expect(changedCharacters('aaa', 'aa')).toBe(1);
  });
});

describe('planRevision', () => {
  const t0 = 1_000_000;
  it('always writes the first revision', () => {
    expect(planRevision(null, 5, t0)).toEqual({ snapshotBeforeAsPause: false, writeAfter: 'typing', pendingAfter: 0 });
    expect(planRevision(null, 5, t0, 'pre-crash').writeAfter).toBe('pre-crash');
  });
  it('coalesces small steps made without a pause', () => {
    const plan = planRevision({ revisionCount: 1, pendingChanges: 10, updatedAt: t0 }, 1, t0 + 200);
    expect(plan).toEqual({ snapshotBeforeAsPause: false, writeAfter: null, pendingAfter: 11 });
  });
  it('writes a typing revision every size step', () => {
    const plan = planRevision({ revisionCount: 1, pendingChanges: SIZE_STEP_CHARS - 1, updatedAt: t0 }, 1, t0 + 100);
    expect(plan.writeAfter).toBe('typing');
    expect(plan.pendingAfter).toBe(0);
  });
  it('keeps the text before a pause as a pause revision', () => {
    const plan = planRevision({ revisionCount: 1, pendingChanges: 30, updatedAt: t0 }, 2, t0 + PAUSE_MS);
    expect(plan).toEqual({ snapshotBeforeAsPause: true, writeAfter: null, pendingAfter: 2 });
  });
  it('does not snapshot a pause when nothing was pending', () => {
    expect(planRevision({ revisionCount: 1, pendingChanges: 0, updatedAt: t0 }, 2, t0 + 10 * PAUSE_MS).snapshotBeforeAsPause).toBe(false);
  });
  it('writes explicit revisions only when there is something new', () => {
    expect(planRevision({ revisionCount: 3, pendingChanges: 4, updatedAt: t0 }, 0, t0 + 10, 'blur').writeAfter).toBe('blur');
    expect(planRevision({ revisionCount: 3, pendingChanges: 0, updatedAt: t0 }, 0, t0 + 10, 'shutdown').writeAfter).toBeNull();
  });
});
