import { Command, Option } from 'commander';
import { parseDuration } from '../common/duration.ts';
import { REVISION_REASONS, type RevisionReason } from '../common/draft.ts';
import { CliError } from './cliError.ts';
import { printJson, printTable, readStdin } from './io.ts';
import { writeFileAtomicSync } from '../core/atomicWrite/atomicWrite.ts';
import { checkOutputDestination } from './outputDestination.ts';
import { withVault } from './openVault.ts';
import { vaultOption } from './vaultOption.ts';


const DAY_MS = 86_400_000;


function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`"${value}" is not a revision number (1, 2, 3…)`, 2);
  return n;
}

export function draftsCommand(): Command {
  const drafts = new Command('drafts').description('the encrypted note vault: save, list, show, search, export, purge');

  drafts
    .command('save')
    .description('save a note read from stdin; each CLI save records a revision')
    .addOption(vaultOption())
    .option('--id <id>', 'draft id (new draft when absent or unknown)')
    .option('--title <title>', 'title')
    .option('--patient-ref <ref>', 'opaque patient reference (kept encrypted)')
    .option('--profile <name>', 'clinical client profile')
    .addOption(new Option('--reason <reason>', 'why this revision is written').choices(REVISION_REASONS).default('blur'))
    .action(async (opts: { vault: string; id?: string; title?: string; patientRef?: string; profile?: string; reason: RevisionReason }) => {
      const body = await readStdin();
      if (body.trim() === '') throw new CliError('nothing to save: standard input held no text; pipe the note in, e.g. `lifeboat drafts save --vault DIR < note.txt`', 2);
      await withVault(opts.vault, (vault) => {
        const result = vault.save({ id: opts.id, body, title: opts.title, patientRef: opts.patientRef, clientProfile: opts.profile, reason: opts.reason });
        printJson({ id: result.id, revision: result.revision });
      }, { mayCreate: true });
    });

  drafts
    .command('list')
    .description('drafts, newest first')
    .addOption(vaultOption())
    .option('--json', 'JSON output')
    .option('--limit <n>', 'at most this many', (v) => positiveInt(v), 1000)
    .action(async (opts: { vault: string; json?: boolean; limit: number }) => {
      await withVault(opts.vault, (vault) => {
        const rows = vault.list({ limit: opts.limit });
        if (opts.json) printJson(rows);
        else printTable(rows.map((r) => ({ ...r })), ['updatedAt', 'state', 'revisions', 'title', 'id']);
      });
    });

  drafts
    .command('show <id>')
    .description("a draft's text (current, or --revision N); audited")
    .addOption(vaultOption())
    .option('--json', 'JSON output')
    .option('--revision <n>', 'a revision number', (v) => positiveInt(v))
    .action(async (id: string, opts: { vault: string; json?: boolean; revision?: number }) => {
      await withVault(opts.vault, (vault) => {
        const detail = vault.show(id, opts.revision);
        if (opts.json) printJson(detail);
        else process.stdout.write(`# ${detail.title || '(untitled)'} — revision ${detail.revision}, ${detail.updatedAt}\n${detail.body}\n`);
      });
    });

  drafts
    .command('revisions <id>')
    .description("a draft's revision history (times, reasons, sizes; no text)")
    .addOption(vaultOption())
    .option('--json', 'JSON output')
    .action(async (id: string, opts: { vault: string; json?: boolean }) => {
      await withVault(opts.vault, (vault) => {
        const rows = vault.revisions(id);
        if (opts.json) printJson(rows);
        else printTable(rows.map((r) => ({ ...r })), ['seq', 'at', 'reason', 'length']);
      });
    });

  drafts
    .command('search <query>')
    .description('full-text search over titles and current text, best match first (a query starting with - goes after --)')
    .addOption(vaultOption())
    .option('--json', 'JSON output')
    .option('--limit <n>', 'at most this many', (v) => positiveInt(v), 50)
    .action(async (query: string, opts: { vault: string; json?: boolean; limit: number }) => {
      await withVault(opts.vault, (vault) => {
        const rows = vault.search(query, { limit: opts.limit });
        if (opts.json) printJson(rows);
        else printTable(rows.map((r) => ({ ...r })), ['updatedAt', 'state', 'revisions', 'title', 'id']);
      });
    });

  drafts
    .command('export')
    .description('write every draft with its history to a JSON file readable only by you; audited')
    .addOption(vaultOption())
    .requiredOption('--out <file>', 'output file')
    .action(async (opts: { vault: string; out: string }) => {
      const out = checkOutputDestination(opts.out, { private: true });
      await withVault(opts.vault, (vault) => {
        const exported = vault.exportAll();
        writeFileAtomicSync(out, JSON.stringify(exported, null, 2) + '\n');
        printJson({ out: opts.out, drafts: exported.drafts.length });
      });
    });

  drafts
    .command('purge')
    .description('delete unpinned drafts older than a given age, text and history; audited')
    .addOption(vaultOption())
    .requiredOption('--older-than <age>', 'age such as 14d, 12h')
    .option('--yes', 'confirm a purge that would delete every draft (or an age under a day)')
    .action(async (opts: { vault: string; olderThan: string; yes?: boolean }) => {
      let age: number;
      try {
        age = parseDuration(opts.olderThan);
      } catch (err) {
        throw new CliError((err as Error).message, 2);
      }
      await withVault(opts.vault, (vault) => {
        if (!opts.yes) {
          const drafts = vault.list({ limit: Number.MAX_SAFE_INTEGER });
          const cutoff = Date.now() - age;
          const everyDraft = drafts.length > 0 && drafts.every((d) => Date.parse(d.updatedAt) < cutoff);
          if (age < DAY_MS || everyDraft) {
            throw new CliError(`--older-than ${opts.olderThan} would delete ${everyDraft ? `every draft (${drafts.length})` : 'drafts from today'} for good; add --yes if that is what you want`, 2);
          }
        }
        printJson({ purged: vault.purgeOlderThan(age) });
      });
    });

  return drafts;
}
