import { withoutControlChars } from '../../common/controlChars.ts';
import type { VaultReader } from '../vault/vault.ts';
import { renderCsv } from './csvReport.ts';
import { renderHtmlReport, type ReportIdentity } from './htmlReport.ts';
import { collectMachineFacts, type MachineFacts } from './machineFacts.ts';
import { buildReportFromVault, type ReportData } from './reportData.ts';
import { renderJson } from './reportSchema.ts';
import { createZip } from './zipWriter.ts';

/**
 * The evidence pack for a supplier ticket: one zip holding the report (HTML), the incident list
 * (CSV and JSON), the redacted evidence lines as plain text, and machine facts. Everything in it
 * is built from ReportData, which holds incidents and revision times only: there is no path by
 * which a note's text could reach the pack.
 */

export const EVIDENCE_PACK_FILES = ['report.html', 'incidents.csv', 'incidents.json', 'evidence.txt', 'machine.json'] as const;

export class IncidentNotFoundError extends Error {
  constructor(id: string) {
    super(`no incident "${id}" in this vault (list them with: lifeboat report --format csv)`);
    this.name = 'IncidentNotFoundError';
  }
}

export type EvidenceSelection = { incidentId: string } | { from: number; to: number };

export interface EvidencePack {
  zip: Buffer;
  data: ReportData;
  machine: MachineFacts;
}

export function renderEvidenceText(data: ReportData): string {
  const out: string[] = [
    `Lifeboat evidence lines, ${data.period.from} to ${data.period.to}${data.workstation ? `, workstation ${data.workstation}` : ''}.`,
    'Patient identifiers (NHS numbers, postcodes, phone numbers, email addresses, dates of birth, labelled names)',
    'are replaced with placeholders such as [NHS-NUMBER]. Times are UTC.',
    '',
  ];
  for (const i of data.incidents) {
    out.push(withoutControlChars(`== ${i.startedAt} ${i.kind} ${i.app} (incident ${i.id})${i.endedAt ? ` ended ${i.endedAt}` : ' still open'}${i.signature ? ` — ${i.signature}` : ''}`));
    // A multi-line record (a stack trace) keeps its lines; nothing in a line can forge another.
    for (const line of i.evidence) out.push(...line.split(/\r?\n/).map((l, n) => withoutControlChars(n === 0 ? `  ${l}` : `    ${l}`)));
    out.push('');
  }
  return out.join('\r\n');
}

export function buildEvidencePack(
  vault: Pick<VaultReader, 'draftsTouchedBetween' | 'listIncidents'>,
  options: { vaultDir: string; now: number; timeZone?: string; workstation?: string | null; selection: EvidenceSelection; identity?: ReportIdentity },
): EvidencePack {
  let range: { from: number; to: number; incidentIds?: string[] };
  if ('incidentId' in options.selection) {
    const id = options.selection.incidentId;
    const incident = vault.listIncidents().find((i) => i.id === id);
    if (!incident) throw new IncidentNotFoundError(id);
    const start = Date.parse(incident.startedAt);
    const end = incident.endedAt === null ? options.now : Date.parse(incident.endedAt);
    range = { from: start, to: Math.max(start, end), incidentIds: [id] };
  } else {
    range = { from: options.selection.from, to: options.selection.to };
  }
  const data = buildReportFromVault(vault, {
    ...range,
    now: options.now,
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
    workstation: options.workstation ?? null,
  });
  const machine = collectMachineFacts({
    vaultDir: options.vaultDir,
    now: options.now,
    clientVersions: data.clientVersions.map((v) => ({ app: v.app, version: v.version })),
  });
  const modified = new Date(options.now);
  const zip = createZip([
    { name: 'report.html', data: renderHtmlReport(data, options.identity), modified },
    { name: 'incidents.csv', data: renderCsv(data), modified },
    { name: 'incidents.json', data: renderJson(data), modified },
    { name: 'evidence.txt', data: renderEvidenceText(data), modified },
    { name: 'machine.json', data: JSON.stringify(machine, null, 2) + '\n', modified },
  ]);
  return { zip, data, machine };
}
