import { XMLParser, XMLValidator } from 'fast-xml-parser';

export { eventSignal } from './eventSignal.ts';

/** One Windows event as `wevtutil qe ... /f:xml` (or Event Viewer's "Save as XML") prints it. */
export interface EventRecord {
  provider: string;
  eventId: number;
  /** `<EventID Qualifiers='0'>`: classic (pre-Vista style) sources carry it; null when absent. */
  qualifiers: number | null;
  /** 1 critical, 2 error, 3 warning, 4 information; null when absent. */
  level: number | null;
  /** System/TimeCreated/@SystemTime (UTC) as ms since the epoch. */
  timeCreated: number;
  recordId: number;
  channel: string | null;
  computer: string;
  /** EventData/Data values in document order, named or not (older manifests leave them unnamed). */
  data: string[];
  /** The named ones, Name → value (Windows 11 / Server 2025 name Application Error's fields). */
  namedData: Record<string, string>;
  /** RenderingInfo/Message, present in RenderedXml exports only. */
  message?: string;
}

/** The text is not event-log XML: says where and why, so IT can check the export. */
export class EventLogParseError extends Error {
  override readonly name = 'EventLogParseError';
}

const WRAPPER = 'LifeboatEventLogExport';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  // Keep every value a string: "0012b5d2" and "01d9..." must not become numbers.
  parseTagValue: false,
  parseAttributeValue: false,
  // Stack traces in 1026 keep their line breaks and indentation.
  trimValues: false,
  alwaysCreateTextNode: true,
  // Decodes numeric references (&#13;, &#x1F;) as well as the XML five, in one pass.
  htmlEntities: true,
  isArray: (name) => name === 'Event' || name === 'Data' || name === 'Events',
});

/**
 * Parses `wevtutil qe <log> /f:xml` output: `<Event>` elements one after another with no root
 * element (wrapped here before parsing). Also accepts a single event, and a document with an
 * `<Events>` root as Event Viewer saves it. Empty output (no matching events) gives [].
 */
export function parseEventLogXml(text: string): EventRecord[] {
  const body = text.replace(/^\uFEFF/, '').replace(/^\s*<\?xml[^>]*\?>/, '');
  if (body.trim() === '') return [];
  const wrapped = `<${WRAPPER}>${body}</${WRAPPER}>`;
  const valid = XMLValidator.validate(wrapped);
  if (valid !== true) {
    const { line, col, msg } = valid.err;
    // Errors that mention our wrapper mean the input ended inside an element.
    if (msg.includes(WRAPPER)) throw new EventLogParseError(`event log XML ends inside an element after line ${line}: the export is truncated or partial`);
    const column = line === 1 ? col - WRAPPER.length - 2 : col;
    throw new EventLogParseError(`malformed event log XML at line ${line}, column ${column}: ${msg}`);
  }
  const root = asObject(asObject(parser.parse(wrapped))[WRAPPER]);
  const events = [...asArray(root['Event']), ...asArray(root['Events']).flatMap((events) => asArray(asObject(events)['Event']))];
  if (events.length === 0) throw new EventLogParseError('the XML holds no <Event> elements: not a wevtutil or Event Viewer export');
  return events.map((event, index) => toRecord(asObject(event), index));
}

function toRecord(event: Record<string, unknown>, index: number): EventRecord {
  const where = `event ${index + 1}`;
  const system = asObject(event['System']);
  const provider = attr(system['Provider'], 'Name');
  if (provider === null) throw new EventLogParseError(`${where} has no System/Provider/@Name`);
  const eventIdNode = system['EventID'];
  const eventId = toInt(text(eventIdNode));
  if (eventId === null) throw new EventLogParseError(`${where} (${provider}) has no numeric System/EventID`);
  const systemTime = attr(system['TimeCreated'], 'SystemTime');
  const timeCreated = systemTime === null ? null : parseSystemTime(systemTime);
  if (timeCreated === null) throw new EventLogParseError(`${where} (${provider} ${eventId}) has no valid System/TimeCreated/@SystemTime`);
  const recordId = toInt(text(system['EventRecordID']));
  if (recordId === null) throw new EventLogParseError(`${where} (${provider} ${eventId}) has no System/EventRecordID`);

  const data: string[] = [];
  const namedData: Record<string, string> = {};
  for (const item of asArray(asObject(event['EventData'])['Data'])) {
    const value = text(item) ?? '';
    data.push(value);
    const name = attr(item, 'Name');
    if (name !== null) namedData[name] = value;
  }
  const qualifiers = toInt(attr(eventIdNode, 'Qualifiers'));
  const record: EventRecord = {
    provider,
    eventId,
    qualifiers,
    level: toInt(text(system['Level'])),
    timeCreated,
    recordId,
    channel: trimmedOrNull(text(system['Channel'])),
    computer: trimmedOrNull(text(system['Computer'])) ?? '',
    data,
    namedData,
  };
  const message = text(asObject(event['RenderingInfo'])['Message']);
  if (message !== null && message.trim() !== '') record.message = message;
  return record;
}

/** "2026-09-30T21:07:20.8211183Z" (7 fraction digits, beyond what Date parses reliably) → ms. */
export function parseSystemTime(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z$/.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, fraction = ''] = m;
  const ms = Number(fraction.padEnd(3, '0').slice(0, 3));
  const result = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  return Number.isFinite(result) ? result : null;
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function text(node: unknown): string | null {
  if (typeof node === 'string') return node;
  const value = asObject(node)['#text'];
  return typeof value === 'string' ? value : null;
}

function attr(node: unknown, name: string): string | null {
  const value = asObject(node)[`@_${name}`];
  return typeof value === 'string' ? value : null;
}

function toInt(value: string | null): number | null {
  if (value === null || !/^\s*\d+\s*$/.test(value)) return null;
  return Number(value.trim());
}

function trimmedOrNull(value: string | null): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}
