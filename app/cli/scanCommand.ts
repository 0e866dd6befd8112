import { Command } from 'commander';
import { loadConfig } from '../core/config/configFile.ts';
import { defaultLocations } from '../core/paths/defaultLocations.ts';
import { scanArtefacts } from '../core/scan/scanArtefacts.ts';
import { CliError } from './cliError.ts';
import { printJson, printTable } from './io.ts';
import { withActiveProfile } from './runtimeOptions.ts';

export function scanCommand(): Command {
  return new Command('scan')
    .description('scan logs, Report.wer files and wevtutil XML exports offline and list the incidents they show')
    .argument('<paths...>', 'files or folders')
    .option('--json', 'one JSON object: {incidents, signals, skipped}')
    .option('--profile <name>', 'client profile whose log patterns apply', 'emis-web')
    .option('--since <iso>', 'ignore evidence before this time (ISO 8601)')
    .option('--config <file>', 'user config file')
    .option('--policy <file>', 'machine policy file')
    .action(async (paths: string[], opts: { json?: boolean; profile: string; since?: string; config?: string; policy?: string }) => {
      const sinceMs = opts.since === undefined ? undefined : Date.parse(opts.since);
      if (sinceMs !== undefined && Number.isNaN(sinceMs)) throw new CliError(`--since "${opts.since}" is not an ISO 8601 time`, 2);
      const locations = defaultLocations();
      const config = withActiveProfile(loadConfig({ env: process.env, userPath: opts.config ?? locations.userConfig, policyPath: opts.policy ?? locations.policyConfig }), opts.profile);
      const report = await scanArtefacts(paths, { profile: config.active[0]!, allProfiles: config.profiles, ...(sinceMs !== undefined ? { sinceMs } : {}) });
      if (opts.json) {
        printJson(report);
        return;
      }
      printTable(
        report.incidents.map((i) => ({ startedAt: i.startedAt, kind: i.kind, app: i.app, sources: i.sources.join(','), signature: i.signature ?? '' })),
        ['startedAt', 'kind', 'app', 'sources', 'signature'],
      );
      process.stdout.write(`${report.incidents.length} incidents from ${report.signals} signals; ${report.skipped.length} files skipped\n`);
      for (const s of report.skipped) process.stdout.write(`  skipped ${s.path}: ${s.reason}\n`);
    });
}
