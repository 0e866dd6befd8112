import { withoutControlChars } from '../common/controlChars.ts';
import { windowsCommand } from '../core/watch/commandRunner.ts';
import { Command, Option } from 'commander';
import type { ApiServer } from '../core/serve/apiServer.ts';
import { platformPolicy } from '../core/config/platformPolicy.ts';
import { startServe } from '../core/serve/startServe.ts';
import type { StartLifeboatOptions } from '../core/startLifeboat.ts';
import { CliError } from './cliError.ts';
import type { MachineContext } from './program.ts';
import { headlessRuntimeOptions, startHeadless } from './runtimeOptions.ts';

interface ServeOptions {
  vault?: string;
  profile?: string;
  port: number;
  host: string;
  open?: boolean;
}

function portNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new CliError(`"${value}" is not a port (0-65535; 0 picks a free one)`, 2);
  return n;
}

function nonEmpty(what: string) {
  return (value: string): string => {
    if (value.trim() === '') throw new CliError(`${what} is empty`, 2);
    return value;
  };
}

/** The practice's settings; a broken file never stops the GP from reaching their notes (startLifeboat's rule). */
async function runtimeOptions(opts: ServeOptions, machine: MachineContext): Promise<StartLifeboatOptions> {
  const flags = { ...(opts.vault ? { vault: opts.vault } : {}), ...(opts.profile ? { profile: opts.profile } : {}) };
  const say = (message: string): void => void process.stderr.write(withoutControlChars(`lifeboat serve: ${message}`) + '\n');
  if (machine.policy.caveat) say(machine.policy.caveat);
  const policy = await platformPolicy(process.platform, say);
  return { ...headlessRuntimeOptions(flags, machine, process.env, policy), service: { onDiagnostic: (d) => d.source === 'config' && say(`config: ${d.message}`) } };
}

/** Opens the URL in the default browser; best effort, the printed URL is the real interface. */
async function openBrowser(url: string): Promise<void> {
  const { spawn } = await import('node:child_process');
  // Windows: the URL handler by full path, not `cmd /c start` (cmd would parse the URL as a command line).
  const [cmd, args] = process.platform === 'win32' ? [windowsCommand('rundll32'), ['url.dll,FileProtocolHandler', url]] : process.platform === 'darwin' ? ['open', [url]] : ['xdg-open', [url]];
  const child = spawn(cmd, args, { stdio: 'ignore', detached: true, windowsHide: true });
  child.on('error', () => process.stderr.write('lifeboat serve: could not open a browser; open the address above yourself\n'));
  child.unref();
}

export function serveCommand(machine: MachineContext): Command {
  return new Command('serve')
    .description('the Lifeboat screens in a browser, on this computer only (127.0.0.1), with a key per launch')
    .addOption(new Option('--vault <dir>', 'vault directory').env('LIFEBOAT_VAULT').argParser(nonEmpty('--vault')))
    .option('--profile <name>', 'watch only this client profile')
    .option('--port <n>', 'port (0 = any free port)', portNumber, 0)
    .option('--host <address>', 'address to listen on; other than 127.0.0.1 only if you mean it', nonEmpty('--host'), '127.0.0.1')
    .option('--open', 'open the address in the default browser')
    .action(async (opts: ServeOptions) => {
      // The live service: the browser shows the same health, incidents and notifications as the tray.
      const runtime = await startHeadless(await runtimeOptions(opts, machine));
      let server: ApiServer;
      try {
        server = await startServe({
          handlers: runtime.handlers,
          events: runtime.events,
          config: runtime.config,
          port: opts.port,
          host: opts.host,
          onRendererBuild: () => process.stderr.write('lifeboat serve: building the screens first (once)…\n'),
        });
      } catch (err) {
        await runtime.stop();
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE') throw new CliError(`port ${opts.port} is in use; pick another with --port, or 0 for any`, 1);
        if (code === 'EADDRNOTAVAIL') throw new CliError(`this computer has no address ${opts.host}`, 1);
        throw err;
      }
      // Exactly one line on stdout: scripts and tests read the address from it.
      process.stdout.write(`Lifeboat UI: ${server.url}\n`);
      if (opts.open) await openBrowser(server.url);

      await new Promise<void>((resolvePromise) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          // Close the server first so no save lands after the vault is closed.
          void server.close().finally(() => {
            void runtime.stop().finally(resolvePromise);
          });
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
