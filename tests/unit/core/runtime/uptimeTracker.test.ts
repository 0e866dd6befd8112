import { describe, expect, it } from 'vitest';
import { UptimeTracker } from '../../../../app/core/runtime/uptimeTracker.ts';

const MIN = 60_000;
/** Local times, as the tracker counts days by the computer's calendar. */
const at = (hour: number, minute = 0, day = 5): number => new Date(2026, 0, day, hour, minute).getTime();

describe('UptimeTracker (how long the client has been up today)', () => {
  it('counts from a start to an exit, once however many instances start', () => {
    const uptime = new UptimeTracker(at(8));
    uptime.record({ kind: 'start', at: at(8, 30) });
    uptime.record({ kind: 'start', at: at(8, 40) });
    expect(uptime.todayMs(at(9))).toBe(30 * MIN);
    uptime.record({ kind: 'exit', at: at(9, 15) });
    expect(uptime.todayMs(at(12))).toBe(45 * MIN);
  });

  it('starts the day again at local midnight, counting a client still running from midnight', () => {
    const uptime = new UptimeTracker(at(22, 0, 5));
    uptime.record({ kind: 'start', at: at(23, 0, 5) });
    expect(uptime.todayMs(at(1, 0, 6))).toBe(60 * MIN);
  });

  it('stops counting when no client is watched any more (another profile chosen)', () => {
    const uptime = new UptimeTracker(at(8));
    uptime.record({ kind: 'start', at: at(8) });
    uptime.stopped(at(8, 10));
    expect(uptime.todayMs(at(10))).toBe(10 * MIN);
  });
});
