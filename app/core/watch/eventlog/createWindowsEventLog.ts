import type { Clock } from '../../../common/clock.ts';
import type { Signal } from '../../../common/signal.ts';
import { windowsCommand, type CommandRunner } from '../commandRunner.ts';
import type { ProfileApps } from '../wer/profileApps.ts';
import { WevtutilEventLogSource, type EventLogSource } from './eventLogReader.ts';
import { eventLogPresence, WindowsEventLog } from './windowsEventLog.ts';

export interface CreateWindowsEventLogOptions {
  runner: CommandRunner;
  profiles: readonly ProfileApps[];
  sinceMs: number;
  clock: Clock;
  onSignal: (signal: Signal) => void;
  onDiagnostic: (message: string) => void;
  /** Wraps each wevtutil query (the watcher names one that is stuck). */
  track?: <T>(what: string, work: () => Promise<T>) => Promise<T>;
}

/**
 * The Application log of this Windows PC: EvtSubscribe through koffi (loaded on first use, so koffi
 * costs nothing elsewhere), wevtutil when Windows gives no subscription, nothing on a machine
 * without an Event Log (Wine).
 */
export function createWindowsEventLog(options: CreateWindowsEventLogOptions): WindowsEventLog {
  const track = options.track ?? (<T>(_what: string, work: () => Promise<T>): Promise<T> => work());
  const wevtutil = new WevtutilEventLogSource({ runner: options.runner });
  const tracked: EventLogSource = { query: (since) => track('querying the Application event log', () => wevtutil.query(since)) };
  return new WindowsEventLog({
    subscribe: async (channel, query, callbacks) => (await import('./win32/win32EventLogSubscription.ts')).subscribeWin32EventLog(channel, query, callbacks),
    wevtutil: tracked,
    presence: async () => eventLogPresence(await track('asking wevtutil whether there is an Event Log', () => options.runner.run(windowsCommand('wevtutil'), ['gli', 'Application'], { timeoutMs: 10_000 }))),
    profiles: options.profiles,
    sinceMs: options.sinceMs,
    clock: options.clock,
    onSignal: options.onSignal,
    onDiagnostic: options.onDiagnostic,
  });
}
