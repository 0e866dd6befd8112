import type { Signal } from '../../common/signal.ts';
import { offsetMinutes, wallTimeToMs } from '../../common/wallTime.ts';
import type { CompiledPatterns } from '../config/profiles.ts';
import { exceptionSignature } from '../incidents/signature.ts';
import { boundedRecord } from './logs/linePattern.ts';

const ISO_OR_LOG4NET = /^\[?(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s?(Z|[+-]\d{2}:?\d{2})?/;
const DAY_FIRST = /^\[?(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?/;
/** .NET crash-report files (Greenshot and others): "Time: 2026-02-26 23:03:21 -05:00" on its own line. */
const TIME_LINE = /^[ \t]*Time:[ \t]*(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?[ \t]*(Z|[+-]\d{2}:?\d{2})?[ \t]*$/m;

/** Ends the evidence line of a record that states no time (dated by the caller's fallback). */
export const UNDATED_NOTE = '(the record states no time of its own)';

/** Where a record's time came from: its first line, a "Time:" line, or nowhere (the caller's fallback). */
export interface RecordTime {
  at: number;
  from: 'timestamp' | 'time-line';
}

/**
 * The time a log record states: the timestamp it starts with, else a `Time:` line inside it. An
 * explicit offset (Z, +01:00) is honoured; log4net and NLog write local time without a zone, read
 * in `timeZone` (the zone the log was written in; undefined: this computer's). UK day-first dates
 * (05/01/2026) are day/month.
 */
export function logRecordTime(text: string, timeZone?: string): RecordTime | null {
  const iso = ISO_OR_LOG4NET.exec(text);
  if (iso) return { at: fromFields(iso[1]!, iso[2]!, iso[3]!, iso[4]!, iso[5]!, iso[6]!, iso[7], iso[8], timeZone), from: 'timestamp' };
  const dmy = DAY_FIRST.exec(text);
  if (dmy) return { at: fromFields(dmy[3]!, dmy[2]!, dmy[1]!, dmy[4]!, dmy[5]!, dmy[6]!, dmy[7], undefined, timeZone), from: 'timestamp' };
  const line = TIME_LINE.exec(text.length > 16_384 ? text.slice(0, 16_384) : text);
  if (line) return { at: fromFields(line[1]!, line[2]!, line[3]!, line[4]!, line[5]!, line[6]!, line[7], line[8], timeZone), from: 'time-line' };
  return null;
}

function fromFields(y: string, mo: string, d: string, h: string, mi: string, s: string, fraction: string | undefined, zone: string | undefined, timeZone: string | undefined): number {
  const wall = { year: Number(y), month: Number(mo), day: Number(d), hour: Number(h), minute: Number(mi), second: Number(s), millisecond: Number((fraction ?? '0').padEnd(3, '0').slice(0, 3)) };
  if (zone !== undefined) return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond) - offsetMinutes(zone) * 60_000;
  return wallTimeToMs(wall, timeZone);
}

/**
 * Which kind of signal a record is, by the profile's patterns; crash wins over hang over slow.
 * Patterns see each line (so `^` works) and the record as a whole, on a bounded prefix.
 */
export function classifyLogRecord(text: string, patterns: CompiledPatterns): Signal['kind'] | 'normal-exit' | null {
  const bounded = boundedRecord(text);
  if (patterns.crash.some((p) => p.test(bounded))) return 'crash';
  if (patterns.hang.some((p) => p.test(bounded))) return 'hang';
  if (patterns.slow.some((p) => p.test(bounded))) return 'slow';
  if (patterns.normalExit.some((p) => p.test(bounded))) return 'normal-exit';
  return null;
}

export interface LogRecordContext {
  name: string;
  /** The client's executable, or "unknown" when the file is not known to be the client's log. */
  app: string;
  patterns: CompiledPatterns;
  /** IANA zone the log was written in (`--log-timezone`); undefined: this computer's. */
  timeZone?: string;
  /** Prefix for the evidence line, e.g. the file name when the app is unknown. */
  evidencePrefix?: string;
}

/**
 * A log record that matches the profile becomes a signal. A logged clean shutdown becomes an
 * exit with code 0, which tells the correlator that the process exit that follows is no crash.
 * A record that states no time at all is dated `fallbackTime` and the evidence says so.
 */
export function logRecordSignal(record: { text: string; path: string }, profile: LogRecordContext, fallbackTime: number): Signal | null {
  const kind = classifyLogRecord(record.text, profile.patterns);
  if (kind === null) return null;
  const time = logRecordTime(record.text, profile.timeZone);
  const firstLine = (record.text.split(/\r?\n/, 1)[0] ?? '').slice(0, 500);
  const undated = time === null ? ` ${UNDATED_NOTE}` : '';
  const signature = kind === 'crash' ? exceptionSignature(record.text) : null;
  return {
    source: 'log',
    kind: kind === 'normal-exit' ? 'exit' : kind,
    at: time?.at ?? fallbackTime,
    app: profile.app,
    profile: profile.name,
    detail: `${profile.evidencePrefix ?? ''}${firstLine}${undated}`,
    origin: record.path,
    ...(kind === 'normal-exit' ? { exitCode: 0 } : {}),
    ...(signature ? { signature } : {}),
  };
}
