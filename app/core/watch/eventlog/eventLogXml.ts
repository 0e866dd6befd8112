
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
      const nextStart = findEventStart(this.buffer, start + 6, false);
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

/**
 * Index of the next `<Event` start tag (not `<Events>`, `<EventData>`, `<EventID>`) at or after
 * `from`, or -1. At the very end of the text "<Event" may still become "<EventData": with
 * `orUnfinished` it is reported (the caller waits for more text), without it ignored.
 */
function findEventStart(text: string, from: number, orUnfinished = true): number {
  for (let at = text.indexOf('<Event', from); at !== -1; at = text.indexOf('<Event', at + 6)) {
    const next = text.charCodeAt(at + 6);
    // '>', '/', space, tab, CR, LF
    if (next === 62 || next === 47 || next === 32 || next === 9 || next === 13 || next === 10 || (orUnfinished && Number.isNaN(next))) return at;
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

/**
 * Walks one `<Event>` element: a small XML tokenizer for the little XML an event holds (elements,
 * attributes, text, the five entities and numeric references, CDATA, comments), checking
 * well-formedness as it goes: tags close in order, every `&` is a reference, no `<` in values.
 * Written here rather than using a general streaming parser because the events of a 60 MB export
 * must be read in under 2 s: saxes managed ~17 MB/s on this machine, this walks the text with
 * indexOf at several times that. Linear in the event's length; no backtracking expression.
 */
function walkEvent(xml: string): Collected | string {
  const got = emptyCollected();
  // Element names from <Event> down; only the first three levels matter (Event/System/EventID…).
  const names: string[] = [];
  let where = '';
  let text = '';
  let dataName: string | null = null;
  let i = 0;
  const length = xml.length;
  while (i < length) {
    const lt = xml.indexOf('<', i);
    if (lt === -1) break;
    if (lt > i && names.length > 0) {
      const decoded = decodeText(xml.slice(i, lt));
      if (decoded === null) return 'malformed XML (an "&" that is not an entity reference)';
      text = text === '' ? decoded : text + decoded;
    }
    const next = xml.charCodeAt(lt + 1);
    if (next === SLASH) {
      const gt = xml.indexOf('>', lt);
      if (gt === -1) return 'malformed XML (a close tag never ends)';
      const name = localName(xml.slice(lt + 2, gt).trim());
      if (names.length === 0 || names[names.length - 1] !== name) return `malformed XML (unexpected close tag </${name}>)`;
      if (names.length === 3) {
        if (where === 'System/EventID') got.eventId = text;
        else if (where === 'System/Level') got.level = text;
        else if (where === 'System/EventRecordID') got.recordId = text;
        else if (where === 'System/Channel') got.channel = text;
        else if (where === 'System/Computer') got.computer = text;
        else if (where === 'EventData/Data') {
          got.data.push(text);
          if (dataName !== null) got.namedData[dataName] = text;
          dataName = null;
        } else if (where === 'RenderingInfo/Message') got.message = text;
      }
      names.pop();
      text = '';
      i = gt + 1;
    } else if (next === BANG) {
      if (xml.startsWith('<!--', lt)) {
        const end = xml.indexOf('-->', lt + 4);
        if (end === -1) return 'malformed XML (a comment never ends)';
        i = end + 3;
      } else if (xml.startsWith('<![CDATA[', lt)) {
        const end = xml.indexOf(']]>', lt + 9);
        if (end === -1) return 'malformed XML (a CDATA section never ends)';
        text += xml.slice(lt + 9, end);
        i = end + 3;
      } else return 'malformed XML (a declaration inside an event)';
    } else if (next === QUESTION) {
      const end = xml.indexOf('?>', lt + 2);
      if (end === -1) return 'malformed XML (a processing instruction never ends)';
      i = end + 2;
    } else {
      const tag = readStartTag(xml, lt, names.length === 2 ? names[1]! : '');
      if (typeof tag === 'string') return `malformed XML (${tag})`;
      names.push(tag.name);
      if (names.length === 3) where = `${names[1]}/${tag.name}`;
      text = '';
      if (names.length === 3) {
        if (where === 'System/Provider') got.provider = tag.wanted;
        else if (where === 'System/TimeCreated') got.systemTime = tag.wanted;
        else if (where === 'System/EventID') got.qualifiers = tag.wanted;
        else if (where === 'EventData/Data') dataName = tag.wanted;
      }
      if (tag.selfClosing) {
        if (names.length === 3 && where === 'EventData/Data') {
          got.data.push('');
          if (dataName !== null) got.namedData[dataName] = '';
          dataName = null;
        }
        names.pop();
      }
      i = tag.end;
    }
  }
  if (names.length > 0) return `malformed XML (unclosed tag <${names[names.length - 1]}>)`;
  return got;
}

const SLASH = 47;
const BANG = 33;
const QUESTION = 63;
const GT = 62;
/** The one attribute read of each element under System or EventData (by parent/name). */
const WANTED_ATTRIBUTE: Record<string, string> = { Provider: 'Name', TimeCreated: 'SystemTime', EventID: 'Qualifiers', Data: 'Name' };

function isNameChar(c: number): boolean {
  // A-Z a-z 0-9 _ : . -  (and anything non-ASCII, as XML allows)
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 58) || c === 95 || c === 46 || c === 45 || c > 127;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/**
 * A start tag at `at`: its local name, the one attribute Lifeboat reads from it (decoded), whether
 * it closes itself, and where it ends; or what is wrong with it. Other attributes are checked for
 * form only.
 */
function readStartTag(xml: string, at: number, parent: string): { name: string; wanted: string | null; selfClosing: boolean; end: number } | string {
  let i = at + 1;
  const first = xml.charCodeAt(i);
  if (!(isNameChar(first) && !(first >= 48 && first <= 57) && first !== 45 && first !== 46)) return 'a "<" that starts no tag';
  while (isNameChar(xml.charCodeAt(i))) i++;
  const name = localName(xml.slice(at + 1, i));
  const wantedName = parent === 'System' || parent === 'EventData' ? WANTED_ATTRIBUTE[name] : undefined;
  let wanted: string | null = null;
  for (;;) {
    const before = i;
    while (isSpace(xml.charCodeAt(i))) i++;
    const c = xml.charCodeAt(i);
    if (c === GT) return { name, wanted, selfClosing: false, end: i + 1 };
    if (c === SLASH && xml.charCodeAt(i + 1) === GT) return { name, wanted, selfClosing: true, end: i + 2 };
    if (i === before || !isNameChar(c)) return `a malformed start tag <${name}>`;
    const attributeStart = i;
    while (isNameChar(xml.charCodeAt(i))) i++;
    const attribute = xml.slice(attributeStart, i);
    while (isSpace(xml.charCodeAt(i))) i++;
    if (xml.charCodeAt(i) !== 61) return `attribute ${attribute} of <${name}> has no value`;
    i++;
    while (isSpace(xml.charCodeAt(i))) i++;
    const quote = xml[i];
    if (quote !== '"' && quote !== "'") return `attribute ${attribute} of <${name}> is not quoted`;
    const close = xml.indexOf(quote, i + 1);
    if (close === -1) return `attribute ${attribute} of <${name}> never ends`;
    const raw = xml.slice(i + 1, close);
    if (raw.includes('<')) return `attribute ${attribute} of <${name}> holds "<"`;
    if (wantedName !== undefined && localName(attribute) === wantedName) {
      wanted = decodeText(raw);
      if (wanted === null) return `attribute ${attribute} of <${name}> holds a bad "&"`;
    } else if (raw.includes('&') && decodeText(raw) === null) return `attribute ${attribute} of <${name}> holds a bad "&"`;
    i = close + 1;
  }
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const REFERENCE = /&(?:(lt|gt|amp|quot|apos)|#(\d{1,7})|#x([0-9a-fA-F]{1,6}));/g;

/** Text with its references resolved, or null when an "&" starts none (not well-formed XML). */
function decodeText(raw: string): string | null {
  if (!raw.includes('&')) return raw;
  let bad = false;
  const decoded = raw.replace(REFERENCE, (_m, named: string | undefined, dec: string | undefined, hex: string | undefined) => {
    if (named !== undefined) return ENTITIES[named]!;
    const code = dec !== undefined ? Number(dec) : Number.parseInt(hex!, 16);
    if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
      bad = true;
      return '';
    }
    return String.fromCodePoint(code);
  });
  // Every "&" must have been a reference: one left over means a bare "&".
  return bad || leftoverAmpersand(raw) ? null : decoded;
}

function leftoverAmpersand(raw: string): boolean {
  return raw.replace(REFERENCE, '').includes('&');
}

function emptyCollected(): Collected {
  return { provider: null, eventId: null, qualifiers: null, level: null, systemTime: null, recordId: null, channel: null, computer: null, data: [], namedData: {}, message: null };
}

/** One `<Event>` element → a record, or the reason it cannot be one. */
export function parseEventElement(xml: string): EventRecord | string {
  const walked = walkEvent(xml);
  return typeof walked === 'string' ? walked : toRecord(walked);
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

function toInt(value: string | null): number | null {
  if (value === null || !/^\s*-?\d+\s*$/.test(value)) return null;
  return Number(value.trim());
}

function trimmedOrNull(value: string | null): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}
