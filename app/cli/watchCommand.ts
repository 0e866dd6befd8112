import { withoutControlChars } from '../common/controlChars.ts';
import { diagnostic, diagnosticLine, type Diagnostic } from '../common/diagnostic.ts';
import { printLine } from './io.ts';
import { Command } from 'commander';
import type { LifeboatEvent } from '../common/api.ts';
import type { Signal } from '../common/signal.ts';
import { platformPolicy } from '../core/config/platformPolicy.ts';
import { changeFilter, describeEvent, describeSignal, eventJson, watchStartJson } from './eventPrinter.ts';
import type { MachineContext } from './program.ts';
import { headlessRuntimeOptions, startHeadless } from './runtimeOptions.ts';
import { untilInterrupted } from './untilInterrupted.ts';

export function watchCommand(machine: MachineContext): Command {
  return new Command('watch')
    .description('watch the clinical client live: health changes and incidents (NDJSON with --json)')
    .option('--profile <name>', 'watch only this client profile (emis-web, systmone, vision, generic, simulated)')
    .option('--vault <dir>', 'vault directory (incidents are stored there)')
    .option('--config <file>', 'user config file (the machine policy has a fixed place: see README, Configuration)')
    .option('--json', 'NDJSON: first the state at start, then one object per health change and per incident change')
    .option('--signals', 'also print every signal a source sends (with --json: {"type":"signal",…})')
    .action(async (opts: { profile?: string; vault?: string; config?: string; json?: boolean; signals?: boolean }) => {
      const printSignal = (signal: Signal): void => {
        process.stdout.write((opts.json ? JSON.stringify({ type: 'signal', ...signal }) : withoutControlChars(describeSignal(signal))) + '\n');
      };
      const onDiagnostic = (d: Diagnostic): void => void process.stderr.write(withoutControlChars(`lifeboat: ${diagnosticLine(d)}`) + '\n');
      if (machine.policy.caveat) onDiagnostic(diagnostic('config', 'policy-place-unverified', machine.policy.caveat));
      const policy = await platformPolicy(process.platform, (message) => onDiagnostic(diagnostic('config', 'policy-unavailable', message)));
      const runtime = await startHeadless({
        ...headlessRuntimeOptions(opts, machine, process.env, policy),
        service: {
          onDiagnostic,
          ...(opts.signals ? { onSignal: printSignal } : {}),
        },
      });
      const worthShowing = changeFilter();
      const print = (event: LifeboatEvent): void => {
        if (event.type === 'notification' && opts.json) return;
        if (!worthShowing(event)) return;
        if (opts.json) process.stdout.write(eventJson(event) + '\n');
        else printLine(describeEvent(event));
      };
      // Events from the start on, held until the watcher process is up and the first line is out.
      let held: LifeboatEvent[] | null = [];
      runtime.events.subscribe((event) => (held ? held.push(event) : print(event)));
      if (!(await runtime.watching())) onDiagnostic(diagnostic('watcher', 'watcher-slow-start', 'the watcher is taking long to start; events follow when it does'));
      if (opts.json) {
        // The first line says what is being watched and the health now: a reader knows the watcher is up.
        const health = runtime.health();
        process.stdout.write(watchStartJson({ profiles: runtime.settings.current().active.map((p) => p.name), health: health.state, since: health.since, reason: health.reason }) + '\n');
      }
      // Health changes before it are in that first line; incidents found while starting follow it.
      const early = held;
      held = null;
      for (const event of early) if (!(opts.json && event.type === 'health')) print(event);
      if (!opts.json) {
        const names = runtime.settings.current().active.map((p) => p.displayName).join(', ');
        printLine(`Watching ${names}; health ${runtime.health().state}. Ctrl-C to stop.`);
      }
      await untilInterrupted();
      await runtime.stop();
    });
}
