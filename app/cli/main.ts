import { Command, CommanderError } from 'commander';
import { CliError } from './cliError.ts';
import { demoCommand } from './demoCommand.ts';
import { draftsCommand } from './draftsCommand.ts';
import { scanCommand } from './scanCommand.ts';
import { serveCommand } from './serveCommand.ts';
import { reportCommand } from './reportCommand.ts';
import { evidenceCommand } from './evidenceCommand.ts';
import { practiceCommand } from './practiceCommand.ts';
import { watchCommand } from './watchCommand.ts';

const program = new Command('lifeboat')
  .description('Lifeboat: keeps the consultation note safe and watches the clinical client')
  .option('--debug', 'print stack traces on errors')
  .exitOverride();

program.addCommand(draftsCommand());
program.addCommand(scanCommand());
program.addCommand(watchCommand());
program.addCommand(serveCommand());
program.addCommand(reportCommand());
program.addCommand(evidenceCommand());
program.addCommand(practiceCommand());
program.addCommand(demoCommand());

function debugRequested(): boolean {
  return process.argv.includes('--debug') || program.opts<{ debug?: boolean }>().debug === true;
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // commander already printed its message (or help); keep its exit code, 0 for --help.
    process.exitCode = err.exitCode;
  } else {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`lifeboat: ${message.split('\n')[0]}\n`);
    if (debugRequested() && err instanceof Error && err.stack) process.stderr.write(err.stack + '\n');
    process.exitCode = err instanceof CliError ? err.exitCode : 1;
  }
}
