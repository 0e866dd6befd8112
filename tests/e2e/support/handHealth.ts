import type { HealthState } from '../../../app/common/incident.ts';
import type { LiveStatus, StatusSource } from '../../../app/core/api/apiBackend.ts';

/**
 * Health a test sets by hand, standing in for the watcher service where the story is about the
 * screens (the sim-harness tests drive the real service). Notes, incidents and counts still come
 * from the real vault through the real API handlers.
 */
export class HandHealth implements StatusSource {
  state: HealthState = 'ok';
  since = new Date().toISOString();
  reason = 'EMIS Web is responding normally';
  status(): LiveStatus {
    return { health: this.state, healthSince: this.since, healthReason: this.reason, profile: 'emis-web', profileDisplayName: 'EMIS Web', clientRunning: this.state !== 'crashed' && this.state !== 'not-running', uptimeTodayMinutes: 192, notificationsPausedUntil: null, practiceOutage: null };
  }
  pauseNotifications(): string | null {
    return null;
  }
}
