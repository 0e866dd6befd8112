import { readFile } from 'node:fs/promises';
import { execFileRunner, windowsCommand, type CommandRunner } from '../commandRunner.ts';
import { decodeUnicodeText, UndecodableTextError } from '../wer/unicodeText.ts';
import { EventLogParseError, parseEventLogXml, type EventRecord } from './eventLogXml.ts';

export { EventLogPoller, type EventLogPollerOptions } from './eventLogPoller.ts';

/** Where Application-log events come from: wevtutil on Windows, an exported file elsewhere. */
export interface EventLogSource {
  /** Crash and hang events (1000, 1002, 1026) created at or after `sinceMs`, oldest first. */
  query(sinceMs: number): Promise<EventRecord[]>;
}

/** wevtutil failed (non-zero exit): the message carries its stderr, e.g. "Access is denied." */
export class EventLogQueryError extends Error {
  override readonly name = 'EventLogQueryError';
}

/** The three Application-log events that record a crash or hang of a desktop program. */
export const CRASH_EVENT_PROVIDERS = ['Application Error', 'Application Hang', '.NET Runtime'] as const;
export const CRASH_EVENT_IDS = [1000, 1002, 1026] as const;

/**
 * The event-log XPath (the subset Windows supports) selecting crash and hang events since a time:
 * `*[System[Provider[@Name='…' or …] and (EventID=1000 or …) and TimeCreated[@SystemTime>='…']]]`.
 * SystemTime compares as an ISO-8601 UTC string.
 */
export function crashEventsXPath(sinceMs: number): string {
  const providers = CRASH_EVENT_PROVIDERS.map((name) => `@Name='${name}'`).join(' or ');
  const ids = CRASH_EVENT_IDS.map((id) => `EventID=${id}`).join(' or ');
  return `*[System[Provider[${providers}] and (${ids}) and TimeCreated[@SystemTime>='${new Date(sinceMs).toISOString()}']]]`;
}

/**
 * Arguments for `wevtutil qe`: oldest first (/rd:false) and at most `maxEvents` per call, so a
 * burst is read across polls in order while the high-water mark moves forward.
 */
export function wevtutilQueryArgs(sinceMs: number, channel = 'Application', maxEvents = 200): string[] {
  return ['qe', channel, `/q:${crashEventsXPath(sinceMs)}`, '/f:xml', '/rd:false', `/c:${maxEvents}`];
}

export interface WevtutilEventLogSourceOptions {
  runner?: CommandRunner;
  channel?: string;
  maxEvents?: number;
  timeoutMs?: number;
}

/** Reads the Application log through `wevtutil qe` (Windows only; the runner is injected for tests). */
export class WevtutilEventLogSource implements EventLogSource {
  private readonly runner: CommandRunner;
  private readonly channel: string;
  private readonly maxEvents: number;
  private readonly timeoutMs: number;

  constructor(options: WevtutilEventLogSourceOptions = {}) {
    this.runner = options.runner ?? execFileRunner;
    this.channel = options.channel ?? 'Application';
    this.maxEvents = options.maxEvents ?? 200;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  async query(sinceMs: number): Promise<EventRecord[]> {
    const args = wevtutilQueryArgs(sinceMs, this.channel, this.maxEvents);
    const result = await this.runner.run(windowsCommand('wevtutil'), args, { timeoutMs: this.timeoutMs });
    if (result.code !== 0) {
      const why = result.stderr.trim() || `exit code ${result.code ?? 'unknown (killed or timed out)'}`;
      throw new EventLogQueryError(`wevtutil qe ${this.channel} failed: ${why}`);
    }
    return parseEventLogXml(result.stdout);
  }
}

/**
 * Reads a saved export instead of a live log: `wevtutil qe Application /f:xml > file.xml`
 * (no root element; UTF-16 when redirected from PowerShell) or Event Viewer's "Save as XML".
 * Used by the offline scan and by tests on machines without an event log.
 */
export class FileEventLogSource implements EventLogSource {
  private readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  async query(sinceMs: number): Promise<EventRecord[]> {
    return (await this.readAll())
      .filter((record) => record.timeCreated >= sinceMs)
      .sort((a, b) => a.timeCreated - b.timeCreated || (a.recordId ?? 0) - (b.recordId ?? 0));
  }

  /** Every event in the file; errors name the file, since the scan reports them per path. */
  private async readAll(): Promise<EventRecord[]> {
    try {
      return parseEventLogXml(decodeUnicodeText(await readFile(this.path)).text);
    } catch (err) {
      if (err instanceof EventLogParseError || err instanceof UndecodableTextError) throw new EventLogParseError(`${this.path}: ${err.message}`);
      throw err;
    }
  }
}
