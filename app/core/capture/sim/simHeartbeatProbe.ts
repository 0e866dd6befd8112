import type { ProbeResult, ProbeTarget, ResponsivenessProbe } from '../captureSource.ts';
import { askSimClient } from './simSocket.ts';

/**
 * The Linux responsiveness probe: times the simulated client's `ping` round trip the way the
 * Windows probe times SendMessageTimeoutW(WM_NULL). No socket for the pid (not a simulated client,
 * or still starting) is "no window": no verdict.
 */
export class SimHeartbeatProbe implements ResponsivenessProbe {
  readonly name = 'sim-heartbeat';
  private readonly socketFor: (target: ProbeTarget) => string | null;
  private sent = 0;

  constructor(socketFor: (target: ProbeTarget) => string | null) {
    this.socketFor = socketFor;
  }

  async probe(target: ProbeTarget, timeoutMs: number): Promise<ProbeResult> {
    const path = this.socketFor(target);
    if (path === null) return { latencyMs: null, hungByOs: false, noWindow: true };
    const n = ++this.sent;
    const answer = await askSimClient(path, `ping ${n}`, timeoutMs);
    if (answer.kind === 'no-socket') return { latencyMs: null, hungByOs: false, noWindow: true };
    if (answer.kind === 'timeout') return { latencyMs: null, hungByOs: false, noWindow: false };
    return { latencyMs: answer.line === `pong ${n}` ? answer.ms : null, hungByOs: false, noWindow: false };
  }
}
