/**
 * Groups log lines into records: a record starts at a line that begins with a timestamp
 * (log4net, NLog and the clinical clients' own layouts), and every following line that does
 * not — .NET stack frames, "--- End of inner exception stack trace ---", "Exception: ..."
 * continuations, blank lines — belongs to it. Pure: no I/O, no clock. The caller decides when
 * a record has waited long enough (see LogTailer's quiet flush) and calls flush().
 */

export interface LogRecord {
  /** The record's lines joined with "\n" (CR removed, trailing blank lines dropped, capped). */
  text: string;
  /** Byte offset in the file of the record's first byte. */
  startOffset: number;
  /** Lines the record spans in the file, including any dropped by the caps. */
  lines: number;
  /** A line was cut at the line limit or lines were dropped at the record limit. */
  truncated: boolean;
}

export interface RecordLimits {
  maxLines: number;
  /** In UTF-16 code units of text: about 1 MiB of log for the usual ASCII. */
  maxChars: number;
}

/** A runaway stack trace (or a log with no timestamps) must not grow a record without bound. */
export const DEFAULT_RECORD_LIMITS: RecordLimits = { maxLines: 200, maxChars: 1024 * 1024 };

const DIGIT_0 = 48;
const DIGIT_9 = 57;
const OPEN_BRACKET = 91;
// 2026-01-05 09:41:07,123 | 2026-01-05T09:41:07.123Z | 05/01/2026 09:41:07 | [2026-01-05 09:41:07]
const TIMESTAMP_AT_LINE_START = /^\[?(?:\d{4}-\d{2}-\d{2}[ T]|\d{2}[/.-]\d{2}[/.-]\d{4}[ T])\d{2}:\d{2}(?::\d{2})?/;

export function startsRecord(line: string): boolean {
  const first = line.charCodeAt(0);
  // Most continuation lines start with a space ("   at ..."): reject them before the regex.
  if ((first < DIGIT_0 || first > DIGIT_9) && first !== OPEN_BRACKET) return false;
  return TIMESTAMP_AT_LINE_START.test(line);
}

/** Accumulates one record's lines within the limits. */
class RecordBuilder {
  private readonly limits: RecordLimits;
  private kept: string[] = [];
  private chars = 0;
  private lineCount = 0;
  private truncated = false;

  constructor(limits: RecordLimits) {
    this.limits = limits;
  }

  add(line: string, lineWasCut: boolean): void {
    this.lineCount++;
    if (lineWasCut) this.truncated = true;
    const room = this.limits.maxChars - this.chars;
    if (this.kept.length >= this.limits.maxLines || room <= 0) {
      this.truncated = true;
      return;
    }
    const keptLine = line.length <= room ? line : line.slice(0, room);
    if (keptLine !== line) this.truncated = true;
    this.kept.push(keptLine);
    this.chars += keptLine.length + 1;
  }

  build(startOffset: number): LogRecord {
    const kept = this.kept;
    while (kept.length > 1 && isBlank(kept[kept.length - 1]!)) kept.pop();
    return { text: kept.length === 1 ? kept[0]! : kept.join('\n'), startOffset, lines: this.lineCount, truncated: this.truncated };
  }
}

const NOT_BLANK = /\S/;
function isBlank(line: string): boolean {
  return !NOT_BLANK.test(line);
}

/** Streaming splitter: push lines in file order; records come out through `onRecord`. */
export class LogRecordSplitter {
  private readonly onRecord: (record: LogRecord) => void;
  private readonly limits: RecordLimits;
  private open: RecordBuilder | null = null;
  private openStart = 0;

  constructor(onRecord: (record: LogRecord) => void, limits: RecordLimits = DEFAULT_RECORD_LIMITS) {
    this.onRecord = onRecord;
    this.limits = limits;
  }

  /** File offset of the record still being collected, or null when every line has been handed over. */
  get pendingStartOffset(): number | null {
    return this.open ? this.openStart : null;
  }

  /**
   * `text` without its line ending; `startOffset` its byte offset in the file. Lines before the
   * first timestamp (a file that starts mid-record) form a record of their own.
   */
  pushLine(text: string, startOffset: number, lineWasCut = false): void {
    if (!this.open || startsRecord(text)) {
      this.flush();
      this.open = new RecordBuilder(this.limits);
      this.openStart = startOffset;
    }
    this.open.add(text, lineWasCut);
  }

  /** Hands over the record being collected (its next line may never come). */
  flush(): void {
    if (!this.open) return;
    const record = this.open.build(this.openStart);
    this.open = null;
    this.onRecord(record);
  }
}

/**
 * One record from raw text known to span exactly one record (the offline scanner finds the
 * bounds itself); `hadCutLine` when one of its lines was cut by the decoder.
 */
export function recordFromText(raw: string, startOffset: number, hadCutLine = false, limits: RecordLimits = DEFAULT_RECORD_LIMITS): LogRecord {
  const builder = new RecordBuilder(limits);
  let start = 0;
  while (start < raw.length) {
    const newlineAt = raw.indexOf('\n', start);
    const end = newlineAt === -1 ? raw.length : newlineAt;
    const textEnd = end > start && raw.charCodeAt(end - 1) === 13 ? end - 1 : end;
    builder.add(raw.slice(start, textEnd), false);
    start = end + 1;
  }
  const record = builder.build(startOffset);
  if (hadCutLine) record.truncated = true;
  return record;
}
