import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allowedHosts, isAuthorized, tokenMatches } from '../../../../app/core/serve/requestGuard.ts';
import { memorySettings } from '../../../../testing/api/memorySettings.ts';
import { NotWatchingStatus } from '../../../../testing/api/notWatchingStatus.ts';

const dir = mkdtempSync(join(tmpdir(), 'lifeboat-serve-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the note side without a watcher: status and the real settings store', () => {
  it('reports "not running" with the reason, and remembers a pause', () => {
    let now = Date.UTC(2026, 0, 5, 9, 0, 0);
    const settings = memorySettings();
    const status = new NotWatchingStatus({ now: () => now, settings });
    expect(status.status()).toMatchObject({ health: 'not-running', clientRunning: false, profile: 'emis-web', profileDisplayName: 'EMIS Web', notificationsPausedUntil: null });
    expect(status.status().healthReason).toMatch(/nothing watches/);
    expect(status.pauseNotifications(60)).toBe('2026-01-05T10:00:00.000Z');
    now += 61 * 60_000;
    expect(status.status().notificationsPausedUntil).toBeNull();
    expect(status.pauseNotifications(0)).toBeNull();
  });

  it('shows what the policy fixes as locked, by the setting’s own name, and refuses to change it with LOCKED_BY_POLICY', () => {
    const policy = join(dir, 'policy.json');
    writeFileSync(policy, JSON.stringify({ settings: { retentionDays: 30, notifications: { enabled: false } } }));
    const settings = memorySettings({ policyPath: policy });
    const view = settings.get();
    expect(view.retentionDays).toBe(30);
    expect(view.notificationsEnabled).toBe(false);
    expect(view.lockedByPolicy.sort()).toEqual(['notificationsEnabled', 'retentionDays']);
    expect(() => settings.update({ retentionDays: 7 })).toThrow(expect.objectContaining({ code: 'LOCKED_BY_POLICY' }));
    // Sending the locked value unchanged is fine (the form sends what it shows).
    expect(settings.update({ retentionDays: 30, activeProfile: 'vision' }).activeProfile).toBe('vision');
    expect(() => settings.update({ activeProfile: 'no-such-system' })).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT', message: expect.stringMatching(/no clinical system profile/) }));
  });

  it('hands out copies, so a caller cannot change the settings behind its back', () => {
    const settings = memorySettings();
    settings.get().profiles.length = 0;
    expect(settings.get().profiles.length).toBeGreaterThan(0);
  });
});

describe('lifeboat serve: request guard pieces', () => {
  it('compares tokens by value only, whatever their lengths', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abd', 'abc')).toBe(false);
    expect(tokenMatches('abcd', 'abc')).toBe(false);
    expect(tokenMatches('', 'abc')).toBe(false);
    expect(tokenMatches(null, 'abc')).toBe(false);
  });

  it('answers only to loopback names on its own port, plus an address it was explicitly bound to', () => {
    expect([...allowedHosts(4000, '127.0.0.1')].sort()).toEqual(['127.0.0.1:4000', '[::1]:4000', 'localhost:4000']);
    expect(allowedHosts(4000, '192.168.1.20').has('192.168.1.20:4000')).toBe(true);
    expect(allowedHosts(4000, '0.0.0.0').has('0.0.0.0:4000')).toBe(false);
  });

  it('accepts the token only as a bearer header: a cookie carrying it is no credential', () => {
    const req = (headers: Record<string, string>): Parameters<typeof isAuthorized>[0] => ({ headers }) as Parameters<typeof isAuthorized>[0];
    expect(isAuthorized(req({ authorization: 'Bearer tok' }), 'tok')).toBe(true);
    expect(isAuthorized(req({ authorization: 'bearer tok' }), 'tok')).toBe(true);
    expect(isAuthorized(req({ cookie: 'lifeboat_token_4000=tok' }), 'tok')).toBe(false);
    expect(isAuthorized(req({ cookie: 'tok' }), 'tok')).toBe(false);
    expect(isAuthorized(req({ authorization: 'Basic tok' }), 'tok')).toBe(false);
    expect(isAuthorized(req({}), 'tok')).toBe(false);
  });
});
