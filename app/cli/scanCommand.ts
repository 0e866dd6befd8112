import { Command } from 'commander';
import { withoutControlChars } from '../common/controlChars.ts';
import { checkTimeZone, parseWallTimeText, UnknownTimeZoneError } from '../common/wallTime.ts';
import { loadConfig } from '../core/config/configFile.ts';
import { defaultLocations } from '../core/paths/defaultLocations.ts';
import { scanArtefacts, type ScanOutcome } from '../core/scan/scanArtefacts.ts';
import type { MachineContext } from './program.ts';
import { CliError } from './cliError.ts';
import { printJson, printTable } from './io.ts';
import { withActiveProfile } from './runtimeOptions.ts';

interface ScanOpts {
  json?: boolean;
  profile: string;
  since?: string;
  config?: string;
  policy?: string;
  allApps?: boolean;
  logTimezone?: string;
}

export function scanCommand(machine: MachineContext): Command {
  const command = new Command('scan')
    .description('scan logs, Report.wer files and Event Log exports (wevtutil, Event Viewer, XML-view and "Details" copies) offline and list the incidents they show')
    .argument('<paths...>', 'files or folders')
    .option('--json', 'one JSON object: {incidents, signals, files, skipped, warnings}')
    .option('--profile <name>', "client profile whose log patterns apply; given explicitly, every log scanned counts as that client's", 'emis-web')
    .option('--since <time>', 'ignore evidence before this time: 2026-04-06, 2026-04-06T18:30 (in --log-timezone, else this computer\'s zone) or with Z / +01:00')
    .option('--log-timezone <zone>', "IANA zone the copied logs and Event Viewer text were written in (default this computer's), e.g. Europe/London")
    .option('--all-apps', 'incidents for every program in Report.wer files and Event Log exports, not only the watched clients')
    .option('--config <file>', 'user config file')
    .option('--policy <file>', "a policy file whose patterns to scan with (default this computer's machine policy)");
  return command.action(async (paths: string[], opts: ScanOpts) => {
    let logTimeZone: string | undefined;
    try {
      logTimeZone = opts.logTimezone === undefined ? undefined : checkTimeZone(opts.logTimezone);
    } catch (err) {
      if (err instanceof UnknownTimeZoneError) throw new CliError(`--log-timezone: ${err.message}`, 2);
      throw err;
    }
    const sinceMs = opts.since === undefined ? undefined : parseWallTimeText(opts.since, logTimeZone);
    if (sinceMs === null) throw new CliError(`--since "${opts.since}" is not a date or time the calendar has; give one such as 2026-04-06, 2026-04-06T18:30 or 2026-04-06T18:30:00Z`, 2);
    const locations = defaultLocations();
    const loaded = loadConfig({ env: process.env, userPath: opts.config ?? locations.userConfig, policyPath: opts.policy ?? machine.policy.path });
    const config = withActiveProfile(loaded, opts.profile);
    const outcome = await scanArtefacts(paths, {
      profile: config.active[0]!,
      allProfiles: config.profiles,
      profileExplicit: command.getOptionValueSource('profile') === 'cli',
      logFolders: config.logFolders,
      allApps: opts.allApps ?? false,
      ...(sinceMs !== undefined ? { sinceMs } : {}),
      ...(logTimeZone !== undefined ? { logTimeZone } : {}),
    });
    if (opts.json) {
      printJson(outcome.report);
      return;
    }
    printSummary(outcome, opts.allApps ?? false);
  });
}

function printSummary({ report, otherApps }: ScanOutcome, allApps: boolean): void {
  printTable(
    report.incidents.map((i) => ({ startedAt: i.startedAt, kind: i.kind, app: i.app, sources: i.sources.join(','), signature: i.signature ?? '' })),
    ['startedAt', 'kind', 'app', 'sources', 'signature'],
  );
  // A scanned file's name or text cannot rewrite the terminal: control characters become U+FFFD.
  const out = (line: string): boolean => process.stdout.write(`${withoutControlChars(line)}\n`);
  out(`${report.incidents.length} incidents from ${report.signals} signals in ${report.files.length} files read; ${report.skipped.length} skipped`);
  for (const f of report.files) {
    const unit = f.type === 'log' ? 'lines' : f.type === 'wer' ? 'report' : 'events';
    out(`  ${f.path}: ${f.type}, ${f.records} ${unit}, ${f.incidents} incidents${f.ignored > 0 ? `, ${f.ignored} ignored` : ''}`);
  }
  if (otherApps.size > 0 && !allApps) {
    const total = [...otherApps.values()].reduce((a, b) => a + b, 0);
    const names = [...otherApps].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([app, n]) => (n > 1 ? `${app} ×${n}` : app));
    out(`${total} crash or hang record${total === 1 ? '' : 's'} belong to programs Lifeboat does not watch: ${names.join(', ')} (add --all-apps to list them)`);
  }
  for (const s of report.skipped) out(`  skipped ${s.path}: ${s.reason}`);
  for (const w of report.warnings) out(`  warning ${w.path}: ${w.reason}`);
}
