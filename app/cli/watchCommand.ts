import { Command } from 'commander';
import { startLifeboat } from '../core/startLifeboat.ts';
import { changeFilter, describeEvent, eventJson } from './eventPrinter.ts';
import { headlessRuntimeOptions } from './runtimeOptions.ts';
import { untilInterrupted } from './untilInterrupted.ts';

export function watchCommand(): Command {
  return new Command('watch')
    .description('watch the clinical client live: health changes and incidents (NDJSON with --json)')
    .option('--profile <name>', 'watch only this client profile (emis-web, systmone, vision, generic, simulated)')
    .option('--vault <dir>', 'vault directory (incidents are stored there)')
    .option('--config <file>', 'user config file')
    .option('--policy <file>', 'machine policy file')
    .option('--json', 'one JSON object per line per state change or incident')
    .action(async (opts: { profile?: string; vault?: string; config?: string; policy?: string; json?: boolean }) => {
      const runtime = await startLifeboat({
        ...headlessRuntimeOptions(opts),
        service: { onDiagnostic: (d) => process.stderr.write(`lifeboat: ${d.source}: ${d.message}\n`) },
      });
      const worthShowing = changeFilter();
      runtime.events.subscribe((event) => {
        if (event.type === 'notification' && opts.json) return;
        if (!opts.json && !worthShowing(event)) return;
        process.stdout.write((opts.json ? eventJson(event) : describeEvent(event)) + '\n');
      });
      if (!opts.json) {
        const names = runtime.config.active.map((p) => p.displayName).join(', ');
        process.stdout.write(`Watching ${names}; health ${runtime.health().state}. Ctrl-C to stop.\n`);
      }
      await untilInterrupted();
      await runtime.stop();
    });
}
