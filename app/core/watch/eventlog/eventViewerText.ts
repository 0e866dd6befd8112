import { wallTimeToMs } from '../../../common/wallTime.ts';
import { EventXmlSplitter, parseEventElement, type EventProblem, type EventRecord } from './eventLogXml.ts';

/**
 * Event Viewer's "Copy → Copy details as text" (what IT pastes into a ticket or a text file):
 *
 *   Log Name:      Application
 *   Source:        Application Error
 *   Date:          9/12/2010 12:57:47 PM        ← the PC's locale and zone
 *   Event ID:      1000
 *   Level:         Error
 *   Computer:      Web4
 *   Description:
 *   Faulting application name: w3wp.exe, version: …
 *   Event Xml:
 *   <Event xmlns="…">…</Event>
 *
 * The `Event Xml:` block is the exact event (UTC time, EventData) and is preferred; without it the
 * header fields and the Description are read, the date in the zone the PC was in (`timeZone`,
 * else this computer's), day-first unless it has AM/PM (en-GB vs en-US, the two locales a UK
 * practice meets). Several pastes in one file are read one after another.
 */
export function parseEventViewerText(text: string, timeZone?: string): { records: EventRecord[]; events: number; problems: EventProblem[] } {
  const records: EventRecord[] = [];
  const problems: EventProblem[] = [];
  const blocks = text.replace(/^\uFEFF/, '').split(/^(?=[ \t]*Log Name:)/m).filter((block) => /^[ \t]*Log Name:/.test(block));
  blocks.forEach((block, i) => {
    const index = i + 1;
    const xmlAt = block.search(/^[ \t]*Event Xml:/m);
    if (xmlAt !== -1) {
      const fromXml: EventRecord[] = [];
      let reason: string | null = null;
      const splitter = new EventXmlSplitter(
        (xml) => {
          const result = parseEventElement(xml);
          if (typeof result === 'string') reason ??= result;
          else fromXml.push(result);
        },
        (problem) => (reason ??= problem.reason),
      );
      splitter.write(block.slice(xmlAt));
      splitter.end();
      if (fromXml.length > 0) {
        const description = header(block).description;
        records.push(...fromXml.map((record) => (record.message === undefined && description ? { ...record, message: description } : record)));
        return;
      }
      if (reason !== null) problems.push({ event: index, reason: `its Event Xml block is unreadable (${reason}); read from the text instead` });
    }
    const fromText = recordFromHeader(block, timeZone);
    if (typeof fromText === 'string') problems.push({ event: index, reason: fromText });
    else records.push(fromText);
  });
  return { records, events: blocks.length, problems };
}

interface Header {
  fields: Record<string, string>;
  description: string;
}

function header(block: string): Header {
  const fields: Record<string, string> = {};
  const lines = block.split(/\r\n|\n|\r/);
  let i = 0;
  for (; i < lines.length; i++) {
    const m = /^[ \t]*([A-Za-z][A-Za-z ]*?):[ \t]*(.*?)\s*$/.exec(lines[i]!);
    if (!m) continue;
    const name = m[1]!.toLowerCase();
    if (name === 'description') break;
    fields[name] = m[2]!;
  }
  const rest = lines.slice(i + 1);
  const end = rest.findIndex((line) => /^[ \t]*Event Xml:/.test(line));
  const description = (end === -1 ? rest : rest.slice(0, end)).join('\n').trim();
  return { fields, description };
}

const LEVELS: Record<string, number> = { critical: 1, error: 2, warning: 3, information: 4, verbose: 5 };

function recordFromHeader(block: string, timeZone: string | undefined): EventRecord | string {
  const { fields, description } = header(block);
  const provider = fields['source']?.trim();
  if (!provider) return 'no Source: line';
  const eventId = Number(fields['event id']);
  if (!Number.isInteger(eventId)) return `${provider}: no numeric Event ID: line`;
  const timeCreated = parsePastedDate(fields['date'] ?? '', timeZone);
  if (timeCreated === null) return `${provider} ${eventId}: its Date: "${fields['date'] ?? ''}" is not a date Lifeboat can read`;
  const record: EventRecord = {
    provider,
    eventId,
    qualifiers: null,
    level: LEVELS[(fields['level'] ?? '').toLowerCase()] ?? null,
    timeCreated,
    recordId: null,
    channel: fields['log name']?.trim() || null,
    computer: fields['computer']?.trim() ?? '',
    data: [],
    namedData: {},
  };
  if (description) record.message = description;
  return record;
}

/**
 * A date as Event Viewer prints it in the PC's locale: "9/12/2010 12:57:47 PM" (en-US, month
 * first), "21/01/2014 09:09:23" (en-GB, day first), "2014-01-21 09:09:23" (ISO-style locales).
 */
export function parsePastedDate(text: string, timeZone?: string): number | null {
  const m = /^\s*(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?\s*([AaPp]\.?[Mm]\.?)?\s*$/.exec(text);
  if (!m) return null;
  const [a, b, c, h, mi, s] = m.slice(1, 7).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  const meridiem = m[7]?.toLowerCase().replace(/\./g, '');
  let year: number;
  let month: number;
  let day: number;
  if (m[1]!.length === 4) [year, month, day] = [a, b, c];
  else {
    year = c < 100 ? 2000 + c : c;
    // AM/PM means a month-first (US) locale; otherwise day-first (UK). A value over 12 settles it either way.
    [month, day] = meridiem !== undefined ? [a, b] : [b, a];
    if (month > 12 && day <= 12) [month, day] = [day, month];
  }
  let hour = h;
  if (meridiem === 'pm' && hour < 12) hour += 12;
  if (meridiem === 'am' && hour === 12) hour = 0;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || mi > 59 || s > 60) return null;
  return wallTimeToMs({ year, month, day, hour, minute: mi, second: s, millisecond: 0 }, timeZone);
}
