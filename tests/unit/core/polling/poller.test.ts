// The one poll loop of the watcher's sources. Vitest's fake timers stand in for time passing:
// every step below is a deterministic advance, no test sleeps.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Poller } from '../../../../app/core/polling/poller.ts';

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Poller', () => {
  it('runs the first round after firstDelayMs (never inside start) and then one per interval', async () => {
    let rounds = 0;
    const poller = new Poller({ round: async () => void rounds++, intervalMs: 1000, firstDelayMs: 50 });
    poller.start();
    expect(rounds).toBe(0);
    await vi.advanceTimersByTimeAsync(49);
    expect(rounds).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(rounds).toBe(1);
    await vi.advanceTimersByTimeAsync(3000);
    expect(rounds).toBe(4);
    await poller.stop();
  });

  it('never overlaps rounds: the next starts an interval after a slow one ends', async () => {
    const gates: Array<ReturnType<typeof deferred>> = [];
    let inFlight = 0;
    let most = 0;
    const poller = new Poller({
      intervalMs: 100,
      round: async () => {
        const gate = deferred();
        gates.push(gate);
        most = Math.max(most, ++inFlight);
        await gate.promise;
        inFlight--;
      },
    });
    poller.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(gates).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10_000); // the first round hangs for ten seconds
    expect(gates).toHaveLength(1);
    gates[0]!.resolve();
    await vi.advanceTimersByTimeAsync(99);
    expect(gates).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(gates).toHaveLength(2);
    expect(most).toBe(1);
    gates[1]!.resolve();
    await poller.stop();
  });

  it('hands a failed round to onError and goes on polling (a throwing handler included)', async () => {
    const errors: unknown[] = [];
    let rounds = 0;
    const poller = new Poller({
      intervalMs: 10,
      round: async () => {
        rounds++;
        if (rounds <= 2) throw new Error(`round ${rounds} failed`);
      },
      onError: (error) => {
        errors.push(error);
        if (errors.length === 2) throw new Error('the handler fails too');
      },
    });
    poller.start();
    await vi.advanceTimersByTimeAsync(30);
    expect(errors.map((e) => (e as Error).message)).toEqual(['round 1 failed', 'round 2 failed']);
    expect(rounds).toBe(4);
    await poller.stop();
  });

  it('stop() waits for the round under way, and no round starts after it', async () => {
    const gate = deferred();
    let rounds = 0;
    let finished = false;
    const poller = new Poller({
      intervalMs: 10,
      round: async () => {
        rounds++;
        await gate.promise;
        finished = true;
      },
    });
    poller.start();
    await vi.advanceTimersByTimeAsync(0);
    let stopped = false;
    const stopping = poller.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(1000);
    expect(stopped).toBe(false);
    gate.resolve();
    await stopping;
    expect(finished).toBe(true);
    expect(poller.running).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(rounds).toBe(1);
  });

  it('start is idempotent, and a restart while an old round is in flight makes one loop, not two', async () => {
    const gates: Array<ReturnType<typeof deferred>> = [];
    const poller = new Poller({
      intervalMs: 100,
      round: () => {
        const gate = deferred();
        gates.push(gate);
        return gate.promise;
      },
    });
    poller.start();
    poller.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(gates).toHaveLength(1);
    const stopping = poller.stop();
    poller.start(); // before the old round ends
    gates[0]!.resolve();
    await stopping;
    await vi.advanceTimersByTimeAsync(0);
    expect(gates).toHaveLength(2); // the new start's first round
    gates[1]!.resolve();
    await vi.advanceTimersByTimeAsync(100);
    expect(gates).toHaveLength(3); // one loop: the old round did not re-arm a second
    gates[2]!.resolve();
    await vi.advanceTimersByTimeAsync(100);
    expect(gates).toHaveLength(4);
    gates[3]!.resolve();
    await poller.stop();
  });
});
