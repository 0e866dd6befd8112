import { describe, expect, it } from 'vitest';
import { isLocked } from '../../renderer/src/settings/settingsLocks.ts';

describe('policy-locked settings', () => {
  it('recognises the view’s field names and the policy file’s own paths', () => {
    expect(isLocked({ lockedByPolicy: ['retentionDays'] }, 'retentionDays')).toBe(true);
    expect(isLocked({ lockedByPolicy: ['notifications.enabled'] }, 'notificationsEnabled')).toBe(true);
    expect(isLocked({ lockedByPolicy: ['notifications'] }, 'notificationsEnabled')).toBe(true);
    expect(isLocked({ lockedByPolicy: ['activeProfiles'] }, 'activeProfile')).toBe(true);
    expect(isLocked({ lockedByPolicy: ['capture'] }, 'retentionDays')).toBe(false);
  });
});
