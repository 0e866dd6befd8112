/**
 * Windows FILETIME: 100-nanosecond ticks since 1601-01-01 UTC, as written in Report.wer
 * (`EventTime=133211708571634483`). The values exceed 2^53, so Number would lose the last digits
 * and shift times by up to a microsecond-scale step or worse; all arithmetic is BigInt.
 */

const TICKS_PER_MS = 10_000n;
/** Milliseconds from 1601-01-01 to 1970-01-01. */
const EPOCH_DIFFERENCE_MS = 11_644_473_600_000n;

/** FILETIME → ms since the Unix epoch (UTC), truncated to the millisecond. Throws on a non-integer. */
export function filetimeToMs(ticks: string | bigint): number {
  const value = typeof ticks === 'bigint' ? ticks : parseTicks(ticks);
  return Number(value / TICKS_PER_MS - EPOCH_DIFFERENCE_MS);
}

/** ms since the Unix epoch → FILETIME ticks (what WER would write for that instant). */
export function msToFiletime(ms: number): bigint {
  if (!Number.isFinite(ms)) throw new RangeError(`not a finite time: ${ms}`);
  return (BigInt(Math.trunc(ms)) + EPOCH_DIFFERENCE_MS) * TICKS_PER_MS;
}

function parseTicks(text: string): bigint {
  const trimmed = text.trim();
  if (!/^\d{1,20}$/.test(trimmed)) throw new RangeError(`not a FILETIME tick count: "${text}"`);
  return BigInt(trimmed);
}
