import type { ReportData } from './reportData.ts';

/**
 * One row per incident, RFC 4180: CRLF record ends, every field quoted when it holds a quote,
 * comma, CR or LF (quotes doubled). Evidence lines are joined with LF inside one quoted field,
 * which RFC 4180 allows and Excel and LibreOffice read as one cell.
 *
 * Spreadsheet formula injection: a cell starting with = + - @ (or tab / CR, which some
 * spreadsheets skip before looking for a formula) is prefixed with ' so Excel shows it as
 * text instead of running it (OWASP "CSV injection"). Evidence comes from logs a clinical
 * client wrote, which can contain anything a user typed.
 *
 * A UTF-8 byte order mark starts the file: without it Excel on Windows, the tool practice IT
 * opens a CSV with, reads UTF-8 as the ANSI code page and garbles non-ASCII text.
 */

export const CSV_COLUMNS = [
  'id',
  'kind',
  'app',
  'profile',
  'workstation',
  'startedAt',
  'endedAt',
  'durationMinutes',
  'downtimeMinutes',
  'open',
  'sources',
  'signature',
  'clientVersion',
  'draftsAffected',
  'evidence',
] as const;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function renderCsv(data: ReportData): string {
  const rows: string[] = [CSV_COLUMNS.join(',')];
  for (const i of data.incidents) {
    rows.push(
      [
        csvCell(i.id),
        csvCell(i.kind),
        csvCell(i.app),
        csvCell(i.profile),
        csvCell(i.workstation),
        csvCell(i.startedAt),
        csvCell(i.endedAt),
        csvCell(i.durationMinutes),
        csvCell(i.downtimeMinutes),
        csvCell(i.open),
        csvCell(i.sources.join(';')),
        csvCell(i.signature),
        csvCell(i.clientVersion),
        csvCell(i.draftsAffected),
        csvCell(i.evidence.join('\n')),
      ].join(','),
    );
  }
  return '\uFEFF' + rows.join('\r\n') + '\r\n';
}
