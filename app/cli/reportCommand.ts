import { hostname } from 'node:os';
import { Command, Option } from 'commander';
import { writeFileAtomicSync } from '../core/atomicWrite/atomicWrite.ts';
import { checkOutputDestination } from './outputDestination.ts';
import { renderCsv } from '../core/report/csvReport.ts';
import { renderHtmlReport } from '../core/report/htmlReport.ts';
import { buildReportFromVault } from '../core/report/reportData.ts';
import { renderJson } from '../core/report/reportSchema.ts';
import { parseWallTimeText, UnknownTimeZoneError } from '../common/wallTime.ts';
import { nextDate } from '../core/report/zonedCalendar.ts';
import { CliError } from './cliError.ts';
import { vaultOption } from './vaultOption.ts';
import { printJson } from './io.ts';
import { withVault } from './openVault.ts';

const DAY = 86_400_000;
export const DEFAULT_REPORT_DAYS = 30;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A date or time as every command reads one (app/common/wallTime.ts): without an offset it is in
 * `timeZone` (the command's --time-zone), else this computer's zone; with Z or +01:00 exactly that.
 * A bare date is that day's midnight (for --to: the end of that day).
 */
export function parseIsoOption(value: string, name: string, endOfDay = false, timeZone?: string): number {
  let ms: number | null;
  try {
    ms = parseWallTimeText(value, timeZone);
  } catch (err) {
    if (err instanceof UnknownTimeZoneError) throw new CliError(err.message, 2);
    throw err;
  }
  if (ms === null) throw new CliError(`${name} "${value}" is not a date or time the calendar has; give one such as 2026-01-05 or 2026-01-05T09:00:00Z`, 2);
  if (!endOfDay || !DATE_ONLY.test(value.trim())) return ms;
  return parseWallTimeText(nextDate(value.trim()), timeZone)! - 1;
}

/** --from/--to with the defaults: to = now, from = 30 days before to. */
export function reportPeriod(opts: { from?: string; to?: string; timeZone?: string }, now: number): { from: number; to: number } {
  const to = opts.to === undefined ? now : parseIsoOption(opts.to, '--to', true, opts.timeZone);
  const from = opts.from === undefined ? to - DEFAULT_REPORT_DAYS * DAY : parseIsoOption(opts.from, '--from', false, opts.timeZone);
  if (from > to) throw new CliError('--from must be before --to; swap them', 2);
  return { from, to };
}


export function timeZoneOption(): Option {
  return new Option('--time-zone <zone>', "IANA time zone for days and hours (default this computer's)");
}

interface ReportOpts {
  vault: string;
  from?: string;
  to?: string;
  format: 'html' | 'csv' | 'json';
  out: string;
  timeZone?: string;
  workstation?: string;
}

export function reportCommand(): Command {
  return new Command('report')
    .description('incident report for practice IT: HTML (charts, prints well), CSV (one row per incident) or JSON; evidence redacted, no note text')
    .addOption(vaultOption())
    .option('--from <iso>', `start of the period (default ${DEFAULT_REPORT_DAYS} days before --to)`)
    .option('--to <iso>', 'end of the period (default now; a bare date includes that whole day)')
    .addOption(new Option('--format <format>', 'output format').choices(['html', 'csv', 'json']).default('html'))
    .requiredOption('--out <file>', 'file to write (replaced atomically, readable only by you)')
    .addOption(timeZoneOption())
    .option('--workstation <name>', 'workstation name shown in the report', hostname())
    .action(async (opts: ReportOpts) => {
      const now = Date.now();
      const period = reportPeriod(opts, now);
      const out = checkOutputDestination(opts.out, { private: false });
      await withVault(opts.vault, (vault) => {
        let data;
        try {
          data = buildReportFromVault(vault, { ...period, now, workstation: opts.workstation ?? null, ...(opts.timeZone ? { timeZone: opts.timeZone } : {}) });
        } catch (err) {
          if (err instanceof RangeError) throw new CliError(err.message, 2);
          throw err;
        }
        const text = opts.format === 'html' ? renderHtmlReport(data) : opts.format === 'csv' ? renderCsv(data) : renderJson(data);
        writeFileAtomicSync(out, text, { mode: 0o600 });
        printJson({ out: opts.out, format: opts.format, incidents: data.totals.incidents, from: data.period.from, to: data.period.to, redactions: data.redactions });
      });
    });
}
