import { printLine } from './io.ts';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { loadConfig } from '../core/config/configFile.ts';
import { startLifeboat, type LifeboatRuntime } from '../core/startLifeboat.ts';
import { headlessKeySource } from '../core/vault/vaultKey.ts';
import { changeFilter, describeEvent, describeSignal } from './eventPrinter.ts';
import { SimClientProcess } from './sim/simClientProcess.ts';
import { untilInterrupted } from './untilInterrupted.ts';
import { withActiveProfile } from './runtimeOptions.ts';

/** A fictional consultation, typed a few characters at a time as a GP would. No real patient. */
const DEMO_NOTE = [
  'History: 3 days of productive cough, fever 38.4 at home, no haemoptysis. ',
  'Non-smoker. No recent travel. Taking paracetamol with some relief. ',
  'Exam: RR 18, SpO2 97% on air, HR 88, T 37.9. Coarse crackles right base. ',
  'Impression: community-acquired chest infection, CRB-65 score 0. ',
  'Plan: amoxicillin 500 mg TDS for 5 days; safety-netting given: seek help if breathless or worse. ',
  'Review in 1 week if not improving.',
].join('');

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface DemoOptions {
  exit?: boolean;
  serve?: boolean;
  port?: string;
  speed?: string;
  dir?: string;
  verbose?: boolean;
}

async function typeNote(runtime: LifeboatRuntime, state: { id?: string; typed: number }, chars: number, pace: number): Promise<void> {
  const end = Math.min(DEMO_NOTE.length, state.typed + chars);
  while (state.typed < end) {
    state.typed = Math.min(end, state.typed + 6);
    const saved = runtime.vault.save({ ...(state.id ? { id: state.id } : {}), body: DEMO_NOTE.slice(0, state.typed), title: 'Demo consultation', patientRef: 'DEMO-0001', clientProfile: 'simulated' });
    state.id = saved.id;
    await sleep(120 / pace);
  }
}

/** A second fictional note, typed into the simulated client's own consultation box. */
const CLIENT_NOTE = 'Telephone consultation. Asthma review: using reliever twice a week, peak flow 420 (best 450). Inhaler technique checked. Plan: continue current inhalers; review in 6 months.';

async function typeInClient(client: SimClientProcess, text: string, pace: number): Promise<void> {
  for (let i = 0; i < text.length; i += 8) {
    client.type(text.slice(i, i + 8));
    await sleep(120 / pace);
  }
}

/**
 * `lifeboat demo`: the whole product in one headless command. A simulated clinical client runs,
 * a GP types a note, the client slows, hangs and crashes (with its log record and Report.wer),
 * and Lifeboat shows every state change, the incidents, the notifications, and the note offered
 * back after the crash. With the UI served, the same happens in the browser.
 */
export function demoCommand(): Command {
  return new Command('demo')
    .description('run Lifeboat against a simulated clinical client that slows, hangs and crashes (headless)')
    .option('--exit', 'exit when the scenario ends instead of staying up')
    .option('--no-serve', 'do not serve the UI')
    .option('--port <n>', 'UI port (default: random)')
    .option('--speed <x>', 'run the scenario faster (2 = twice as fast)', '1')
    .option('--dir <dir>', 'work folder (default: a new temporary folder)')
    .option('--verbose', 'print every raw signal too')
    .action(async (opts: DemoOptions) => {
      const pace = Math.max(0.25, Number(opts.speed) || 1);
      const base = opts.dir ?? mkdtempSync(join(tmpdir(), 'lifeboat-demo-'));
      const dirs = { vault: join(base, 'vault'), state: join(base, 'state'), logs: join(base, 'client-logs'), wer: join(base, 'WER') };
      // The WER store folders exist on every Windows PC; create them so the watcher sees reports at once.
      for (const dir of [...Object.values(dirs), join(dirs.wer, 'ReportArchive'), join(dirs.wer, 'ReportQueue')]) mkdirSync(dir, { recursive: true });
      const env = { ...process.env, LIFEBOAT_SIM_LOG_DIR: dirs.logs };
      // The demo's client gets a process name of its own, so two demos (or a demo and the tests)
      // on one machine never watch each other's client.
      const title = `lifeboat-sim-${process.pid}`;
      const loaded = withActiveProfile(loadConfig({ env }), 'simulated');
      const config = { ...loaded, active: loaded.active.map((p) => ({ ...p, processNames: [title] })) };
      const clients: SimClientProcess[] = [];
      const say = (line: string): void => printLine(line);

      const runtime = await startLifeboat({
        vaultDir: dirs.vault,
        keySource: headlessKeySource(dirs.vault, env),
        stateDir: dirs.state,
        env,
        config,
        service: {
          werRoots: [join(dirs.wer, 'ReportArchive'), join(dirs.wer, 'ReportQueue')],
          eventLog: 'none',
          logStartAt: 'beginning',
          exitCodeFor: (pid) => {
            const client = clients.find((c) => c.pid === pid);
            return client ? client.exitCode : null;
          },
          ...(opts.verbose ? { onSignal: (s) => say(describeSignal(s)) } : {}),
          onDiagnostic: (d) => say(`  (diagnostic ${d.source}: ${d.message})`),
        },
      });
      const worthShowing = changeFilter();
      runtime.events.subscribe((event) => {
        if (worthShowing(event)) say(describeEvent(event));
      });
      if (!(await runtime.watching())) say('  (the watcher is taking long to start)');
      say(`Lifeboat demo in ${base}`);
      let closeServer = async (): Promise<void> => {};
      if (opts.serve !== false) {
        const { startDemoServe } = await import('./demoServe.ts');
        const server = await startDemoServe(runtime, opts.port ? Number(opts.port) : 0);
        closeServer = server.close;
        say(`Lifeboat UI: ${server.url}`);
      }

      const startClient = async (): Promise<SimClientProcess> => {
        const client = SimClientProcess.start({ logDir: dirs.logs, werDir: dirs.wer, rotateBytes: 64 * 1024, title });
        clients.push(client);
        await client.ready;
        return client;
      };
      const step = (text: string): void => say(`\n== ${text}`);
      const wait = (ms: number): Promise<void> => sleep(ms / pace);
      const note: { id?: string; typed: number } = { typed: 0 };

      step('The clinical client starts');
      let client = await startClient();
      await wait(2500);
      step('The GP types a consultation note (autosaved to the encrypted vault)');
      await typeNote(runtime, note, 180, pace);
      step('The clinical client slows down');
      client.send('slow');
      await wait(6000);
      client.send('normal');
      step('The clinical client hangs (stops responding)');
      client.send('hang');
      await wait(7000);
      client.resume();
      await wait(2500);
      step('The GP keeps typing, then the client crashes: "has encountered a serious problem and needs to close"');
      await typeNote(runtime, note, 200, pace);
      step("The GP types in the clinical client's own consultation box (Lifeboat reads it about once a second)");
      await typeInClient(client, CLIENT_NOTE, pace);
      await wait(1500);
      client.send('crash');
      await client.exited;
      await wait(4000);

      step('Recovery: the note is offered back');
      const groups = await runtime.handlers.recoveryCandidates({});
      for (const group of groups.filter((g) => g.incident?.kind === 'crash')) {
        for (const draft of group.drafts) {
          const time = draft.lastSavedBeforeIncident ? new Date(draft.lastSavedBeforeIncident).toLocaleTimeString('en-GB') : '?';
          const from = draft.origin === 'capture' ? 'read from the client window' : draft.origin === 'clipboard' ? 'copied from the client' : 'Lifeboat note';
          say(`Recovered note "${draft.title}" (${from}) from ${time}, ${draft.secondsBeforeIncident} s before the crash (${draft.revisions} revisions)`);
        }
      }
      step('The clinical client restarts');
      client = await startClient();
      await wait(3000);

      step('Incidents for practice IT');
      for (const incident of runtime.vault.listIncidents()) {
        say(`${incident.startedAt}  ${incident.kind.padEnd(5)}  ${incident.app}  sources: ${incident.sources.join(', ')}${incident.signature ? `  ${incident.signature}` : ''}`);
      }
      say(`\nHealth now: ${runtime.health().state}. Vault: ${dirs.vault}`);
      if (!opts.exit) {
        say('Demo scenario finished; the UI stays up. Ctrl-C to stop.');
        await untilInterrupted();
      }
      for (const c of clients) {
        if (c.exitCode === undefined) {
          c.send('exit');
          await Promise.race([c.exited, sleep(2000)]);
          c.kill();
        }
      }
      await closeServer();
      await runtime.stop();
    });
}
