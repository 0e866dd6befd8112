import { describe, expect, it } from 'vitest';
import { parseWallTimeText, wallTimeToMs, UnknownTimeZoneError, checkTimeZone } from '../../../../app/common/wallTime.ts';
import { classifyHead } from '../../../../app/core/scan/detectArtefact.ts';
import { parseEventViewerText, parsePastedDate } from '../../../../app/core/watch/eventlog/eventViewerText.ts';
import { logRecordTime } from '../../../../app/core/watch/logRecordSignal.ts';

const utf16 = (text: string): Buffer => Buffer.from(text, 'utf16le');

describe('what a file is, by content', () => {
  it.each([
    ['Report.wer in UTF-16LE without a BOM', utf16('Version=1\r\nEventType=APPCRASH\r\nEventTime=1\r\n'), 'wer'],
    ['an export in UTF-16LE without a BOM', utf16("<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"), 'eventlog-xml'],
    ['an XML-view copy', Buffer.from('- <Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">\n- <System>'), 'eventlog-xml'],
    ['a Details paste', Buffer.from('Log Name:      Application\r\nSource:        Application Error\r\n'), 'eventviewer-text'],
    ['a localized paste around its Event Xml', Buffer.from('Název protokolu: Application\nKód XML události:\n<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">'), 'eventlog-xml'],
    ['a log in UTF-16LE without a BOM', utf16('2026-01-05 09:41:07,123 [1] INFO started\r\n'.repeat(4)), 'log'],
    ['random bytes', Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 2654435761) >>> 24)), 'binary'],
    ['a UTF-8 log cut inside a character', Buffer.from('2026-01-05 INFO défaillant').subarray(0, 18), 'log'],
    ['an .evtx', Buffer.concat([Buffer.from('ElfFile\u0000'), Buffer.alloc(100)]), 'evtx'],
  ])('%s', (_label, head, kind) => {
    expect(classifyHead(head)).toBe(kind);
  });
});

describe('times people and tools write', () => {
  it('reads a time without an offset in the named zone, with one in exactly that offset', () => {
    expect(parseWallTimeText('2026-07-06T18:30', 'Europe/London')).toBe(Date.parse('2026-07-06T17:30:00Z'));
    expect(parseWallTimeText('2026-07-06', 'Europe/London')).toBe(Date.parse('2026-07-05T23:00:00Z'));
    expect(parseWallTimeText('2026-01-06', 'Europe/London')).toBe(Date.parse('2026-01-06T00:00:00Z'));
    expect(parseWallTimeText('2026-07-06T18:30:00Z', 'Europe/London')).toBe(Date.parse('2026-07-06T18:30:00Z'));
    expect(parseWallTimeText('2026-07-06 18:30:00 -05:00')).toBe(Date.parse('2026-07-06T23:30:00Z'));
    expect(parseWallTimeText('yesterday')).toBeNull();
    expect(parseWallTimeText('1')).toBeNull();
  });

  it('refuses a date or time the calendar does not have instead of shifting it', () => {
    for (const impossible of ['2026-02-30', '2026-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '2026-01-00', '2026-01-05T24:00', '2026-01-05T09:60', '2026-01-05T09:00:61Z']) {
      expect(parseWallTimeText(impossible, 'Europe/London'), impossible).toBeNull();
    }
    expect(parseWallTimeText('2028-02-29', 'Europe/London')).toBe(Date.parse('2028-02-29T00:00:00Z'));
    expect(parseWallTimeText('2026-12-31T23:59:59Z')).toBe(Date.parse('2026-12-31T23:59:59Z'));
    expect(() => checkTimeZone('Europe/Londn')).toThrow(UnknownTimeZoneError);
  });

  it('takes the earlier instant when the clocks go back, and the same rule without a zone uses this computer', () => {
    // 01:30 happens twice in Europe/London on 2026-10-25.
    expect(wallTimeToMs({ year: 2026, month: 10, day: 25, hour: 1, minute: 30, second: 0, millisecond: 0 }, 'Europe/London')).toBe(Date.parse('2026-10-25T00:30:00Z'));
    expect(wallTimeToMs({ year: 2026, month: 1, day: 5, hour: 9, minute: 0, second: 0, millisecond: 0 })).toBe(new Date(2026, 0, 5, 9).getTime());
  });

  it('dates log records by their timestamp in --log-timezone, by a Time: line with its offset, or not at all', () => {
    expect(logRecordTime('2026-07-06 09:41:07,123 [1] FATAL x', 'Europe/London')).toEqual({ at: Date.parse('2026-07-06T08:41:07.123Z'), from: 'timestamp' });
    expect(logRecordTime('2026-07-06T09:41:07Z x', 'America/New_York')).toEqual({ at: Date.parse('2026-07-06T09:41:07Z'), from: 'timestamp' });
    expect(logRecordTime('Greenshot 1.2\nTime: 2026-02-26 23:03:21 -05:00\nException: System.X', 'Europe/London')).toEqual({ at: Date.parse('2026-02-27T04:03:21Z'), from: 'time-line' });
    expect(logRecordTime('no time here\n   at Foo()')).toBeNull();
  });

  it('reads Event Viewer dates in the PC locale: month first with AM/PM, day first without', () => {
    expect(parsePastedDate('9/12/2010 12:57:47 PM', 'UTC')).toBe(Date.parse('2010-09-12T12:57:47Z'));
    expect(parsePastedDate('21/01/2014 09:09:23', 'Europe/London')).toBe(Date.parse('2014-01-21T09:09:23Z'));
    expect(parsePastedDate('2025-02-21 9:48:48 AM', 'UTC')).toBe(Date.parse('2025-02-21T09:48:48Z'));
    expect(parsePastedDate('1/21/2014 9:09:23 AM', 'UTC')).toBe(Date.parse('2014-01-21T09:09:23Z'));
    expect(parsePastedDate('lundi', 'UTC')).toBeNull();
  });

  it('reads a Details paste from its Event Xml block when whole, and from its text otherwise', () => {
    const header = ['Log Name:      Application', 'Source:        Application Hang', 'Date:          05/01/2026 09:41:07', 'Event ID:      1002', 'Level:         Error', 'Computer:      PC07', 'Description:', 'The program EmisWeb.exe version 9.2.1.0 stopped interacting with Windows and was closed.', ' Process ID: 1a2c'];
    const xml = "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Application Hang'/><EventID>1002</EventID><Level>2</Level><TimeCreated SystemTime='2026-01-05T09:41:07.5Z'/><EventRecordID>7</EventRecordID></System><EventData><Data>EmisWeb.exe</Data></EventData></Event>";
    const fromXml = parseEventViewerText([...header, 'Event Xml:', xml].join('\r\n'), 'Europe/London');
    expect(fromXml.records.map((r) => [r.recordId, r.timeCreated, r.data[0]])).toEqual([[7, Date.parse('2026-01-05T09:41:07.500Z'), 'EmisWeb.exe']]);
    const fromText = parseEventViewerText(header.join('\n'), 'Europe/London');
    expect(fromText.records.map((r) => [r.provider, r.eventId, r.level, r.timeCreated, r.recordId])).toEqual([['Application Hang', 1002, 2, Date.parse('2026-01-05T09:41:07Z'), null]]);
  });
});
