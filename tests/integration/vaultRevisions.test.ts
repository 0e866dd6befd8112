import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../app/common/clock.ts';
import { PAUSE_MS, SIZE_STEP_CHARS } from '../../app/core/vault/revisionPolicy.ts';
import type { Vault } from '../../app/core/vault/vault.ts';
import { cleanupTempDirs, openTestVault, tempDir } from '../fixtures/vault/vaultTestKit.ts';

afterAll(cleanupTempDirs);

function setup(): { vault: Vault; clock: ManualClock; t0: number } {
  const clock = new ManualClock();
  return { vault: openTestVault(tempDir(), { clock }), clock, t0: clock.now() };
}

const iso = (ms: number): string => new Date(ms).toISOString();
const history = (vault: Vault, id: string): Array<[number, string, string, number]> =>
  vault.revisions(id).map((r) => [r.seq, r.reason, r.at, r.length]);

/** Types `text` one character per save, `gapMs` apart, as the debounced editor would. */
function type(vault: Vault, clock: ManualClock, id: string, start: string, text: string, gapMs = 150): string {
  let body = start;
  for (const ch of text) {
    clock.advance(gapMs);
    body += ch;
    vault.save({ id, body });
  }
  return body;
}

describe('revision coalescing, end to end (ManualClock)', () => {
  it('writes the first save, then coalesces keystrokes into the current body until a size step', () => {
    const { vault, clock, t0 } = setup();
    const first = vault.save({ id: 'note', body: 'P' });
    expect(first).toEqual({ id: 'note', revision: 1, revisionWritten: true, savedAt: iso(t0) });
    clock.advance(150);
    const second = vault.save({ id: 'note', body: 'Pt' });
    expect(second).toEqual({ id: 'note', revision: 1, revisionWritten: false, savedAt: iso(t0 + 150) });
    // The current body is durable even though no revision holds it.
    expect(vault.show('note').body).toBe('Pt');
    expect(vault.info('note').updatedAt).toBe(iso(t0 + 150));

    // Typing ~200 more characters at a steady pace: exactly one 'typing' revision per size step.
    const body = type(vault, clock, 'note', 'Pt', 'x'.repeat(SIZE_STEP_CHARS * 2 + 10));
    const revs = vault.revisions('note');
    expect(revs.map((r) => r.reason)).toEqual(['typing', 'typing', 'typing']);
    expect(revs.map((r) => r.length)).toEqual([1, 1 + SIZE_STEP_CHARS, 1 + 2 * SIZE_STEP_CHARS]);
    expect(vault.show('note', 3).body).toBe(body.slice(0, 1 + 2 * SIZE_STEP_CHARS));
    expect(vault.show('note').body).toBe(body);
    // A paste of 200+ characters is a step on its own.
    clock.advance(150);
    const pasted = vault.save({ id: 'note', body: body + 'y'.repeat(SIZE_STEP_CHARS + 5) });
    expect(pasted.revisionWritten).toBe(true);
    expect(vault.revisions('note').at(-1)!.reason).toBe('typing');
    vault.close();
  });

  it('a pause of 2 s keeps the text before it as a pause revision, at its own time; 1.999 s does not', () => {
    const { vault, clock, t0 } = setup();
    vault.save({ id: 'n', body: 'Cough' });
    const beforePause = type(vault, clock, 'n', 'Cough', ' for 3 days'); // 11 keystrokes, 150 ms apart
    const lastKeystroke = clock.now();
    clock.advance(PAUSE_MS - 1);
    vault.save({ id: 'n', body: beforePause + '.' });
    expect(vault.revisions('n')).toHaveLength(1);

    clock.advance(PAUSE_MS);
    const afterPause = vault.save({ id: 'n', body: beforePause + '. No' });
    expect(afterPause.revisionWritten).toBe(true);
    expect(afterPause.revision).toBe(2);
    expect(history(vault, 'n')).toEqual([
      [1, 'typing', iso(t0), 5],
      [2, 'pause', iso(lastKeystroke + PAUSE_MS - 1), beforePause.length + 1],
    ]);
    expect(vault.show('n', 2).body).toBe(beforePause + '.');
    // After the pause, the new text is pending again: the next keystrokes coalesce.
    clock.advance(100);
    expect(vault.save({ id: 'n', body: beforePause + '. No f' }).revisionWritten).toBe(false);
    // A pause with nothing pending since the last revision writes nothing new.
    vault.save({ id: 'n', body: beforePause + '. No fever', reason: 'blur' });
    clock.advance(10 * PAUSE_MS);
    const idle = vault.save({ id: 'n', body: beforePause + '. No fever.' });
    expect(idle.revisionWritten).toBe(false);
    expect(vault.revisions('n').map((r) => r.reason)).toEqual(['typing', 'pause', 'blur']);
    vault.close();
  });

  it('blur, shutdown and pre-crash write a revision at once when there is something new, and only then', () => {
    const { vault, clock } = setup();
    vault.save({ id: 'n', body: 'Seen' });
    let body = type(vault, clock, 'n', 'Seen', ' today');
    for (const reason of ['blur', 'shutdown', 'pre-crash'] as const) {
      clock.advance(100);
      const written = vault.save({ id: 'n', body, reason });
      expect(written.revisionWritten, reason).toBe(true);
      expect(vault.revisions('n').at(-1)!.reason).toBe(reason);
      // Nothing new: no revision, the same revision number.
      clock.advance(100);
      const again = vault.save({ id: 'n', body, reason });
      expect(again).toMatchObject({ revisionWritten: false, revision: written.revision });
      body += ` ${reason}`;
      vault.save({ id: 'n', body });
    }
    expect(vault.revisions('n').map((r) => r.reason)).toEqual(['typing', 'blur', 'shutdown', 'pre-crash']);
    vault.close();
  });

  it('checkpointOpenDrafts writes a revision of every draft with unrevisioned text, including a recovered one, not a discarded one', () => {
    const { vault, clock } = setup();
    vault.save({ id: 'pending', body: 'a' });
    vault.save({ id: 'pending', body: 'ab' });
    vault.save({ id: 'clean', body: 'c', reason: 'blur' });
    vault.save({ id: 'recovered', body: 'r1', reason: 'blur' });
    vault.save({ id: 'recovered', body: 'r1 r2', reason: 'blur' });
    vault.restore('recovered', 1);
    vault.save({ id: 'recovered', body: 'r1 and typed on after recovery' });
    vault.save({ id: 'discarded', body: 'd' });
    vault.save({ id: 'discarded', body: 'dd' });
    vault.setState('discarded', 'discarded');
    const typedAt = clock.now();
    clock.advance(5000);
    const before = Object.fromEntries(['pending', 'clean', 'recovered', 'discarded'].map((id) => [id, vault.revisions(id).length]));

    expect(vault.checkpointOpenDrafts('pre-crash')).toBe(2);
    expect(vault.revisions('pending').length).toBe(before.pending! + 1);
    // Stamped with when that text was saved, not when the checkpoint ran: a revision's time is a save's.
    expect(vault.revisions('pending').at(-1)).toMatchObject({ reason: 'pre-crash', at: iso(typedAt), length: 2 });
    expect(vault.revisions('recovered').at(-1)).toMatchObject({ reason: 'pre-crash', length: 'r1 and typed on after recovery'.length });
    expect(vault.revisions('clean').length).toBe(before.clean);
    expect(vault.revisions('discarded').length).toBe(before.discarded);
    // Nothing pending any more: a second checkpoint writes nothing.
    expect(vault.checkpointOpenDrafts('shutdown')).toBe(0);
    vault.close();
  });

  it('restore brings an earlier revision back, keeps the replaced text as a revision, marks the draft recovered, and is audited', () => {
    const { vault, clock } = setup();
    vault.save({ id: 'n', body: 'version one', reason: 'blur' });
    clock.advance(1000);
    vault.save({ id: 'n', body: 'version two', reason: 'blur' });
    clock.advance(1000);
    const typedAt = clock.now();
    vault.save({ id: 'n', body: 'version two, then a slip of the hand' });
    clock.advance(1000);

    const restored = vault.restore('n', 1);
    expect(restored).toEqual({ id: 'n', revision: 4, revisionWritten: true, savedAt: iso(clock.now()) });
    expect(vault.show('n').body).toBe('version one');
    expect(history(vault, 'n').map(([seq, reason, at]) => [seq, reason, at])).toEqual([
      [1, 'blur', iso(typedAt - 2000)],
      [2, 'blur', iso(typedAt - 1000)],
      [3, 'pause', iso(typedAt)],
      [4, 'blur', iso(clock.now())],
    ]);
    expect(vault.show('n', 3).body).toBe('version two, then a slip of the hand');
    expect(vault.info('n').state).toBe('recovered');
    const audit = vault.auditTrail().find((a) => a.action === 'restore');
    expect(audit).toEqual({ at: iso(clock.now()), action: 'restore', draftId: 'n', detail: { fromRevision: 1, newRevision: 4 } });
    expect(() => vault.restore('n', 99)).toThrow(/draft n has no revision 99/);
    vault.close();
  });

  it('audits every read of text (view, export) with when and which, never the text', () => {
    const { vault } = setup();
    vault.save({ id: 'n', body: 'secret words', reason: 'blur' });
    vault.show('n');
    vault.show('n', 1);
    vault.exportAll();
    const trail = vault.auditTrail();
    expect(trail.map((a) => [a.action, a.draftId, a.detail])).toEqual([
      ['export', null, { drafts: 1 }],
      ['view', 'n', { revision: 1 }],
      ['view', 'n', { revision: null }],
    ]);
    expect(JSON.stringify(trail)).not.toContain('secret');
    vault.close();
  });
});

describe('revision times', () => {
  it('are the times of the revisions, oldest first, read without the text', () => {
    const { vault, clock } = setup();
    const { id } = vault.save({ body: 'first', reason: 'blur' });
    clock.advance(5000);
    vault.save({ id, body: 'first and second', reason: 'blur' });
    expect(vault.revisionTimes(id)).toEqual(vault.revisions(id).map((r) => Date.parse(r.at)));
    expect(vault.revisionTimes(id)).toHaveLength(2);
    vault.close();
  });
});
