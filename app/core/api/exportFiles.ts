import type { ApiArg, ExportedFile } from '../../common/api.ts';
import { appKey } from '../incidents/incidentId.ts';
import { renderCsv } from '../report/csvReport.ts';
import { buildEvidencePack, IncidentNotFoundError } from '../report/evidencePack.ts';
import { renderHtmlReport } from '../report/htmlReport.ts';
import { buildReportFromVault } from '../report/reportData.ts';
import { renderJson } from '../report/reportSchema.ts';
import type { VaultReader } from '../vault/vault.ts';
import { ApiError } from './apiError.ts';
import type { ClientNames } from './recoveryView.ts';
import type { SiteContext } from './siteContext.ts';

const MIME = { html: 'text/html; charset=utf-8', csv: 'text/csv; charset=utf-8', json: 'application/json; charset=utf-8', zip: 'application/zip' } as const;

/**
 * The files the Incidents page offers IT: the HTML/CSV/JSON report of a period and the evidence
 * pack of one incident. The same builders as `lifeboat report` and `lifeboat evidence`, so the
 * same redaction and the same guarantee: they read incidents and revision times, never note text.
 */
export function exportFile(
  arg: ApiArg<'exportFile'>,
  deps: { vault: Pick<VaultReader, 'draftsTouchedBetween' | 'listIncidents'>; now: number; site: SiteContext; names: ClientNames },
): ExportedFile {
  const { site } = deps;
  const identity = { practiceName: site.practiceName, odsCode: site.odsCode, clientName: deps.names };
  const timeZone = arg.timeZone ? { timeZone: arg.timeZone } : {};
  try {
    if (arg.kind === 'report') {
      const from = Date.parse(arg.from);
      const to = Date.parse(arg.to);
      if (from > to) throw new ApiError('BAD_ARGUMENT', 'the period is empty: "from" must be before "to"');
      const data = buildReportFromVault(deps.vault, { from, to, now: deps.now, workstation: site.workstation, ...timeZone });
      const text = arg.format === 'html' ? renderHtmlReport(data, identity) : arg.format === 'csv' ? renderCsv(data) : renderJson(data);
      const first = data.perDay[0]?.date ?? arg.from.slice(0, 10);
      const last = data.perDay.at(-1)?.date ?? arg.to.slice(0, 10);
      return file(`lifeboat-report-${first}-to-${last}.${arg.format}`, MIME[arg.format], Buffer.from(text, 'utf8'));
    }
    const pack = buildEvidencePack(deps.vault, { vaultDir: site.vaultDir, now: deps.now, workstation: site.workstation, selection: { incidentId: arg.incidentId }, identity, ...timeZone });
    const incident = pack.data.incidents[0];
    const name = incident ? `lifeboat-evidence-${incident.startedAt.slice(0, 10)}-${incident.kind}-${appKey(incident.app).replace(/[^a-z0-9]+/g, '-') || 'client'}.zip` : 'lifeboat-evidence.zip';
    return file(name, MIME.zip, pack.zip);
  } catch (err) {
    if (err instanceof IncidentNotFoundError) throw new ApiError('NOT_FOUND', 'that incident is no longer in this vault');
    // An unknown time zone or an impossible period: the caller's argument, said plainly.
    if (err instanceof RangeError) throw new ApiError('BAD_ARGUMENT', err.message);
    throw err;
  }
}

function file(fileName: string, mimeType: string, bytes: Buffer): ExportedFile {
  return { fileName, mimeType, bytes: bytes.length, data: bytes.toString('base64'), savedTo: null };
}
