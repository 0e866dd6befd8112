import { durationText } from '../../common/durationText.ts';
import { splitEvidenceLine } from '../../common/evidenceLine.ts';
import type { IncidentKind } from '../../common/incident.ts';
import { KIND_COLOURS, KIND_PILLS, PALETTE } from '../../common/palette.ts';
import { LIFEBOAT_VERSION } from './machineFacts.ts';
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

/** Who the report is for, from the practice's settings or policy, and how its clients are named. */
export interface ReportIdentity {
  practiceName?: string | null;
  odsCode?: string | null;
  /** Profile id → display name ("emis-web" → "EMIS Web"); default: the profile id. */
  clientName?: (profile: string) => string;
}

// The app's colours (app/common/palette.ts): a crash is the same red on screen and on paper.
// Each kind is also named in words beside its colour, in the legend and every table row.
export const KIND_SERIES: readonly (Series & { key: IncidentKind })[] = [
  { key: 'crash', label: 'crash', colour: KIND_COLOURS.crash },
  { key: 'hang', label: 'hang', colour: KIND_COLOURS.hang },
  { key: 'slow', label: 'slow', colour: KIND_COLOURS.slow },
  { key: 'exit', label: 'unexplained exit', colour: KIND_COLOURS.exit },
];

const pillCss = (Object.keys(KIND_PILLS) as IncidentKind[]).map((k) => `.kind-${k} { color: ${KIND_PILLS[k].fg}; background: ${KIND_PILLS[k].bg}; }`).join(' ');

const CSS = `
:root { color-scheme: light; --ink: ${PALETTE.text}; --muted: ${PALETTE.muted}; --line: ${PALETTE.line}; --panel: ${PALETTE.page}; --accent: ${PALETTE.accent}; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: var(--ink); margin: 0; background: #fff; font-variant-numeric: tabular-nums; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 28px 40px; }
h1 { font-size: 24px; margin: 0 0 4px; font-weight: 600; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 2px solid var(--line); padding-bottom: 4px; font-weight: 600; }
p.meta { color: var(--muted); margin: 0 0 16px; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(118px, 1fr)); gap: 10px; margin: 0; }
.tile { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; margin: 0; }
.tile dt { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
.tile dd { margin: 2px 0 0; font-size: 19px; font-weight: 600; line-height: 1.25; }
.tile dd small { display: block; font-size: 12px; font-weight: 400; color: var(--muted); }
svg { width: 100%; height: auto; display: block; }
svg .grid { stroke: #e3e7ec; stroke-width: 1; }
svg .axis { stroke: #8793a1; stroke-width: 1; }
svg .tick, svg .legend { font: 11px system-ui, "Segoe UI", Arial, sans-serif; fill: var(--muted); }
svg .legend { font-size: 12px; fill: var(--ink); }
svg .cell { font: 600 11px system-ui, "Segoe UI", Arial, sans-serif; }
table { width: 100%; border-collapse: collapse; font-size: 13px; }
caption { text-align: left; color: var(--muted); padding: 0 0 6px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--panel); font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.t { white-space: nowrap; font-variant-numeric: tabular-nums; }
td.ev { min-width: 22em; }
td.ev summary { cursor: pointer; color: var(--accent); }
td.ev ol { margin: 4px 0 0; padding-left: 1.6em; font: 12px/1.35 Consolas, "Cascadia Mono", ui-monospace, monospace; color: var(--ink); }
td.ev li { white-space: pre-wrap; word-break: break-word; margin-bottom: 2px; }
td.ev .at { color: var(--muted); }
.kind { display: inline-block; padding: 0 6px; border-radius: 3px; font-size: 12px; font-weight: 600; }
${pillCss}
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

/** "45 s", "17 min", "3 h 31 min": no-break spaces inside each quantity, so a narrow tile wraps only between them. */
function duration(totalMinutes: number | null): string {
  if (totalMinutes === null) return '—';
  return durationText(totalMinutes * 60_000).replace(/(\d) /g, '$1\u00a0');
}

/** Seconds, minutes or hours for an axis, whichever keeps its numbers whole. */
function downtimeUnit(maxMinutes: number): { label: string; perMinute: number } {
  if (maxMinutes < 2) return { label: 'seconds', perMinute: 60 };
  if (maxMinutes < 180) return { label: 'minutes', perMinute: 1 };
  return { label: 'hours', perMinute: 1 / 60 };
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

export function renderHtmlReport(data: ReportData, identity: ReportIdentity = {}): string {
  const zone = data.period.timeZone;
  const when = new Intl.DateTimeFormat('en-GB', { timeZone: zone, dateStyle: 'short', timeStyle: 'short' });
  const clock = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  const day = new Intl.DateTimeFormat('en-GB', { timeZone: zone, dateStyle: 'medium' });
  // "GMT", "BST", "CET": the zone named beside the times, as the reader's own clock says it.
  const zoneName = (iso: string): string => new Intl.DateTimeFormat('en-GB', { timeZone: zone, timeZoneName: 'short' }).formatToParts(Date.parse(iso)).find((p) => p.type === 'timeZoneName')?.value ?? zone;
  const zoneNames = [...new Set([zoneName(data.period.from), zoneName(data.period.to)])].join('/');
  const at = (iso: string | null): string => (iso === null ? '—' : when.format(Date.parse(iso)));
  const clientName = identity.clientName ?? ((profile: string) => profile);
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
  const unit = downtimeUnit(Math.max(0, ...data.perDay.map((d) => d.downtimeMinutes)));
  const downtimeChart = stackedBarChart({
    title: `Downtime per day, in ${unit.label}`,
    description: `${unit.label[0]!.toUpperCase()}${unit.label.slice(1)} per day the clinical client was crashed, hung or exited until it was running again, by the day the incident began.`,
    labels: data.perDay.map((d) => shortDate(d.date)),
    series: [{ key: 'downtime', label: 'downtime', colour: KIND_COLOURS.crash }],
    values: data.perDay.map((d) => ({ downtime: Math.round(d.downtimeMinutes * unit.perMinute * 10) / 10 })),
    height: 200,
    unit: unit.label,
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
    'Notes from before each kind of incident (the notes Recovery lists for it); a slowdown costs no note.',
    [['Kind'], ['Notes', true]],
    KIND_SERIES.map((s) => [td(s.label), td(c.byKind[s.key], true)]),
  );

  const shown = data.incidents.slice(-HTML_INCIDENT_ROWS).reverse();
  const evidenceCell = (lines: readonly string[]): string => {
    if (lines.length === 0) return '<td class="ev note">none recorded</td>';
    const items = lines.map((line) => {
      const e = splitEvidenceLine(line);
      return `<li>${e.at ? `<span class="at">${esc(clock.format(Date.parse(e.at)))}</span> ` : ''}${esc(e.source ? `${e.source}: ${e.text}` : e.text)}</li>`;
    });
    const first = splitEvidenceLine(lines[0]!).text;
    const summary = `${lines.length} line${lines.length === 1 ? '' : 's'}: ${first.length > 70 ? `${first.slice(0, 69)}…` : first}`;
    return `<td class="ev"><details><summary>${esc(summary)}</summary><ol>${items.join('')}</ol></details></td>`;
  };
  const incidentRows = shown.map((i) => [
    tdTime(at(i.startedAt)),
    kindCell(i.kind),
    td(clientName(i.profile)),
    td(i.open ? 'still open' : i.endedAt === null ? '—' : duration((Date.parse(i.endedAt) - Date.parse(i.startedAt)) / 60_000)),
    td(i.clientVersion),
    td(i.signature),
    td(i.draftsAffected, true),
    evidenceCell(i.evidence),
  ]);
  const incidents = table(
    data.incidents.length > shown.length
      ? `The ${shown.length} most recent of ${data.incidents.length} incidents, newest first; every incident is in the CSV and JSON. Times in ${zone} (${zoneNames}).`
      : `All ${data.incidents.length} incidents, newest first. Times in ${zone} (${zoneNames}).`,
    [['Started'], ['Kind'], ['Clinical system'], ['Lasted'], ['Version'], ['Signature'], ['Notes open', true], ['Evidence (redacted)']],
    incidentRows,
  );

  const r = data.redactions;
  const redacted = Object.entries(r).filter(([, n]) => n > 0);
  const redactionNote =
    redacted.length === 0
      ? 'No patient identifiers were found in the evidence.'
      : `Replaced with placeholders while building this report: ${redacted.map(([k, n]) => `${n} ${k}`).join(', ')}.`;

  const practice = [identity.practiceName, identity.odsCode ? `ODS ${identity.odsCode}` : null].filter(Boolean).join(', ');
  const period = `${day.format(Date.parse(data.period.from))} to ${day.format(Date.parse(data.period.to))}`;
  const heading = `Incident report${practice ? `: ${practice}` : ''}`;
  const title = `${heading}${data.workstation ? `, ${data.workstation}` : ''}, ${period} · Lifeboat ${LIFEBOAT_VERSION}`;
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
<h1>${esc(heading)}</h1>
<p class="meta">${esc([data.workstation ? `Workstation ${data.workstation}` : null, period, `times in ${zone} (${zoneNames})`, `generated ${at(data.generatedAt)} by Lifeboat ${LIFEBOAT_VERSION}`].filter(Boolean).join(' · '))}</p>
</header>
<section aria-label="Summary"><dl class="tiles">${tiles}</dl>
<p class="note">Downtime counts a crash or unexplained exit until the client was running again and a hang until it answered, each capped at 8 hours, on the day it began. Mean time between crashes is the mean gap between successive crash starts.</p></section>
<section><h2>Incidents per day</h2><figure style="margin:0">${perDayChart}</figure></section>
<section><h2>Downtime per day (${esc(unit.label)})</h2><figure style="margin:0">${downtimeChart}</figure></section>
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
