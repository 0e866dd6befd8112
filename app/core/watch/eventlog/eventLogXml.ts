import { SaxesParser, type SaxesTag } from 'saxes';

export { eventSignal } from './eventSignal.ts';

/** One Windows event as `wevtutil qe ... /f:xml`, Event Viewer or a tool dump writes it. */
export interface EventRecord {
  provider: string;
  eventId: number;
  /** `<EventID Qualifiers='0'>`: classic (pre-Vista style) sources carry it; null when absent. */
  qualifiers: number | null;
  /** 1 critical, 2 error, 3 warning, 4 information; null when absent. */
  level: number | null;
  /** System/TimeCreated/@SystemTime (UTC) as ms since the epoch. */
  timeCreated: number;
  /** Negative in Azure App Service exports; null when absent (pastes, some tool dumps). */
  recordId: number | null;
  channel: string | null;
  computer: string;
  /** EventData/Data values in document order, named or not (older manifests leave them unnamed). */
  data: string[];
  /** The named ones, Name → value (Windows 11 / Server 2025 name Application Error's fields). */
  namedData: Record<string, string>;
  /** RenderingInfo/Message (RenderedXml exports), or the Description of an Event Viewer text copy. */
  message?: string;
}

/** The text is not event-log XML at all: says where and why, so IT can check the export. */
export class EventLogParseError extends Error {
  override readonly name = 'EventLogParseError';
}

/** One event that could not be read; the rest of the export is read regardless. */
export interface EventProblem {
  /** 1-based position of the event in the export. */
  event: number;
  reason: string;
}

/** An event longer than this is not one (a missing end tag swallowing the file): skipped, the next one read. */
export const MAX_EVENT_CHARS = 4 * 1024 * 1024;

/**
 * Cuts a stream of text into `<Event …>…</Event>` elements, whatever surrounds them: no root
 * (wevtutil), an `<Events>` root (Event Viewer, Azure App Service), an XML declaration, the
 * `- ` tree markers of an Event Viewer XML-view copy, or the text of a "Details" paste. Each
 * element is then parsed on its own, so a bad event costs that event, never the file, and
 * memory holds one event at a time.
 */
export class EventXmlSplitter {
  private buffer = '';
  private count = 0;
  private readonly onElement: (xml: string, index: number) => void;
  private readonly onProblem: (problem: EventProblem) => void;
  /** Inside an over-long element: skip to its end tag (or the next start tag). */
  private skipping = false;

  constructor(onElement: (xml: string, index: number) => void, onProblem: (problem: EventProblem) => void) {
    this.onElement = onElement;
    this.onProblem = onProblem;
  }

  /** Events found so far (complete, bad and skipped alike). */
  get events(): number {
    return this.count;
  }

  write(text: string): void {
    this.buffer += text;
    let at = 0;
    for (;;) {
      if (this.skipping) {
        const end = this.buffer.indexOf('</Event>', at);
        const next = findEventStart(this.buffer, at);
        if (end === -1 && next === -1) {
          at = Math.max(at, this.buffer.length - 16);
          break;
        }
        this.skipping = false;
        at = next !== -1 && (end === -1 || next < end) ? next : end + '</Event>'.length;
        continue;
      }
      const start = findEventStart(this.buffer, at);
      if (start === -1) {
        // Keep a tail that may be the beginning of "<Event".
        at = Math.max(at, this.buffer.length - 16);
        break;
      }
      const end = this.buffer.indexOf('</Event>', start);
      const nextStart = findEventStart(this.buffer, start + 6);
      if (nextStart !== -1 && (end === -1 || nextStart < end)) {
        // A start tag inside an event: the first one never ended (a cut or a bad copy).
        this.onProblem({ event: ++this.count, reason: 'the event has no end tag before the next event begins' });
        at = nextStart;
        continue;
      }
      if (end === -1) {
        if (this.buffer.length - start > MAX_EVENT_CHARS) {
          this.onProblem({ event: ++this.count, reason: `the event is longer than ${MAX_EVENT_CHARS / 1024 / 1024} MiB without an end tag` });
          this.skipping = true;
          at = start + 6;
          continue;
        }
        at = start;
        break;
      }
      const close = end + '</Event>'.length;
      this.onElement(this.buffer.slice(start, close), ++this.count);
      at = close;
    }
    this.buffer = this.buffer.slice(at);
  }

  /** The stream ended: an event still open was cut off (a truncated export). */
  end(): void {
    const start = findEventStart(this.buffer, 0);
    if (start !== -1 && !this.skipping) this.onProblem({ event: ++this.count, reason: 'the export ends inside this event (truncated): every complete event before it was read' });
    this.buffer = '';
  }
}

/** Index of the next `<Event` start tag (not `<Events>`, `<EventData>`, `<EventID>`) at or after `from`, or -1. */
function findEventStart(text: string, from: number): number {
  for (let at = text.indexOf('<Event', from); at !== -1; at = text.indexOf('<Event', at + 6)) {
    const next = text.charCodeAt(at + 6);
    // '>', '/', space, tab, CR, LF; NaN (end of buffer) may still become one: report it so the caller waits.
    if (next === 62 || next === 47 || next === 32 || next === 9 || next === 13 || next === 10 || Number.isNaN(next)) return at;
  }
  return -1;
}

/**
 * Parses a whole export held in memory (wevtutil's output in the live watcher). Bad events are
 * skipped and reported through `onProblem`; text without any `<Event>` is an EventLogParseError.
 */
export function parseEventLogXml(text: string, onProblem: (problem: EventProblem) => void = () => {}): EventRecord[] {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') return [];
  const records: EventRecord[] = [];
  const splitter = new EventXmlSplitter((xml, index) => {
    const result = parseEventElement(xml);
    if (typeof result === 'string') onProblem({ event: index, reason: result });
    else records.push(result);
  }, onProblem);
  splitter.write(body);
  splitter.end();
  if (splitter.events === 0) throw new EventLogParseError('the XML holds no <Event> elements: not a wevtutil or Event Viewer export');
  return records;
}

/** What the parser collects while walking one event. */
interface Collected {
  provider: string | null;
  eventId: string | null;
  qualifiers: string | null;
  level: string | null;
  systemTime: string | null;
  recordId: string | null;
  channel: string | null;
  computer: string | null;
  data: string[];
  namedData: Record<string, string>;
  message: string | null;
}

/** One `<Event>` element → a record, or the reason it cannot be one. */
export function parseEventElement(xml: string): EventRecord | string {
  const got: Collected = { provider: null, eventId: null, qualifiers: null, level: null, systemTime: null, recordId: null, channel: null, computer: null, data: [], namedData: {}, message: null };
  const path: string[] = [];
  let text = '';
  let dataName: string | null = null;
  let error: string | null = null;
  const parser = new SaxesParser({ position: false });
  parser.on('error', (e) => {
    error ??= e.message.replace(/^\d+:\d+: /, '');
  });
  parser.on('opentag', (tag: SaxesTag) => {
    const name = localName(tag.name);
    path.push(name);
    text = '';
    const where = path.join('/');
    if (where === 'Event/System/Provider') got.provider = attribute(tag, 'Name');
    else if (where === 'Event/System/TimeCreated') got.systemTime = attribute(tag, 'SystemTime');
    else if (where === 'Event/System/EventID') got.qualifiers = attribute(tag, 'Qualifiers');
    else if (where === 'Event/EventData/Data') dataName = attribute(tag, 'Name');
  });
  parser.on('text', (t) => (text += t));
  parser.on('cdata', (t) => (text += t));
  parser.on('closetag', () => {
    const where = path.join('/');
    if (where === 'Event/System/EventID') got.eventId = text;
    else if (where === 'Event/System/Level') got.level = text;
    else if (where === 'Event/System/EventRecordID') got.recordId = text;
    else if (where === 'Event/System/Channel') got.channel = text;
    else if (where === 'Event/System/Computer') got.computer = text;
    else if (where === 'Event/EventData/Data') {
      got.data.push(text);
      if (dataName !== null) got.namedData[dataName] = text;
      dataName = null;
    } else if (where === 'Event/RenderingInfo/Message') got.message = text;
    path.pop();
    text = '';
  });
  try {
    parser.write(xml).close();
  } catch (e) {
    error ??= (e as Error).message;
  }
  if (error !== null) return `malformed XML (${error})`;
  return toRecord(got);
}

function toRecord(got: Collected): EventRecord | string {
  const provider = got.provider?.trim();
  if (!provider) return 'no System/Provider/@Name';
  const eventId = toInt(got.eventId);
  if (eventId === null) return `${provider}: no numeric System/EventID`;
  const timeCreated = got.systemTime === null ? null : parseSystemTime(got.systemTime);
  if (timeCreated === null) return `${provider} ${eventId}: no valid System/TimeCreated/@SystemTime${got.systemTime ? ` ("${got.systemTime.slice(0, 40)}")` : ''}`;
  const record: EventRecord = {
    provider,
    eventId,
    qualifiers: toInt(got.qualifiers),
    level: toInt(got.level),
    timeCreated,
    recordId: toInt(got.recordId),
    channel: trimmedOrNull(got.channel),
    computer: trimmedOrNull(got.computer) ?? '',
    data: got.data,
    namedData: got.namedData,
  };
  if (got.message !== null && got.message.trim() !== '') record.message = got.message;
  return record;
}

/**
 * SystemTime as Windows writes it ("2026-09-30T21:07:20.8211183Z", 7 fraction digits) and as tools
 * that convert FILETIME write it ("2024-06-13 00:57:35.184137": a space, no zone — still UTC).
 * An explicit offset is honoured.
 */
export function parseSystemTime(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, fraction = '', zone] = m;
  const ms = Number(fraction.padEnd(3, '0').slice(0, 3));
  let result = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    result -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0')) * 60_000;
  }
  return Number.isFinite(result) ? result : null;
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

function attribute(tag: SaxesTag, name: string): string | null {
  for (const [key, value] of Object.entries(tag.attributes)) if (localName(key) === name) return typeof value === 'string' ? value : value.value;
  return null;
}

function toInt(value: string | null): number | null {
  if (value === null || !/^\s*-?\d+\s*$/.test(value)) return null;
  return Number(value.trim());
}

function trimmedOrNull(value: string | null): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}
