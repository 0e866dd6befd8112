import { describe, expect, it } from 'vitest';
import { LogRecordSplitter, recordFromText, startsRecord, type LogRecord } from '../../../../../app/core/watch/logs/logRecords.ts';

function split(lines: string[]): LogRecord[] {
  const records: LogRecord[] = [];
  const splitter = new LogRecordSplitter((record) => records.push(record));
  let offset = 0;
  for (const line of lines) {
    splitter.pushLine(line, offset);
    offset += Buffer.byteLength(line) + 1;
  }
  splitter.flush();
  return records;
}

describe('startsRecord', () => {
  it.each([
    '2026-01-05 09:41:07,123 [12] INFO  Emis.Web - opened',
    '2026-01-05T09:41:07.123Z ERROR boom',
    '05/01/2026 09:41:07 WARN slow',
    '[2026-01-05 09:41:07] FATAL x',
    '2026-01-05 09:41:07.1234|INFO|NLog style',
  ])('a timestamped line starts a record: %s', (line) => expect(startsRecord(line)).toBe(true));

  it.each([
    '   at Emis.Web.Clinical.Save() in C:\\src\\Save.cs:line 10',
    '--- End of inner exception stack trace ---',
    'System.OutOfMemoryException: Exception of type System.OutOfMemoryException was thrown.',
    '',
    '2026 was a year',
    '12345 records',
  ])('a continuation line does not: %s', (line) => expect(startsRecord(line)).toBe(false));
});

describe('LogRecordSplitter', () => {
  it('keeps a multi-line .NET stack trace with the line that started it', () => {
    const records = split([
      '2026-01-05 09:41:07,123 [1] INFO  App - before',
      '2026-01-05 09:41:08,000 [1] FATAL App - EMIS Web has encountered a serious problem and needs to close',
      'System.InvalidOperationException: outer ---> System.NullReferenceException: inner',
      '   at Emis.Web.Foo.Bar()',
      '   --- End of inner exception stack trace ---',
      '   at Emis.Web.App.Main()',
      '',
      '2026-01-05 09:41:09,000 [1] INFO  App - after',
    ]);
    expect(records.map((r) => r.lines)).toEqual([1, 6, 1]);
    expect(records[1]!.text.split('\n')).toHaveLength(5); // the trailing blank line is counted, not kept
    expect(records[1]!.text).toContain('   at Emis.Web.App.Main()');
    expect(records[1]!.startOffset).toBe(Buffer.byteLength(records[0]!.text) + 1);
    expect(records[2]!.text).toContain('after');
  });

  it('holds the last record until the next one starts or flush() is called', () => {
    const records: LogRecord[] = [];
    const splitter = new LogRecordSplitter((record) => records.push(record));
    splitter.pushLine('2026-01-05 09:41:07,123 ERROR x', 0);
    splitter.pushLine('   at A()', 32);
    expect(records).toHaveLength(0);
    expect(splitter.pendingStartOffset).toBe(0);
    splitter.flush();
    expect(records).toHaveLength(1);
    expect(splitter.pendingStartOffset).toBeNull();
  });

  it('makes a record of lines that precede the first timestamp (a file read from mid-record)', () => {
    const records = split(['   at Tail()', '2026-01-05 09:41:07,123 INFO next']);
    expect(records.map((r) => r.text)).toEqual(['   at Tail()', '2026-01-05 09:41:07,123 INFO next']);
  });

  it('caps a record at 200 lines and marks it truncated, still counting every line', () => {
    const frames = Array.from({ length: 500 }, (_, i) => `   at Frame${i}()`);
    const [record] = split(['2026-01-05 09:41:07,123 ERROR deep', ...frames]);
    expect(record!.lines).toBe(501);
    expect(record!.text.split('\n')).toHaveLength(200);
    expect(record!.truncated).toBe(true);
  });

  it('marks a record holding a cut line as truncated', () => {
    const records: LogRecord[] = [];
    const splitter = new LogRecordSplitter((record) => records.push(record));
    splitter.pushLine('2026-01-05 09:41:07,123 INFO long', 0, true);
    splitter.flush();
    expect(records[0]!.truncated).toBe(true);
  });
});

describe('recordFromText', () => {
  it('builds the same record as the splitter, CRLF removed', () => {
    const record = recordFromText('2026-01-05 09:41:07,123 ERROR x\r\n   at A()\r\n', 40);
    expect(record).toEqual({ text: '2026-01-05 09:41:07,123 ERROR x\n   at A()', startOffset: 40, lines: 2, truncated: false });
  });
});
