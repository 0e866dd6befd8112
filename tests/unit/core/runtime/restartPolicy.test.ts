import { describe, expect, it } from 'vitest';
import { RestartPolicy } from '../../../../app/core/runtime/restartPolicy.ts';

describe('RestartPolicy: when to start the watcher again, and when to tell the GP', () => {
  it('restarts at once the first time, then backs off', () => {
    const policy = new RestartPolicy({ delaysMs: [0, 500, 2000] });
    expect([0, 10, 20, 30].map((t) => policy.failed(t).delayMs)).toEqual([0, 500, 2000, 2000]);
  });

  it('a failing episode ends only after five minutes of watching by default, so the GP is not told again and again', () => {
    const policy = new RestartPolicy({ failingAfter: 2 });
    policy.failed(0);
    expect(policy.failed(1000).newlyFailing).toBe(true);
    policy.started(2000);
    expect(policy.recovered(2000 + 60_000)).toBe(false);
    expect(policy.failed(2000 + 61_000)).toMatchObject({ failing: true, newlyFailing: false });
    policy.started(70_000);
    expect(policy.recovered(70_000 + 5 * 60_000)).toBe(true);
  });

  it('restarts at once after each failure of a watcher that had been watching for a while (10 s by default)', () => {
    const policy = new RestartPolicy();
    const delays: number[] = [];
    for (let t = 0; t < 5 * 20_000; t += 20_000) {
      policy.started(t);
      delays.push(policy.failed(t + 15_000).delayMs);
    }
    expect(delays).toEqual([0, 0, 0, 0, 0]);
  });

  it('is failing at the third failure within ten minutes, and says so once', () => {
    const policy = new RestartPolicy();
    const decisions = [0, 60_000, 120_000, 180_000].map((t) => policy.failed(t));
    expect(decisions.map((d) => d.failing)).toEqual([false, false, true, true]);
    expect(decisions.map((d) => d.newlyFailing)).toEqual([false, false, true, false]);
  });

  it('forgets failures older than the window', () => {
    const policy = new RestartPolicy({ windowMs: 10_000, failingAfter: 3 });
    policy.failed(0);
    policy.failed(5_000);
    expect(policy.failed(20_000).failing).toBe(false);
  });

  it('a watcher that ran stableMs has recovered: delays start again, and a failing episode ends', () => {
    const policy = new RestartPolicy({ delaysMs: [0, 500, 2000], stableMs: 60_000, recoveredAfterMs: 60_000, failingAfter: 2 });
    policy.failed(0);
    expect(policy.failed(1000)).toMatchObject({ delayMs: 500, failing: true });
    policy.started(2000);
    expect(policy.recovered(30_000)).toBe(false);
    expect(policy.recovered(62_000)).toBe(true);
    expect(policy.recovered(63_000)).toBe(false);
    expect(policy.failing).toBe(false);
    expect(policy.failed(64_000).delayMs).toBe(0);
  });
});
