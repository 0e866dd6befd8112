import { describe, expect, it } from 'vitest';
import { AutosaveQueue, type AutosaveState, type SaveOutcome, type SaveReason, type Timers } from '../../../../renderer/src/note/autosaveQueue.ts';

/** Timers that run only when the test moves time: no sleeps, exact instants. */
class FakeTimers implements Timers {
  current = 0;
  private queue: Array<{ at: number; fn: () => void; id: number }> = [];
  private nextId = 1;
  set(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.queue.push({ at: this.current + ms, fn, id });
    return id;
  }
  clear(handle: unknown): void {
    this.queue = this.queue.filter((t) => t.id !== handle);
  }
  now(): number {
    return this.current;
  }
  async advance(ms: number): Promise<void> {
    const end = this.current + ms;
    for (;;) {
      this.queue.sort((a, b) => a.at - b.at);
      const next = this.queue[0];
      if (!next || next.at > end) break;
      this.queue.shift();
      this.current = next.at;
      next.fn();
      await flushPromises();
    }
    this.current = end;
    await flushPromises();
  }
}

const flushPromises = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

function setup(options: { outcome?: () => SaveOutcome; manual?: boolean } = {}) {
  const timers = new FakeTimers();
  const saves: Array<{ at: number; reason: SaveReason | undefined; text: string }> = [];
  const states: AutosaveState[] = [];
  let text = '';
  const pending: Array<() => void> = [];
  const queue = new AutosaveQueue({
    timers,
    isEmpty: () => text === '',
    onState: (s) => states.push(s),
    save: (reason) => {
      saves.push({ at: timers.now(), reason, text });
      const outcome = options.outcome?.() ?? { ok: true, savedAt: new Date(timers.now()).toISOString(), revisionWritten: reason === 'blur' };
      if (!options.manual) return Promise.resolve(outcome);
      return new Promise((resolve) => pending.push(() => resolve(outcome)));
    },
  });
  const type = (next: string): void => {
    text = next;
    queue.change();
  };
  return { timers, saves, states, queue, type, pending };
}

describe('autosave of the note', () => {
  it('saves within 250 ms of a keystroke, 200 ms after the last one when typing stops', async () => {
    const { timers, saves, type, states } = setup();
    type('H');
    await timers.advance(199);
    expect(saves).toHaveLength(0);
    await timers.advance(1);
    expect(saves).toEqual([{ at: 200, reason: undefined, text: 'H' }]);
    expect(states.at(-1)).toMatchObject({ kind: 'saved' });
  });

  it('keeps saving while the GP types without pause: no keystroke waits more than 250 ms', async () => {
    const { timers, saves, type } = setup();
    const typedAt: number[] = [];
    let text = '';
    for (let i = 0; i < 20; i++) {
      text += 'x';
      typedAt.push(timers.now());
      type(text);
      await timers.advance(100);
    }
    await timers.advance(300);
    typedAt.forEach((at, i) => {
      // The first save that carries keystroke i (the text then had i + 1 characters).
      const carried = saves.find((s) => s.text.length >= i + 1);
      expect(carried!.at - at, `keystroke ${i}`).toBeLessThanOrEqual(250);
    });
    expect(saves.at(-1)!.text).toBe(text);
  });

  it('never has two saves in flight, and the last text always gets saved', async () => {
    const { timers, saves, type, pending } = setup({ manual: true });
    type('a');
    await timers.advance(250);
    expect(saves).toHaveLength(1);
    type('ab');
    type('abc');
    await timers.advance(1000);
    expect(saves).toHaveLength(1); // the first is still in flight
    pending.shift()!();
    await timers.advance(0);
    expect(saves.map((s) => s.text)).toEqual(['a', 'abc']);
    pending.shift()!();
    await timers.advance(1000);
    expect(saves).toHaveLength(2);
  });

  it('writes a blur revision when the GP leaves the editor with text not yet in a revision', async () => {
    const { timers, saves, type, queue } = setup();
    type('Plan: review');
    await timers.advance(250);
    expect(saves.at(-1)!.reason).toBeUndefined();
    await queue.flush('blur');
    expect(saves.at(-1)).toMatchObject({ reason: 'blur', text: 'Plan: review' });
    // Nothing new since that revision: leaving again writes nothing.
    await queue.flush('blur');
    expect(saves).toHaveLength(2);
  });

  it('does not create a draft for an untouched new note', async () => {
    const { timers, saves, type, states } = setup();
    type('');
    await timers.advance(500);
    expect(saves).toHaveLength(0);
    expect(states.at(-1)).toEqual({ kind: 'empty' });
  });

  it('keeps "Not saved" on screen until a save succeeds, and retries without new typing', async () => {
    let fail = true;
    const { timers, saves, type, states } = setup({ outcome: () => (fail ? { ok: false, message: 'the disk is full' } : { ok: true, savedAt: '2026-01-05T09:41:07.000Z', revisionWritten: false }) });
    type('Hx');
    await timers.advance(250);
    expect(states.at(-1)).toEqual({ kind: 'error', message: 'the disk is full' });
    type('Hx: cough');
    await timers.advance(250);
    // Still the error, not "Saving…": the GP must not think it is fine.
    expect(states.at(-1)).toEqual({ kind: 'error', message: 'the disk is full' });
    fail = false;
    await timers.advance(2000);
    expect(states.at(-1)).toEqual({ kind: 'saved', at: '2026-01-05T09:41:07.000Z' });
    expect(saves.at(-1)!.text).toBe('Hx: cough');
  });
});
