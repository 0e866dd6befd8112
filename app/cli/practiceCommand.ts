import { hostname } from 'node:os';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { systemClock } from '../common/clock.ts';
import { parseDuration } from '../common/duration.ts';
import { defaultLocations } from '../core/paths/defaultLocations.ts';
import { mergePractice, practiceOutageNow, type MergeResult } from '../core/practice/mergePractice.ts';
import { practiceKeyFromSettings } from '../core/practice/shareAuth.ts';
import { safeWorkstationName } from '../core/practice/shareFormat.ts';
import { loadConfig } from '../core/config/configFile.ts';
import { ShareConfigError, ShareWriter } from '../core/practice/shareWriter.ts';
import type { MachineContext } from './program.ts';
import { CliError } from './cliError.ts';
import { printJson, printLine, printTable } from './io.ts';
import { withVault } from './openVault.ts';
import { parseIsoOption } from './reportCommand.ts';

/** Exit code when incidents were queued but the share could not be reached (EX_TEMPFAIL). */
export const EXIT_SHARE_OFFLINE = 75;

function duration(value: string): number {
  try {
    return parseDuration(value);
  } catch (err) {
    throw new CliError((err as Error).message, 2);
  }
}

function atLeastOne(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`"${value}" is not a number of workstations (1, 2, 3…)`, 2);
  return n;
}

function printMerge(result: MergeResult): void {
  const now = practiceOutageNow(result, Date.parse(result.generatedAt));
  printLine(`Practice share: ${result.workstations.length} workstations; outage = ${result.settings.minWorkstations}+ workstations in trouble within ${result.settings.windowMs / 60_000} min`);
  if (now) printLine(`NOW: practice-wide problem on ${now.workstations} workstations since ${new Date(now.since).toISOString()} — not a single PC's fault`);
  printLine('');
  printLine('Workstations');
  printTable(
    result.workstations.map((w) => ({
      name: w.name,
      crash: w.counts.crash,
      hang: w.counts.hang,
      slow: w.counts.slow,
      exit: w.counts.exit,
      lastSeen: w.lastSeen ?? '',
      clock: w.clockSkewMs === null ? '' : `${w.clockSkewMs > 0 ? '+' : ''}${Math.round(w.clockSkewMs / 1000)} s${w.skewCorrected ? ' (corrected)' : ''}`,
    })),
    ['name', 'crash', 'hang', 'slow', 'exit', 'lastSeen', 'clock'],
  );
  printLine('');
  printLine(`Practice-wide outages: ${result.outages.length}`);
  if (result.outages.length > 0) {
    printTable(
      result.outages.map((o) => ({ firstSeen: o.firstSeen, lastSeen: o.lastSeen, affected: o.affected, crash: o.kinds.crash, hang: o.kinds.hang, slow: o.kinds.slow, workstations: o.workstations.slice(0, 8).join(',') + (o.workstations.length > 8 ? ',…' : '') })),
      ['firstSeen', 'lastSeen', 'affected', 'crash', 'hang', 'slow', 'workstations'],
    );
  }
  if (result.skipped.length > 0) {
    printLine('');
    printLine(`Skipped or partly read: ${result.skipped.length}`);
    for (const s of result.skipped) printLine(`  ${s.path}: ${s.reason}${s.recordsKept !== undefined ? ` (${s.recordsKept} records kept)` : ''}`);
  }
}

interface PracticeOpts {
  share?: string;
  json?: boolean;
  window: number;
  minWorkstations?: number;
  since?: string;
  publish?: boolean;
  vault?: string;
  workstation: string;
  outbox?: string;
}

/**
 * One command, two modes, so no option of a subcommand can be taken by its parent (commander
 * gives a parent's options precedence unless the whole program uses positional options):
 * - view (default): merge the share, print counts, outages and skipped files;
 * - --publish: copy this PC's incidents from the vault to the share, queued while it is away.
 */
export function practiceCommand(machine: MachineContext): Command {
  return new Command('practice')
    .description('practice-wide view from a shared folder: per-workstation counts and practice-wide outages; --publish copies this PC\'s incidents there')
    .option('--share <dir>', 'the practice share (a UNC path such as \\\\server\\lifeboat)')
    .option('--json', 'one JSON object: {workstations, outages, skipped}')
    .addOption(new Option('--window <duration>', 'T: trouble within this long is one outage').argParser(duration).default(10 * 60_000, '10m'))
    .option('--min-workstations <k>', 'K: workstations in trouble together that make an outage (default 3, or half the practice)', atLeastOne)
    .option('--since <iso>', 'only incidents from this time')
    .option('--publish', "copy this PC's incidents from --vault to the share (queued locally while the share is away; exit 75 then)")
    .option('--vault <dir>', 'vault directory, with --publish')
    .option('--workstation <name>', 'folder name on the share, with --publish', safeWorkstationName(hostname()))
    .option('--outbox <dir>', 'local outbox, with --publish (default: the Lifeboat data folder)')
    .action(async (opts: PracticeOpts) => {
      if (!opts.share) throw new CliError('--share DIR is required (the practice share folder)', 2);
      const since = opts.since === undefined ? undefined : parseIsoOption(opts.since, '--since');
      if (opts.publish) return publish(opts, opts.share, since, machine);
      let result: MergeResult;
      try {
        result = await mergePractice(opts.share, {
          practiceKey: practiceKey(machine),
          windowMs: opts.window,
          ...(opts.minWorkstations !== undefined ? { minWorkstations: opts.minWorkstations } : {}),
          ...(since !== undefined ? { since } : {}),
        });
      } catch (err) {
        throw new CliError((err as Error).message, 1);
      }
      if (opts.json) printJson(result);
      else printMerge(result);
    });
}

/** The practice key is a machine-policy setting: read from the policy file as the service reads it. */
function practiceKey(machine: MachineContext): Buffer | null {
  try {
    return practiceKeyFromSettings(loadConfig({ env: process.env, policyPath: machine.policy.path }).settings);
  } catch (err) {
    throw new CliError(`the machine policy cannot be read (${(err as Error).message.split('\n')[0]}); the practice key is set there`, 2);
  }
}

async function publish(opts: PracticeOpts, share: string, since: number | undefined, machine: MachineContext): Promise<void> {
  // The vault the running service uses unless told otherwise, as every other command.
  const vault = opts.vault ?? defaultLocations().vaultDir;
  const incidents = await withVault(vault, (v) => v.listIncidents(since === undefined ? {} : { from: since }));
  let writer: ShareWriter;
  try {
    writer = ShareWriter.open({ shareDir: share, workstation: opts.workstation, outboxDir: opts.outbox ?? join(defaultLocations().dataDir, 'practice-outbox'), clock: systemClock, practiceKey: practiceKey(machine) });
  } catch (err) {
    if (err instanceof ShareConfigError) throw new CliError(err.message, 2);
    throw err;
  }
  writer.record(incidents);
  // A heartbeat, not just a flush: this month's file is written even without an incident, so a
  // quiet PC counts as one of the practice's workstations.
  const result = await writer.heartbeat();
  printJson({ workstation: opts.workstation, incidents: incidents.length, ...result });
  if (!result.ok) throw new CliError(`${result.error ?? 'practice share unavailable'}; ${result.pending.length} month(s) queued in the outbox`, EXIT_SHARE_OFFLINE);
}
