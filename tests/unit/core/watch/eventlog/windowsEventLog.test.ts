/**
 * The Application log on Windows read by push (EvtSubscribe) with wevtutil as the fallback, and no
 * reading at all where there is no Event Log (Wine). EvtSubscribe cannot run here: the subscription
 * is a fake behind the interface the real one implements, handing over events exactly as EvtRender
 * gives them (UTF-16LE, NUL-terminated, in a larger buffer). The real subscription is for a practice
 * PC; that Wine has none, and what the watcher then does, is tests/windows/eventLogAbsent.test.ts.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Signal } from '../../../../../app/common/signal.ts';
import type { CommandResult, CommandRunner } from '../../../../../app/core/watch/commandRunner.ts';
import { crashEventsXPath, WevtutilEventLogSource } from '../../../../../app/core/watch/eventlog/eventLogReader.ts';
import { eventSignal, EventXmlSplitter, parseEventLogXml } from '../../../../../app/core/watch/eventlog/eventLogXml.ts';
import { EventRecordGate } from '../../../../../app/core/watch/eventlog/eventRecordGate.ts';
import { renderedXml } from '../../../../../app/core/watch/eventlog/win32/win32EventLogSubscription.ts';
import {
  eventLogMissing,
  eventLogPresence,
  eventLogReading,
  WindowsEventLog,
  type EventLogPresence,
  type EventLogSubscriptionCallbacks,
  type WindowsEventLogOptions,
} from '../../../../../app/core/watch/eventlog/windowsEventLog.ts';
import { waitFor } from '../../../../support/waitFor.ts';

const EXPORT = path.resolve(import.meta.dirname, '../../../../fixtures/eventlog/application-export.xml');
const PROFILES = [{ profile: 'emis-web', apps: ['EmisWeb.exe'] }];
const SINCE = Date.parse('2026-01-05T09:00:00Z');
const clock = { now: () => SINCE };

/** Each event of the fixture as its own XML element: what EvtRender renders one event handle to. */
const eventXml: string[] = [];
beforeAll(async () => {
  const splitter = new EventXmlSplitter((xml) => eventXml.push(xml), () => undefined);
  splitter.write(await readFile(EXPORT, 'utf8'));
  splitter.end();
});

/** What EvtRender writes: UTF-16LE, a terminating NUL counted in BufferUsed, the rest of the buffer untouched. */
function asRendered(xml: string): { buffer: Buffer; used: number } {
  const text = Buffer.from(`${xml}\0`, 'utf16le');
  const buffer = Buffer.alloc(text.length + 64, 0xab);
  text.copy(buffer);
  return { buffer, used: text.length };
}

/**
 * wevtutil cannot run here: answers `gli` as a given machine would, and `qe` with the events the
 * log holds from the query's TimeCreated on (as Windows filters them); counts the calls.
 */
class WevtutilAnswers implements CommandRunner {
  readonly calls: string[][] = [];
  private readonly answers: { gli: CommandResult; qe: () => string[] };
  constructor(answers: { gli: CommandResult; qe: () => string[] }) {
    this.answers = answers;
  }
  run(_file: string, args: readonly string[]): Promise<CommandResult> {
    this.calls.push([...args]);
    if (args[0] === 'gli') return Promise.resolve(this.answers.gli);
    const since = Date.parse(/@SystemTime>='([^']+)'/.exec(args.join(' '))![1]!);
    const held = this.answers.qe().filter((xml) => parseEventLogXml(xml).every((r) => r.timeCreated >= since));
    return Promise.resolve({ stdout: held.join('\r\n'), stderr: '', code: 0 });
  }
  count(verb: string): number {
    return this.calls.filter((c) => c[0] === verb).length;
  }
}

/** A real Windows 10 `wevtutil gli Application`, and Wine 8's (measured: nothing, exit 0). */
const WINDOWS_GLI: CommandResult = {
  stdout: 'creationTime: 2021-03-02T09:14:52.372Z\r\nlastAccessTime: 2026-01-05T08:00:29.594Z\r\nlastWriteTime: 2026-01-05T08:00:29.594Z\r\nfileSize: 20975616\r\nattributes: 32\r\nnumberOfLogRecords: 36523\r\noldestRecordNumber: 1\r\n',
  stderr: '',
  code: 0,
};
const WINE_GLI: CommandResult = { stdout: '', stderr: '', code: 0 };

/** A subscription behind the real one's interface: the test pushes rendered events, or makes it fail. */
class FakeSubscription {
  callbacks: EventLogSubscriptionCallbacks | null = null;
  query = '';
  closed = false;
  push(xml: string[]): void {
    this.callbacks!.onEvents(xml.map((x) => { const r = asRendered(x); return renderedXml(r.buffer, r.used); }));
  }
}

function windowsEventLog(overrides: Partial<WindowsEventLogOptions> & { runner: CommandRunner }): { log: WindowsEventLog; signals: Signal[]; diagnostics: string[] } {
  const signals: Signal[] = [];
  const diagnostics: string[] = [];
  const { runner, ...rest } = overrides;
  const log = new WindowsEventLog({
    subscribe: () => Promise.reject(new Error('EvtSubscribe failed (Windows error 0)')),
    wevtutil: new WevtutilEventLogSource({ runner }),
    presence: async () => eventLogPresence(await runner.run('wevtutil', ['gli', 'Application'])),
    profiles: PROFILES,
    sinceMs: SINCE,
    clock,
    onSignal: (s) => signals.push(s),
    onDiagnostic: (m) => diagnostics.push(m),
    pollIntervalMs: 10,
    ...rest,
  });
  return { log, signals, diagnostics };
}

/** The signals the wevtutil path makes of the fixture: the push path must make the same ones. */
const wevtutilSignals = async (): Promise<Signal[]> => parseEventLogXml(await readFile(EXPORT, 'utf8')).map((r) => eventSignal(r, PROFILES)).filter((s): s is Signal => s !== null);

describe('an event as EvtRender renders it', () => {
  it('is the UTF-16 text up to its NUL, whatever follows in the buffer; an odd or overlong count reads no further', () => {
    const xml = eventXml[0]!;
    const { buffer, used } = asRendered(xml);
    expect(renderedXml(buffer, used)).toBe(xml);
    expect(renderedXml(buffer, used + 1)).toBe(xml);
    expect(renderedXml(buffer, buffer.length * 2)).toBe(xml);
    expect(renderedXml(Buffer.from('<Event>é—漢</Event>', 'utf16le'), 999)).toBe('<Event>é—漢</Event>');
  });
});

describe('the push path gives the wevtutil path’s signals', () => {
  it('subscribes to the same XPath since the watch started, and turns rendered events into the same signals, each once', async () => {
    const fake = new FakeSubscription();
    const runner = new WevtutilAnswers({ gli: WINDOWS_GLI, qe: () => [] });
    const { log, signals, diagnostics } = windowsEventLog({
      runner,
      subscribe: (channel, query, callbacks) => {
        expect(channel).toBe('Application');
        fake.query = query;
        fake.callbacks = callbacks;
        return Promise.resolve({ close: () => Promise.resolve(void (fake.closed = true)) });
      },
    });
    log.start();
    await log.ready();
    expect(log.mode).toBe('subscription');
    expect(fake.query).toBe(crashEventsXPath(SINCE));
    fake.push(eventXml.slice(0, 4));
    fake.push(eventXml.slice(3)); // the newest one delivered twice: let through once
    expect(signals).toEqual(await wevtutilSignals());
    await log.stop();
    expect(fake.closed).toBe(true);
    expect(runner.calls).toEqual([]); // no wevtutil at all: neither gli nor qe
    expect(diagnostics).toEqual([]);
  });

  it('skips an event that does not parse, with one line, and keeps the rest', async () => {
    const fake = new FakeSubscription();
    const { log, signals, diagnostics } = windowsEventLog({
      runner: new WevtutilAnswers({ gli: WINDOWS_GLI, qe: () => [] }),
      subscribe: (_c, _q, callbacks) => Promise.resolve(((fake.callbacks = callbacks), { close: () => Promise.resolve() })),
    });
    log.start();
    await log.ready();
    fake.push(['<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><EventID>1000</Event>', ...eventXml]);
    fake.callbacks!.onProblem('an event of 9000000 bytes skipped');
    expect(signals).toHaveLength(5);
    expect(diagnostics).toHaveLength(2);
    expect(diagnostics[0]).toMatch(/^an Event Log event skipped: /);
    expect(diagnostics[1]).toBe('an Event Log event skipped: an event of 9000000 bytes skipped');
    await log.stop();
  });

  it('a subscription that stops hands over to wevtutil from where it was: nothing twice, nothing missed', async () => {
    const fake = new FakeSubscription();
    const runner = new WevtutilAnswers({ gli: WINDOWS_GLI, qe: () => eventXml });
    const { log, signals, diagnostics } = windowsEventLog({
      runner,
      subscribe: (_c, _q, callbacks) => Promise.resolve(((fake.callbacks = callbacks), { close: () => Promise.resolve(void (fake.closed = true)) })),
    });
    log.start();
    await log.ready();
    fake.push(eventXml.slice(0, 4));
    const pushed = signals.length;
    fake.callbacks!.onFailed('EvtNext failed (Windows error 1717)');
    await waitFor(() => runner.count('qe') >= 2, { what: 'the wevtutil poll to take over', timeoutMs: 5000 });
    await log.stop();
    expect(fake.closed).toBe(true);
    expect(pushed).toBeGreaterThan(0);
    expect(signals).toEqual(await wevtutilSignals());
    expect(diagnostics).toEqual(['the Event Log subscription stopped (EvtNext failed (Windows error 1717)); reading the Event Log with wevtutil instead']);
    // The poll asks from the newest event the subscription had seen (less the overlap), not from the start.
    const firstQuery = runner.calls.find((c) => c[0] === 'qe')!.find((a) => a.startsWith('/q:'))!;
    expect(firstQuery).not.toContain(new Date(SINCE).toISOString());
  });
});

describe('restart: the watch start time and the record id, no bookmark file', () => {
  it('a watcher restarted with the same start time reads the same events again as identical signals (the note side drops them by key)', async () => {
    const run = async (): Promise<Signal[]> => {
      const fake = new FakeSubscription();
      const { log, signals } = windowsEventLog({
        runner: new WevtutilAnswers({ gli: WINDOWS_GLI, qe: () => [] }),
        subscribe: (_c, query, callbacks) => Promise.resolve(((fake.query = query), (fake.callbacks = callbacks), { close: () => Promise.resolve() })),
      });
      log.start();
      await log.ready();
      expect(fake.query).toBe(crashEventsXPath(SINCE)); // from the start time: an event written while no watcher ran is read
      fake.push(eventXml);
      await log.stop();
      return signals;
    };
    const first = await run();
    const second = await run();
    expect(second).toEqual(first);
    const key = (s: Signal): string => `${s.source}:${s.origin}:${s.kind}:${s.at}`;
    expect(new Set([...first, ...second].map(key)).size).toBe(first.length);
  });

  it('the gate lets nothing through from before the start time, nor the same record twice within the overlap', () => {
    const records = parseEventLogXml(eventXml.join('\r\n'));
    const out: Signal[] = [];
    const gate = new EventRecordGate({ profiles: PROFILES, sinceMs: Date.parse('2026-01-05T10:00:00Z'), onSignal: (s) => out.push(s) });
    gate.admit(records);
    gate.admit(records.slice(-1));
    expect(out.map((s) => s.origin)).toEqual(['eventlog:Application:48247', 'eventlog:Application:48248', 'eventlog:Application:48302']);
    expect(gate.queryFrom()).toBe(Date.parse('2026-01-05T14:20:05.901Z') - 5000);
  });
});

describe('the fallback decision', () => {
  it('reads wevtutil gli: Windows prints the log’s facts or an error (a log exists); Wine, or no wevtutil, prints nothing', () => {
    expect(eventLogPresence(WINDOWS_GLI)).toBe('present');
    expect(eventLogPresence({ stdout: '', stderr: 'Failed to read log information. Access is denied.\r\n', code: 5 })).toBe('present');
    expect(eventLogPresence(WINE_GLI)).toBe('absent');
    expect(eventLogPresence({ stdout: '\r\n', stderr: '', code: null })).toBe('absent');
  });

  it('a subscription wins without asking wevtutil; without one, a log is polled and no log is not', async () => {
    let asked = 0;
    const presence = (found: EventLogPresence) => () => Promise.resolve((asked++, found));
    expect(await eventLogReading({ ok: true }, presence('present'))).toEqual({ kind: 'subscription' });
    expect(asked).toBe(0);
    expect(await eventLogReading({ ok: false, error: 'EvtSubscribe failed (Windows error 5)' }, presence('present'))).toEqual({ kind: 'poll', why: 'EvtSubscribe failed (Windows error 5)' });
    expect(await eventLogReading({ ok: false, error: 'EvtSubscribe failed (Windows error 0)' }, presence('absent'))).toEqual({ kind: 'absent', why: 'EvtSubscribe failed (Windows error 0)' });
  });

  it('Windows with a log but no subscription: wevtutil is polled as before, and that is said once', async () => {
    const runner = new WevtutilAnswers({ gli: WINDOWS_GLI, qe: () => eventXml });
    const { log, signals, diagnostics } = windowsEventLog({ runner });
    log.start();
    await log.ready();
    expect(log.mode).toBe('poll');
    await waitFor(() => runner.count('qe') >= 3, { what: 'three wevtutil polls', timeoutMs: 5000 });
    await log.stop();
    expect(signals).toEqual(await wevtutilSignals());
    expect(runner.count('gli')).toBe(1);
    expect(diagnostics).toEqual(['the Event Log subscription is unavailable (EvtSubscribe failed (Windows error 0)): reading the Event Log with wevtutil every 0.01 s instead']);
  });

  it('no Event Log (Wine): said once, never polled, looked for again every recheck, and read once it appears', async () => {
    let gli = WINE_GLI;
    const runner = new WevtutilAnswers({ get gli() { return gli; }, qe: () => eventXml });
    const { log, signals, diagnostics } = windowsEventLog({ runner, recheckMs: 20 });
    log.start();
    await log.ready();
    expect(log.mode).toBe('absent');
    await waitFor(() => runner.count('gli') >= 4, { what: 'three rechecks', timeoutMs: 5000 });
    expect(runner.count('qe')).toBe(0);
    expect(diagnostics).toEqual([eventLogMissing('EvtSubscribe failed (Windows error 0)')]);

    gli = WINDOWS_GLI; // the Event Log service came up
    await waitFor(() => runner.count('qe') >= 1, { what: 'the poll to start once the log is there', timeoutMs: 5000 });
    await waitFor(() => signals.length === 5, { what: 'the events to be read', timeoutMs: 5000 });
    await log.stop();
    expect(diagnostics).toEqual([eventLogMissing('EvtSubscribe failed (Windows error 0)'), 'the Windows Event Log is available now, but the Event Log subscription is unavailable (EvtSubscribe failed (Windows error 0)): reading the Event Log with wevtutil every 0.01 s instead']);
  });
});
