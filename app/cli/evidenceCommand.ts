import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { writeFileAtomicSync } from '../core/atomicWrite/atomicWrite.ts';
import { checkOutputDestination } from './outputDestination.ts';
import { buildEvidencePack, EVIDENCE_PACK_FILES, IncidentNotFoundError, type EvidenceSelection } from '../core/report/evidencePack.ts';
import { CliError } from './cliError.ts';
import { printJson } from './io.ts';
import { withVault } from './openVault.ts';
import { parseIsoOption, timeZoneOption } from './reportCommand.ts';
import { vaultOption } from './vaultOption.ts';

interface EvidenceOpts {
  vault: string;
  incident?: string;
  from?: string;
  to?: string;
  out: string;
  timeZone?: string;
  workstation?: string;
}

export function evidenceCommand(): Command {
  return new Command('evidence')
    .description(`evidence pack for a supplier ticket: a zip of ${EVIDENCE_PACK_FILES.join(', ')}; evidence redacted, never note text`)
    .addOption(vaultOption())
    .option('--incident <id>', 'one incident')
    .option('--from <iso>', 'start of a period (with --to)')
    .option('--to <iso>', 'end of a period (with --from; a bare date includes that whole day)')
    .requiredOption('--out <file.zip>', 'zip file to write (replaced atomically, readable only by you)')
    .addOption(timeZoneOption())
    .option('--workstation <name>', 'workstation name shown in the report', hostname())
    .action(async (opts: EvidenceOpts) => {
      let selection: EvidenceSelection;
      if (opts.incident !== undefined) {
        if (opts.from !== undefined || opts.to !== undefined) throw new CliError('give either --incident ID or --from and --to, not both', 2);
        selection = { incidentId: opts.incident };
      } else {
        if (opts.from === undefined || opts.to === undefined) throw new CliError('give --incident ID, or both --from and --to', 2);
        selection = { from: parseIsoOption(opts.from, '--from', false, opts.timeZone), to: parseIsoOption(opts.to, '--to', true, opts.timeZone) };
        if (selection.from > selection.to) throw new CliError('--from must be before --to; swap them', 2);
      }
      const out = checkOutputDestination(opts.out, { private: false });
      await withVault(opts.vault, (vault) => {
        let pack;
        try {
          pack = buildEvidencePack(vault, {
            vaultDir: resolve(opts.vault),
            now: Date.now(),
            selection,
            workstation: opts.workstation ?? null,
            ...(opts.timeZone ? { timeZone: opts.timeZone } : {}),
          });
        } catch (err) {
          if (err instanceof IncidentNotFoundError) throw new CliError(err.message, 1);
          if (err instanceof RangeError) throw new CliError(err.message, 2);
          throw err;
        }
        writeFileAtomicSync(out, pack.zip, { mode: 0o600 });
        printJson({ out: opts.out, files: [...EVIDENCE_PACK_FILES], incidents: pack.data.totals.incidents, bytes: pack.zip.length, redactions: pack.data.redactions });
      });
    });
}
