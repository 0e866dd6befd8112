import type { Signal } from '../../common/signal.ts';
import type { CompiledPatterns } from '../config/profiles.ts';
import { exceptionSignature } from '../incidents/signature.ts';

const ISO_OR_LOG4NET = /^\[?(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,3}))?(Z|[+-]\d{2}:?\d{2})?/;
const DAY_FIRST = /^\[?(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,3}))?/;

/**
 * The time a log record states at its start. log4net and NLog write local time without a zone,
 * so it is read as this machine's local time; UK day-first dates (05/01/2026) are day/month.
 */
export function logRecordTime(text: string): number | null {
  const iso = ISO_OR_LOG4NET.exec(text);
  if (iso) {
    const [, y, mo, d, h, mi, s, ms, zone] = iso;
    const millis = Number((ms ?? '0').padEnd(3, '0'));
    if (zone) return Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}.${String(millis).padStart(3, '0')}${zone === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`);
    return new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), millis).getTime();
  }
  const dmy = DAY_FIRST.exec(text);
  if (dmy) {
    const [, d, mo, y, h, mi, s, ms] = dmy;
    return new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number((ms ?? '0').padEnd(3, '0'))).getTime();
  }
  return null;
}

/** Which kind of signal a record is, by the profile's patterns; crash wins over hang over slow. */
export function classifyLogRecord(text: string, patterns: CompiledPatterns): Signal['kind'] | 'normal-exit' | null {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  if (patterns.crash.some((p) => p.test(text))) return 'crash';
  if (patterns.hang.some((p) => p.test(firstLine))) return 'hang';
  if (patterns.slow.some((p) => p.test(firstLine))) return 'slow';
  if (patterns.normalExit.some((p) => p.test(firstLine))) return 'normal-exit';
  return null;
}

/**
 * A log record that matches the profile becomes a signal. A logged clean shutdown becomes an
 * exit with code 0, which tells the correlator that the process exit that follows is no crash.
 */
export function logRecordSignal(
  record: { text: string; path: string },
  profile: { name: string; app: string; patterns: CompiledPatterns },
  fallbackTime: number,
): Signal | null {
  const kind = classifyLogRecord(record.text, profile.patterns);
  if (kind === null) return null;
  const at = logRecordTime(record.text) ?? fallbackTime;
  const firstLine = (record.text.split(/\r?\n/, 1)[0] ?? '').slice(0, 500);
  const signature = kind === 'crash' ? exceptionSignature(record.text) : null;
  return {
    source: 'log',
    kind: kind === 'normal-exit' ? 'exit' : kind,
    at,
    app: profile.app,
    profile: profile.name,
    detail: firstLine,
    origin: record.path,
    ...(kind === 'normal-exit' ? { exitCode: 0 } : {}),
    ...(signature ? { signature } : {}),
  };
}
