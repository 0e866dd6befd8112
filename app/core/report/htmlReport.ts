import type { IncidentKind } from '../../common/incident.ts';
import type { ReportData } from './reportData.ts';
import { escapeXml as esc, heatmap, stackedBarChart, type Series } from './svgCharts.ts';

/**
 * The report as ONE self-contained HTML file: inline CSS and SVG, no script, no font, no image
 * fetched from anywhere. A Content-Security-Policy of default-src 'none' makes that a property
 * of the file, not just of this code: even a tag smuggled in through evidence text could load
 * nothing. It prints on A4 landscape with colours kept and sections unbroken.
 */

/** Rows of the incident table; the CSV and JSON always carry all of them. */
export const HTML_INCIDENT_ROWS = 500;
const EVIDENCE_LINES_SHOWN = 3;

export const KIND_SERIES: readonly (Series & { key: IncidentKind })[] = [
  // Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
  { key: 'crash', label: 'crash', colour: '#D55E00' },
  { key: 'hang', label: 'hang', colour: '#E69F00' },
  { key: 'slow', label: 'slow', colour: '#0072B2' },
  { key: 'exit', label: 'unexplained exit', colour: '#CC79A7' },
];

const CSS = `
:root { color-scheme: light; --ink: #0b1f33; --muted: #4a5a6a; --line: #d5dbe1; --panel: #f6f8fa; }
* { box-sizing: border-box; }
body { font: 14px/1.45 "Segoe UI", system-ui, -apple-system, Arial, sans-serif; color: var(--ink); margin: 0; background: #fff; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 28px 40px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
p.meta { color: var(--muted); margin: 0 0 16px; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(118px, 1fr)); gap: 10px; margin: 0; }
.tile { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; margin: 0; }
.tile dt { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
.tile dd { margin: 2px 0 0; font-size: 19px; font-weight: 600; line-height: 1.25; }
.tile dd small { display: block; font-size: 12px; font-weight: 400; color: var(--muted); }
svg { width: 100%; height: auto; display: block; }
svg .grid { stroke: #e6eaee; stroke-width: 1; }
svg .axis { stroke: #6b7b8b; stroke-width: 1; }
svg .tick, svg .legend { font: 11px "Segoe UI", system-ui, Arial, sans-serif; fill: #4a5a6a; }
svg .legend { font-size: 12px; fill: #0b1f33; }
svg .cell { font: 600 11px "Segoe UI", system-ui, Arial, sans-serif; }
table { width: 100%; border-collapse: collapse; font-size: 13px; }
caption { text-align: left; color: var(--muted); padding: 0 0 6px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--panel); font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.t { white-space: nowrap; font-variant-numeric: tabular-nums; }
td.ev { font: 12px/1.35 Consolas, "Cascadia Mono", monospace; white-space: pre-wrap; word-break: break-word; color: #33424f; }
.kind { display: inline-block; padding: 0 6px; border-radius: 3px; color: #fff; font-size: 12px; font-weight: 600; }
.kind-crash { background: #D55E00; } .kind-hang { background: #B07800; } .kind-slow { background: #0072B2; } .kind-exit { background: #A8548A; }
.note { color: var(--muted); font-size: 12.5px; }
footer { margin-top: 28px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding-top: 10px; }
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  html, body { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  main { max-width: none; padding: 0; }
  section, .tiles, figure, tr { break-inside: avoid; page-break-inside: avoid; }
  h2 { break-after: avoid; page-break-after: avoid; }
  thead { display: table-header-group; }
}
`;

const number = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });

function duration(totalMinutes: number | null): string {
  if (totalMinutes === null) return '—';
  // No-break spaces inside each quantity: a narrow tile wraps between "17 h" and "31 min" only.
  if (totalMinutes < 60) return `${number.format(totalMinutes)}\u00a0min`;
  const hours = Math.floor(totalMinutes / 60);
  const mins = Math.round(totalMinutes - hours * 60);
  if (hours < 48) return `${hours}\u00a0h ${mins}\u00a0min`;
  return `${number.format(totalMinutes / 1440)}\u00a0days`;
}

function tile(label: string, value: string, note = ''): string {
  return `<div class="tile"><dt>${esc(label)}</dt><dd>${esc(value)}${note ? ` <small>${esc(note)}</small>` : ''}</dd></div>`;
}

function table(caption: string, headers: Array<[string, boolean?]>, rows: string[][]): string {
  const head = headers.map(([h, numeric]) => `<th scope="col"${numeric ? ' class="n"' : ''}>${esc(h)}</th>`).join('');
  const body = rows.length === 0 ? `<tr><td colspan="${headers.length}" class="note">None in this period.</td></tr>` : rows.map((r) => `<tr>${r.join('')}</tr>`).join('\n');
  return `<table><caption>${esc(caption)}</caption><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

const td = (text: string | number | null, numeric = false): string => `<td${numeric ? ' class="n"' : ''}>${esc(text === null ? '—' : String(text))}</td>`;
const tdTime = (text: string): string => `<td class="t">${esc(text)}</td>`;
const kindCell = (kind: IncidentKind): string => `<td><span class="kind kind-${kind}">${esc(KIND_SERIES.find((s) => s.key === kind)?.label ?? kind)}</span></td>`;

export function renderHtmlReport(data: ReportData): string {
  const zone = data.period.timeZone;
  const when = new Intl.DateTimeFormat('en-GB', { timeZone: zone, dateStyle: 'short', timeStyle: 'short' });
  const day = new Intl.DateTimeFormat('en-GB', { timeZone: zone, dateStyle: 'medium' });
  const at = (iso: string | null): string => (iso === null ? '—' : when.format(Date.parse(iso)));
  const t = data.totals;
  const shortDate = (date: string): string => `${date.slice(8, 10)}/${date.slice(5, 7)}`;

  const tiles = [
    tile('Incidents', number.format(t.incidents), t.open > 0 ? `${t.open} still open` : ''),
    tile('Crashes', number.format(t.byKind.crash)),
    tile('Hangs', number.format(t.byKind.hang)),
    tile('Slow episodes', number.format(t.byKind.slow)),
    tile('Unexplained exits', number.format(t.byKind.exit)),
    tile('Downtime', duration(t.downtimeMinutes), t.downtimeCapped > 0 ? `${t.downtimeCapped} capped` : ''),
    tile('Between crashes (mean)', duration(t.meanTimeBetweenCrashesMinutes)),
    tile('Consultations affected', `≈ ${number.format(data.consultationsAffected.estimate)}`, 'estimate'),
  ].join('');

  const perDayChart = stackedBarChart({
    title: 'Incidents per day by kind',
    description: `Stacked bars, one per day from ${data.perDay[0]?.date ?? ''} to ${data.perDay.at(-1)?.date ?? ''}: crashes, hangs, slow episodes and unexplained exits.`,
    labels: data.perDay.map((d) => shortDate(d.date)),
    series: KIND_SERIES,
    values: data.perDay,
  });
  const downtimeChart = stackedBarChart({
    title: 'Downtime minutes per day',
    description: 'Minutes per day the clinical client was crashed, hung or exited until it was running again, by the day the incident began.',
    labels: data.perDay.map((d) => shortDate(d.date)),
    series: [{ key: 'downtimeMinutes', label: 'downtime', colour: '#5b2a86' }],
    values: data.perDay,
    height: 200,
    unit: 'minutes',
  });
  const heat = heatmap({
    title: 'Incidents by hour of day and weekday',
    description: `Count of incidents starting in each hour (${zone}) on each weekday; darker is more.`,
    rows: data.heatmap.weekdays,
    columns: Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0')),
    cells: data.heatmap.cells,
  });

  const signatures = table(
    `The ${data.topSignatures.length} most frequent error signatures (exception type and message, variable parts masked); ${data.withoutSignature} incidents had none.`,
    [['Signature'], ['Incidents', true], ['Crashes', true], ['Hangs', true], ['First seen'], ['Last seen']],
    data.topSignatures.map((s) => [td(s.signature), td(s.count, true), td(s.byKind.crash, true), td(s.byKind.hang, true), tdTime(at(s.firstSeen)), tdTime(at(s.lastSeen))]),
  );
  const versions = table(
    'Client versions named in the evidence (WER, Event Log, client log), newest first.',
    [['Application'], ['Version'], ['Incidents', true], ['Crashes', true], ['First seen'], ['Last seen']],
    data.clientVersions.map((v) => [td(v.app), td(v.version), td(v.incidents, true), td(v.crashes, true), tdTime(at(v.firstSeen)), tdTime(at(v.lastSeen))]),
  );
  const c = data.consultationsAffected;
  const consultations = table(
    'Notes open at the time of an incident, by kind of incident.',
    [['Kind'], ['Notes', true]],
    KIND_SERIES.map((s) => [td(s.label), td(c.byKind[s.key], true)]),
  );

  const shown = data.incidents.slice(-HTML_INCIDENT_ROWS).reverse();
  const incidentRows = shown.map((i) => {
    const lines = i.evidence.slice(0, EVIDENCE_LINES_SHOWN);
    const more = i.evidence.length - lines.length;
    const evidence = lines.join('\n') + (more > 0 ? `\n… ${more} more line${more === 1 ? '' : 's'} in the CSV/JSON` : '');
    return [
      tdTime(at(i.startedAt)),
      kindCell(i.kind),
      td(i.app),
      td(i.open ? 'open' : duration(i.durationMinutes)),
      td(i.clientVersion),
      td(i.signature),
      td(i.draftsAffected, true),
      `<td class="ev">${esc(evidence)}</td>`,
    ];
  });
  const incidents = table(
    data.incidents.length > shown.length
      ? `The ${shown.length} most recent of ${data.incidents.length} incidents, newest first; every incident is in the CSV and JSON.`
      : `All ${data.incidents.length} incidents, newest first.`,
    [['Started'], ['Kind'], ['Application'], ['Duration'], ['Version'], ['Signature'], ['Notes open', true], ['Evidence (redacted)']],
    incidentRows,
  );

  const r = data.redactions;
  const redacted = Object.entries(r).filter(([, n]) => n > 0);
  const redactionNote =
    redacted.length === 0
      ? 'No patient identifiers were found in the evidence.'
      : `Replaced with placeholders while building this report: ${redacted.map(([k, n]) => `${n} ${k}`).join(', ')}.`;

  const title = `Lifeboat incident report${data.workstation ? ` — ${data.workstation}` : ''}`;
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Lifeboat ${esc(data.schema)}">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header>
<h1>${esc(title)}</h1>
<p class="meta">${esc(day.format(Date.parse(data.period.from)))} to ${esc(day.format(Date.parse(data.period.to)))} (times in ${esc(zone)}) · generated ${esc(at(data.generatedAt))}</p>
</header>
<section aria-label="Summary"><dl class="tiles">${tiles}</dl>
<p class="note">Downtime counts a crash or unexplained exit until the client was running again and a hang until it answered, each capped at 8 hours, on the day it began. Mean time between crashes is the mean gap between successive crash starts.</p></section>
<section><h2>Incidents per day</h2><figure style="margin:0">${perDayChart}</figure></section>
<section><h2>Downtime per day</h2><figure style="margin:0">${downtimeChart}</figure></section>
<section><h2>When incidents happen</h2><figure style="margin:0">${heat}</figure></section>
<section><h2>Top error signatures</h2>${signatures}</section>
<section><h2>Client versions</h2>${versions}</section>
<section><h2>Consultations affected (estimate: ≈ ${esc(number.format(c.estimate))})</h2><p class="note">${esc(c.method)}</p>${consultations}</section>
<section><h2>Incidents</h2>${incidents}</section>
<footer>${esc(redactionNote)} This report holds no note text: consultations are counted from the times notes were saved, never their content.</footer>
</main>
</body>
</html>
`;
}
