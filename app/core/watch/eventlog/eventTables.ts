import { parse } from 'csv-parse/sync';
import { offsetMinutes } from '../../../common/wallTime.ts';
import { parseSystemTime, type EventProblem, type EventRecord } from './eventLogXml.ts';
import { parsePastedDate } from './eventViewerText.ts';

/**
 * Events exported as tables rather than XML, the other forms IT sends:
 * - PowerShell `Get-WinEvent … | ConvertTo-Json`: objects with Id, Level, RecordId, ProviderName,
 *   LogName, MachineName, TimeCreated ("/Date(1700000000000)/" in Windows PowerShell 5.1, ISO in
 *   PowerShell 7), Message and Properties ([{ "Value": … }], the EventData in order);
 * - PowerShell `Get-WinEvent … | Export-Csv`: the same columns, TimeCreated in the PC's locale and
 *   zone, Properties reduced to a type name (so the Message is what is read);
 * - EvtxECmd CSV: TimeCreated in UTC ("2024-06-13 00:57:35.1841370"), EventId, Level, Provider,
 *   Channel, Computer, EventRecordId and Payload (the EventData as JSON).
 * Each row becomes an EventRecord, or a problem naming the row; the rest are read regardless.
 */
export interface TableEvents {
  records: EventRecord[];
  events: number;
  problems: EventProblem[];
}

type Row = Record<string, unknown>;

/** `Get-WinEvent | ConvertTo-Json` text (an array, or one object for a single event). */
export function parseEventJson(text: string, timeZone?: string): TableEvents {
  const value: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
  const rows = Array.isArray(value) ? value : [value];
  return fromRows(rows.map((row) => (typeof row === 'object' && row !== null ? (row as Row) : {})), timeZone);
}

/** Export-Csv (with or without its "#TYPE" line) or EvtxECmd CSV text. */
export function parseEventCsv(text: string, timeZone?: string): TableEvents {
  const body = text.replace(/^\uFEFF/, '').replace(/^#TYPE[^\n]*\n/, '');
  const rows = parse(body, { columns: true, skip_empty_lines: true, relax_column_count: true, relax_quotes: true, bom: true }) as Row[];
  return fromRows(rows, timeZone);
}

/** Whether a text's first bytes look like one of these tables (for content detection). */
export function looksLikeEventTable(head: string): 'json' | 'csv' | null {
  const start = head.replace(/^\uFEFF/, '').trimStart();
  if (/^[[{]/.test(start) && /"ProviderName"\s*:/.test(start) && /"(?:Id|RecordId)"\s*:/.test(start)) return 'json';
  const firstLine = start.replace(/^#TYPE[^\n]*\n/, '').split(/\r?\n/, 1)[0] ?? '';
  if (/(^|,)"?ProviderName"?(,|$)/.test(firstLine) && /(^|,)"?TimeCreated"?(,|$)/.test(firstLine)) return 'csv';
  if (/(^|,)"?EventRecordId"?(,|$)/.test(firstLine) && /(^|,)"?Provider"?(,|$)/.test(firstLine) && /(^|,)"?EventId"?(,|$)/.test(firstLine)) return 'csv';
  return null;
}

function fromRows(rows: readonly Row[], timeZone: string | undefined): TableEvents {
  const records: EventRecord[] = [];
  const problems: EventProblem[] = [];
  rows.forEach((row, i) => {
    const result = recordOf(row, timeZone);
    if (typeof result === 'string') problems.push({ event: i + 1, reason: result });
    else records.push(result);
  });
  return { records, events: rows.length, problems };
}

const LEVELS: Record<string, number> = { critical: 1, error: 2, warning: 3, information: 4, info: 4, verbose: 5 };

function recordOf(row: Row, timeZone: string | undefined): EventRecord | string {
  const provider = text(row['ProviderName'] ?? row['Provider'])?.trim();
  if (!provider) return 'no ProviderName or Provider';
  const eventId = integer(row['Id'] ?? row['EventId']);
  if (eventId === null) return `${provider}: no numeric Id or EventId`;
  const timeCreated = tableTime(row['TimeCreated'], 'EventRecordId' in row, timeZone);
  if (timeCreated === null) return `${provider} ${eventId}: its TimeCreated "${String(row['TimeCreated'] ?? '')}" is not a time Lifeboat can read`;
  const levelText = text(row['Level'])?.trim() ?? '';
  const { data, namedData } = eventData(row);
  const record: EventRecord = {
    provider,
    eventId,
    qualifiers: integer(row['Qualifiers']),
    level: integer(levelText) ?? LEVELS[levelText.toLowerCase()] ?? LEVELS[(text(row['LevelDisplayName']) ?? '').toLowerCase()] ?? null,
    timeCreated,
    recordId: integer(row['RecordId'] ?? row['EventRecordId']),
    channel: text(row['LogName'] ?? row['Channel'])?.trim() || null,
    computer: text(row['MachineName'] ?? row['Computer'])?.trim() ?? '',
    data,
    namedData,
  };
  const message = text(row['Message']);
  if (message && message.trim() !== '') record.message = message;
  return record;
}

/**
 * "/Date(1700000000000)/" (ConvertTo-Json, PowerShell 5.1), ISO with an offset (PowerShell 7),
 * EvtxECmd's UTC "2024-06-13 00:57:35.1841370", or Export-Csv's local text in the PC's locale.
 */
function tableTime(value: unknown, utcWithoutZone: boolean, timeZone: string | undefined): number | null {
  const raw = text(value)?.trim();
  if (!raw) return null;
  const msDate = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/.exec(raw);
  if (msDate) return Number(msDate[1]);
  const iso = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(raw);
  if (iso) {
    if (iso[4] !== undefined) {
      const asUtc = parseSystemTime(`${iso[1]}T${iso[2]}${iso[3] ? `.${iso[3]}` : ''}Z`);
      return asUtc === null ? null : asUtc - offsetMinutes(iso[4]) * 60_000;
    }
    // EvtxECmd converts FILETIME to UTC without saying so; PowerShell 7 always writes the offset.
    if (utcWithoutZone) return parseSystemTime(`${iso[1]}T${iso[2]}${iso[3] ? `.${iso[3]}` : ''}Z`);
  }
  return parsePastedDate(raw, timeZone);
}

/** EventData: ConvertTo-Json's Properties [{Value}], or EvtxECmd's Payload JSON ({"EventData":{"Data":…}}). */
function eventData(row: Row): { data: string[]; namedData: Record<string, string> } {
  const data: string[] = [];
  const namedData: Record<string, string> = {};
  const properties = row['Properties'];
  if (Array.isArray(properties)) {
    for (const property of properties) data.push(text((property as Row | null)?.['Value']) ?? '');
    return { data, namedData };
  }
  const payload = text(row['Payload']);
  if (payload && payload.trim().startsWith('{')) {
    try {
      const parsed = JSON.parse(payload) as { EventData?: { Data?: unknown } };
      const items = parsed.EventData?.Data;
      for (const item of Array.isArray(items) ? items : items === undefined ? [] : [items]) {
        if (typeof item === 'object' && item !== null) {
          const value = text((item as Row)['#text']) ?? '';
          data.push(value);
          const name = text((item as Row)['@Name']);
          if (name) namedData[name] = value;
        } else data.push(text(item) ?? '');
      }
    } catch {
      // A payload that is not JSON leaves the message, if any, to be read.
    }
  }
  return { data, namedData };
}

function text(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

function integer(value: unknown): number | null {
  const raw = text(value)?.trim();
  return raw && /^-?\d+$/.test(raw) ? Number(raw) : null;
}
