import { Command, CommanderError } from 'commander';
import { errorLine } from './errorLine.ts';
import { demoCommand } from './demoCommand.ts';
import { draftsCommand } from './draftsCommand.ts';
import { scanCommand } from './scanCommand.ts';
import { serveCommand } from './serveCommand.ts';
import { reportCommand } from './reportCommand.ts';
import { evidenceCommand } from './evidenceCommand.ts';
import { practiceCommand } from './practiceCommand.ts';
import { watchCommand } from './watchCommand.ts';
import type { MachinePolicyLocation } from '../core/config/machinePolicy.ts';

/** What the CLI knows about this machine that the user cannot change: where the practice's policy is. */
export interface MachineContext {
  policy: MachinePolicyLocation;
}

function lifeboatProgram(machine: MachineContext): Command {
  const program = new Command('lifeboat')
    .description('Lifeboat: keeps the consultation note safe and watches the clinical client')
    .option('--debug', 'print stack traces on errors');
  program.addCommand(draftsCommand());
  program.addCommand(scanCommand(machine));
  program.addCommand(watchCommand(machine));
  program.addCommand(serveCommand(machine));
  program.addCommand(reportCommand());
  program.addCommand(evidenceCommand());
  program.addCommand(practiceCommand(machine));
  program.addCommand(demoCommand());
  return program;
}

/** Every command answers errors the same way: no commander-printed text, one line from errorLine. */
function quietErrors(command: Command): void {
  command.exitOverride().configureOutput({ outputError: () => {} });
  for (const sub of command.commands) quietErrors(sub);
}

function debugRequested(program: Command, argv: readonly string[]): boolean {
  return argv.includes('--debug') || program.opts<{ debug?: boolean }>().debug === true;
}

/** "drafts list", "scan": the command the arguments name, for the "see … --help" advice. */
function namedCommand(program: Command, args: readonly string[]): string | null {
  const words = args.filter((arg) => !arg.startsWith('-'));
  const top = program.commands.find((c) => c.name() === words[0]);
  if (!top) return null;
  const sub = top.commands.find((c) => c.name() === words[1]);
  return sub ? `${top.name()} ${sub.name()}` : top.name();
}

/**
 * Runs the `lifeboat` command line. bin/lifeboat.js (and the bundled CLI) come through app/cli/main.ts
 * with the machine's fixed policy location; only the test entry (tests/support/lifeboatUnderTest.ts) passes another.
 */
export async function runLifeboatCli(argv: readonly string[], machine: MachineContext): Promise<void> {
  const program = lifeboatProgram(machine);
  quietErrors(program);
  // A reader that stops early (`lifeboat scan … | head`) is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });

  try {
    await program.parseAsync([...argv]);
  } catch (err) {
    if (err instanceof CommanderError && err.exitCode === 0) {
      // --help or --version: commander printed it; nothing went wrong.
      process.exitCode = 0;
    } else {
      const line = errorLine(err, namedCommand(program, argv.slice(2)));
      process.stderr.write(`lifeboat: ${line.message}\n`);
      if (debugRequested(program, argv) && err instanceof Error && err.stack) process.stderr.write(err.stack + '\n');
      process.exitCode = line.exitCode;
    }
  }
}
