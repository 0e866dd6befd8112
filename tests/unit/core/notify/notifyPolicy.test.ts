import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../app/common/clock.ts';
import type { HealthState } from '../../../../app/common/incident.ts';
import { inQuietHours, notificationEvent, NotifyPolicy, type NotifyDecision, type NotifyInput } from '../../../../app/core/notify/notifyPolicy.ts';
import { safeDisplayName, TOOLTIP_MAX, trayTooltip } from '../../../../app/core/notify/notifyText.ts';

const MIN = 60_000;
// 09:00:00 UTC on 5 January 2026 (the ManualClock default); all times shown in UTC here.
const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

function setup(options: Partial<ConstructorParameters<typeof NotifyPolicy>[0]> = {}) {
  const clock = new ManualClock(T0);
  const policy = new NotifyPolicy({ clock, clientDisplayName: 'EMIS Web', timeZone: 'UTC', initialHealth: 'ok', ...options });
  let health: HealthState = options.initialHealth ?? 'ok';
  const to = (state: HealthState): NotifyDecision => {
    const input: NotifyInput = { type: 'health', state, previous: health, reason: 'test', at: clock.now() };
    health = state;
    return policy.handle(input);
  };
  const crashIncident = (id: string, draft?: { id: string; savedAt: number }, change: 'opened' | 'updated' = 'opened'): NotifyDecision =>
    policy.handle({ type: 'incident', change, incident: { id, kind: 'crash', startedAt: new Date(clock.now()).toISOString() }, nearestDraft: draft ?? null });
  return { clock, policy, to, crashIncident };
}

describe('notify policy: the tray always tells', () => {
  it('reflects every health change in the tray, with state and time in the tooltip', () => {
    const { clock, to } = setup();
    clock.advance(41 * MIN);
    const slow = to('slow');
    expect(slow.tray.state).toBe('slow');
    expect(slow.tray.tooltip).toBe('Lifeboat: EMIS Web is running slowly (since 09:41)');
    expect(to('hung').tray.state).toBe('hung');
    expect(to('crashed').tray.tooltip).toContain('has stopped; your notes are safe');
    expect(to('not-running').tray.state).toBe('not-running');
    expect(to('ok').tray.tooltip).toContain('is working normally');
  });

  it('keeps the tray up to date while notifications are paused or disabled', () => {
    const { policy, to } = setup();
    policy.handle({ type: 'pause', minutes: 60 });
    const d = to('hung');
    expect(d.notify).toBeUndefined();
    expect(d.tray.state).toBe('hung');
    expect(d.tray.tooltip).toContain('alerts paused until 10:00');
    policy.handle({ type: 'resume' });
    policy.handle({ type: 'settings', enabled: false });
    const c = to('crashed');
    expect(c.notify).toBeUndefined();
    expect(c.tray.state).toBe('crashed');
  });

  it('keeps tooltips inside the Windows limit', () => {
    const long = trayTooltip({ state: 'crashed', since: T0, clientDisplayName: 'X'.repeat(300), pausedUntil: T0 + 60 * MIN, timeZone: 'UTC' });
    expect(long.length).toBeLessThanOrEqual(TOOLTIP_MAX);
  });
});

describe('notify policy: throttling', () => {
  it('does not repeat a kind within the throttle, and does once it has been calm that long', () => {
    const { clock, to } = setup();
    expect(to('slow').notify?.kind).toBe('slow');
    to('ok');
    clock.advance(2 * MIN);
    expect(to('slow').notify).toBeUndefined();
    to('ok');
    clock.advance(5 * MIN);
    expect(to('slow').notify?.title).toBe('EMIS Web is running slowly');
  });

  it('collapses a storm of slow/ok flapping into one notification', () => {
    const { clock, to } = setup();
    const shown: string[] = [];
    for (let i = 0; i < 40; i++) {
      const d = to(i % 2 === 0 ? 'slow' : 'ok');
      if (d.notify) shown.push(d.notify.kind);
      clock.advance(90_000); // a flap every 90 s for an hour
    }
    expect(shown).toEqual(['slow']);
  });

  it('shows at most maxPerHour notifications in a rolling hour', () => {
    const { clock, to } = setup({ maxPerHour: 3, throttleMs: MIN });
    let count = 0;
    for (let i = 0; i < 10; i++) {
      for (const s of ['slow', 'hung', 'ok'] as const) if (to(s).notify) count++;
      clock.advance(2 * MIN);
    }
    expect(count).toBe(3);
    clock.advance(60 * MIN);
    expect(to('slow').notify?.kind).toBe('slow');
  });

  it('does not follow a crash with a less severe notification', () => {
    const { clock, to } = setup();
    expect(to('crashed').notify?.kind).toBe('crashed');
    to('ok');
    clock.advance(MIN);
    expect(to('slow').notify).toBeUndefined();
  });

  it('says "working again" only after telling the GP about a hang or crash', () => {
    const { clock, to } = setup();
    to('slow');
    expect(to('ok').notify).toBeUndefined();
    clock.advance(10 * MIN);
    expect(to('hung').notify?.kind).toBe('hung');
    const back = to('ok').notify;
    expect(back?.kind).toBe('recovered');
    expect(back?.title).toBe('EMIS Web is working again');
  });
});

describe('notify policy: pause and quiet', () => {
  it('is quiet while paused and speaks again when the pause ends', () => {
    const { clock, policy, to } = setup();
    policy.handle({ type: 'pause', minutes: 60 });
    expect(policy.pausedUntil()).toBe(T0 + 60 * MIN);
    expect(to('slow').notify).toBeUndefined();
    to('ok');
    clock.advance(61 * MIN);
    expect(policy.pausedUntil()).toBeNull();
    expect(to('slow').notify?.kind).toBe('slow');
  });

  it('pausing for 0 minutes resumes', () => {
    const { policy } = setup();
    policy.handle({ type: 'pause', minutes: 30 });
    policy.handle({ type: 'pause', minutes: 0 });
    expect(policy.pausedUntil()).toBeNull();
  });

  it('is quiet in quiet hours, including ones that span midnight', () => {
    expect(inQuietHours(22 * 60, { from: '21:00', to: '07:00' })).toBe(true);
    expect(inQuietHours(6 * 60 + 59, { from: '21:00', to: '07:00' })).toBe(true);
    expect(inQuietHours(7 * 60, { from: '21:00', to: '07:00' })).toBe(false);
    expect(inQuietHours(12 * 60, { from: '12:00', to: '13:30' })).toBe(true);
    expect(inQuietHours(12 * 60, { from: 'noon', to: '13:30' })).toBe(false);
    const { policy, to } = setup({ quietHours: { from: '08:30', to: '09:30' } });
    expect(to('crashed').notify).toBeUndefined();
    policy.handle({ type: 'settings', quietHours: null });
  });
});

describe('notify policy: crashes', () => {
  it('names the draft saved nearest before the crash, by time only', () => {
    const { clock, to, crashIncident } = setup();
    const savedAt = Date.UTC(2026, 0, 5, 9, 41, 7);
    clock.set(savedAt + 5_000);
    crashIncident('inc-1', { id: 'draft-7', savedAt });
    const d = to('crashed');
    expect(d.notify).toEqual({
      kind: 'crashed',
      title: 'EMIS Web has stopped — your note from 09:41:07 is safe',
      body: 'Click to open it in Lifeboat Recovery.',
      draftId: 'draft-7',
      incidentId: 'inc-1',
    });
  });

  it('a NEW crash bypasses the per-kind throttle and the hourly cap', () => {
    const { clock, to, crashIncident } = setup({ maxPerHour: 1 });
    crashIncident('inc-1');
    expect(to('crashed').notify?.incidentId).toBe('inc-1');
    to('ok');
    clock.advance(MIN);
    crashIncident('inc-2');
    expect(to('crashed').notify?.incidentId).toBe('inc-2');
  });

  it('the same crash never notifies twice: incident updates and late health changes join it', () => {
    const { clock, to, crashIncident } = setup();
    crashIncident('inc-1');
    expect(to('crashed').notify?.incidentId).toBe('inc-1');
    clock.advance(10 * MIN);
    expect(crashIncident('inc-1', { id: 'd', savedAt: T0 }, 'updated').notify).toBeUndefined();
    // Health first, incident second (both orders happen): one notification.
    to('ok');
    clock.advance(10 * MIN);
    const first = to('crashed');
    expect(first.notify?.kind).toBe('crashed');
    expect(first.notify?.incidentId).toBeUndefined();
    clock.advance(5_000);
    expect(crashIncident('inc-2').notify).toBeUndefined();
  });

  it('a further crash incident while "crashed" is still on show is a new crash', () => {
    const { clock, to, crashIncident } = setup();
    crashIncident('inc-1');
    to('crashed');
    clock.advance(3 * MIN);
    expect(crashIncident('inc-2').notify?.incidentId).toBe('inc-2');
  });

  it('an exit upgraded to a crash by late evidence pairs with the crash that follows it', () => {
    const { clock, policy, to } = setup();
    const exit = { id: 'inc-9', kind: 'exit' as const, startedAt: new Date(T0).toISOString() };
    policy.handle({ type: 'incident', change: 'opened', incident: exit });
    expect(to('not-running').notify).toBeUndefined();
    clock.advance(4 * MIN); // the WER report arrives minutes later
    const draft = { id: 'draft-2', savedAt: T0 - 30_000 };
    expect(policy.handle({ type: 'incident', change: 'updated', incident: { ...exit, kind: 'crash' }, nearestDraft: draft }).notify).toBeUndefined();
    expect(to('crashed').notify).toMatchObject({ kind: 'crashed', incidentId: 'inc-9', draftId: 'draft-2', title: 'EMIS Web has stopped — your note from 08:59:30 is safe' });
  });

  it('a crash while paused is not replayed when the pause ends', () => {
    const { clock, policy, to, crashIncident } = setup();
    policy.handle({ type: 'pause', minutes: 10 });
    crashIncident('inc-1');
    expect(to('crashed').notify).toBeUndefined();
    clock.advance(11 * MIN);
    expect(crashIncident('inc-1', undefined, 'updated').notify).toBeUndefined();
    expect(to('ok').notify).toBeUndefined();
  });
});

describe('notify policy: outage', () => {
  it('tells once per practice-wide outage', () => {
    const { policy } = setup();
    const d = policy.handle({ type: 'outage', id: 'o1', workstations: 5, since: T0 - 10 * MIN });
    expect(d.notify).toMatchObject({ kind: 'outage', title: 'EMIS Web problems across the practice' });
    expect(d.notify?.body).toContain('5 computers');
    expect(d.notify?.body).toContain('08:50');
    expect(policy.handle({ type: 'outage', id: 'o1', workstations: 6, since: T0 }).notify).toBeUndefined();
  });
});

describe('notify policy: Lifeboat’s own watcher keeps failing', () => {
  it('tells once per failing episode, with the note still safe, and again only after it recovered and failed anew', () => {
    const { policy, clock } = setup({ throttleMs: 0 });
    const told = policy.handle({ type: 'watcher', failing: true }).notify;
    expect(told).toEqual({ kind: 'watcher', title: 'Lifeboat cannot watch EMIS Web at the moment', body: 'Your notes are still being saved. Lifeboat keeps trying; if this goes on, tell practice IT.' });
    expect(policy.handle({ type: 'watcher', failing: true }).notify).toBeUndefined();
    expect(policy.handle({ type: 'watcher', failing: false }).notify).toBeUndefined();
    clock.advance(MIN);
    expect(policy.handle({ type: 'watcher', failing: true }).notify?.kind).toBe('watcher');
  });

  it('stays quiet while paused, like every other notification', () => {
    const { policy } = setup();
    policy.handle({ type: 'pause', minutes: 60 });
    expect(policy.handle({ type: 'watcher', failing: true }).notify).toBeUndefined();
  });
});

describe('notify policy: text safety', () => {
  const SECRET = 'Pt reports chest pain NHS 943 476 5919';

  it('cannot be given note text: the input types have no place for it', () => {
    const { policy } = setup();
    policy.handle({
      type: 'incident',
      change: 'opened',
      // @ts-expect-error evidence is not part of an IncidentRef: the policy never sees log lines
      incident: { id: 'i', kind: 'crash', startedAt: new Date(T0).toISOString(), evidence: [SECRET] },
      // @ts-expect-error a DraftMoment has no body
      nearestDraft: { id: 'd', savedAt: T0, body: SECRET },
    });
  });

  it('never puts anything but templates, the client name and times into what it says', () => {
    // Even when a caller smuggles text in through extra fields and reasons, none of it comes out.
    const clock = new ManualClock(T0);
    const policy = new NotifyPolicy({ clock, clientDisplayName: 'EMIS Web', timeZone: 'UTC', initialHealth: 'ok' });
    const smuggled = { id: 'i1', kind: 'crash', startedAt: new Date(T0).toISOString(), evidence: [SECRET], app: SECRET } as never;
    const draft = { id: 'd1', savedAt: T0, body: SECRET, title: SECRET, patientRef: SECRET } as never;
    const outputs: NotifyDecision[] = [];
    outputs.push(policy.handle({ type: 'incident', change: 'opened', incident: smuggled, nearestDraft: draft }));
    for (const state of ['crashed', 'ok', 'slow', 'hung', 'ok', 'not-running'] as const) {
      outputs.push(policy.handle({ type: 'health', state, previous: 'ok', reason: SECRET, at: clock.now() }));
      clock.advance(6 * MIN);
    }
    outputs.push(policy.handle({ type: 'outage', id: SECRET, workstations: 3, since: T0 }));
    const text = JSON.stringify(outputs);
    expect(outputs.filter((o) => o.notify).length).toBeGreaterThanOrEqual(4);
    for (const word of ['chest', 'pain', '943', 'NHS']) expect(text).not.toContain(word);
  });

  it('cleans the display name it is given', () => {
    expect(safeDisplayName('EMIS\u0000 Web\n')).toBe('EMIS Web');
    expect(safeDisplayName('')).toBe('The clinical system');
    expect(safeDisplayName('A'.repeat(100)).length).toBe(40);
  });

  it('turns a decision into the event the renderer and Electron receive', () => {
    const e = notificationEvent({ kind: 'crashed', title: 't', body: 'b', draftId: 'd1' }, T0);
    expect(e).toEqual({ type: 'notification', kind: 'crashed', title: 't', body: 'b', at: new Date(T0).toISOString(), draftId: 'd1', incidentId: null });
  });
});
