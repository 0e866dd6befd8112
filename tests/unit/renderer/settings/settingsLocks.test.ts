import { describe, expect, it } from 'vitest';
import { isLocked } from '../../../../renderer/src/settings/settingsLocks.ts';

describe('policy-locked settings', () => {
  it('reads the one lock format: the setting’s own name', () => {
    expect(isLocked({ lockedByPolicy: ['retentionDays'] }, 'retentionDays')).toBe(true);
    expect(isLocked({ lockedByPolicy: ['notificationsEnabled'] }, 'notificationsEnabled')).toBe(true);
    expect(isLocked({ lockedByPolicy: ['activeProfile'] }, 'activeProfile')).toBe(true);
    expect(isLocked({ lockedByPolicy: ['clientCaptureEnabled'] }, 'retentionDays')).toBe(false);
  });
});
