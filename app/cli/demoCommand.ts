import { printLine } from './io.ts';
import { existsSync, mkdtempSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { diagnosticLine } from '../common/diagnostic.ts';
import { loadConfig } from '../core/config/configFile.ts';
import type { HealthState } from '../common/incident.ts';
import { startLifeboat, type LifeboatRuntime } from '../core/startLifeboat.ts';
import { headlessKeySource } from '../core/vault/vaultKey.ts';
import { changeFilter, describeEvent, describeSignal } from './eventPrinter.ts';
import { SimClientProcess } from './sim/simClientProcess.ts';
import { CliError } from './cliError.ts';
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
  keep?: boolean;
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
 * Resolves once `done` holds, checked at each event of the running service and every 100 ms (the
 * note side's vault is not an event source); false after `timeoutMs`. The narration moves on when
 * what it announced has happened, so its lines come out in the order things happen.
 */
function until(runtime: LifeboatRuntime, done: () => boolean, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const finish = (result: boolean): void => {
      unsubscribe();
      clearInterval(poll);
      clearTimeout(giveUp);
      resolve(result);
    };
    const check = (): void => {
      if (done()) finish(true);
    };
    const unsubscribe = runtime.events.subscribe(check);
    const poll = setInterval(check, 100);
    const giveUp = setTimeout(() => finish(false), timeoutMs);
    check();
  });
}

/** The demo's work folder: a new temporary one, or --dir, which must be new or empty (it is removed at the end). */
function workFolder(dir: string | undefined): string {
  if (dir === undefined) return mkdtempSync(join(tmpdir(), 'lifeboat-demo-'));
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new CliError(`--dir ${dir} is not empty; give a new or empty folder (the demo removes it when it ends, unless --keep)`, 2);
  mkdirSync(dir, { recursive: true });
  return dir;
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
    .option('--dir <dir>', 'work folder, new or empty (default: a new temporary folder)')
    .option('--keep', 'keep the work folder (vault, key, logs) when the demo ends; by default it is removed')
    .option('--verbose', 'print every raw signal too')
    .action(async (opts: DemoOptions) => {
      const pace = Math.max(0.25, Number(opts.speed) || 1);
      const base = workFolder(opts.dir);
      // Ctrl-C at any moment ends the scenario and still cleans up (clients, vault, work folder).
      let interrupted = false;
      const interruption = untilInterrupted().then(() => {
        interrupted = true;
      });
      const removeWorkFolder = (): void => {
        if (!opts.keep) rmSync(base, { recursive: true, force: true, maxRetries: 5 });
      };
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

      let runtime: LifeboatRuntime;
      try {
        runtime = await startLifeboat({
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
            onDiagnostic: (d) => say(`  (diagnostic ${diagnosticLine(d)})`),
          },
        });
      } catch (err) {
        removeWorkFolder();
        throw err;
      }
      const healthIs = (...states: HealthState[]) => (): boolean => interrupted || states.includes(runtime.health().state);
      const worthShowing = changeFilter();
      const stopNarrating = runtime.events.subscribe((event) => {
        if (worthShowing(event)) say(describeEvent(event));
      });
      let closeServer = async (): Promise<void> => {};
      try {
        if (!(await runtime.watching())) say('  (the watcher is taking long to start)');
        say(opts.keep ? `Lifeboat demo in ${base} (kept when the demo ends)` : `Lifeboat demo in ${base} (removed when the demo ends; --keep keeps it)`);
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
        const step = (text: string): void => {
          if (interrupted) throw new DemoInterrupted();
          say('');
          say(`== ${text}`);
        };
        const wait = (ms: number): Promise<void> => Promise.race([sleep(ms / pace), interruption]);
        const note: { id?: string; typed: number } = { typed: 0 };
        const capturedClientNote = (): boolean => {
          if (interrupted) return true;
          const captured = runtime.vault.list({ limit: 20 }).find((d) => d.origin === 'capture');
          return captured !== undefined && runtime.vault.show(captured.id).body === CLIENT_NOTE;
        };
        step('The clinical client starts');
        let client = await startClient();
        await until(runtime, healthIs('ok'), 15_000);
        step('The GP types a consultation note (autosaved to the encrypted vault)');
        await typeNote(runtime, note, 180, pace);
        step('The clinical client slows down');
        client.send('slow');
        await until(runtime, healthIs('slow'), 15_000);
        await wait(3000);
        client.send('normal');
        step('The clinical client hangs (stops responding)');
        client.send('hang');
        await until(runtime, healthIs('hung'), 15_000);
        await wait(3000);
        client.resume();
        await until(runtime, healthIs('ok'), 15_000);
        step('The GP keeps typing the note in Lifeboat');
        await typeNote(runtime, note, 200, pace);
        step("The GP types in the clinical client's own consultation box (Lifeboat reads it about once a second)");
        await typeInClient(client, CLIENT_NOTE, pace);
        if (!(await until(runtime, capturedClientNote, 15_000))) say('  (the client window was not read in time)');
        step('The clinical client crashes: "has encountered a serious problem and needs to close"');
        client.send('crash');
        await Promise.race([client.exited, interruption]);
        // Its process exit, its Report.wer and its last log line: each source reports on its own clock.
        await until(runtime, () => interrupted || runtime.vault.listIncidents().some((i) => i.kind === 'crash' && ['process', 'wer', 'log'].every((s) => i.sources.includes(s as never))), 15_000);

        // Recovery's groups, the crash notification and the tray all come from one rule (recovery/noteBeforeIncident.ts).
        step('Recovery: the note is offered back');
        const groups = await runtime.handlers.recoveryCandidates({});
        for (const group of groups.filter((g) => g.incident?.kind === 'crash')) {
          for (const draft of group.drafts) {
            const time = draft.lastSavedBeforeIncident ? new Date(draft.lastSavedBeforeIncident).toLocaleTimeString('en-GB') : '?';
            const from = draft.origin === 'capture' ? 'read from the client window' : draft.origin === 'clipboard' ? 'copied from the client' : 'Lifeboat note';
            const offered = draft.id === group.offeredDraftId ? ' — the note the crash notification named' : '';
            say(`Recovered note "${draft.title}" (${from}) from ${time}, ${draft.secondsBeforeIncident} s before the crash (${draft.revisions} ${draft.revisions === 1 ? 'revision' : 'revisions'})${offered}`);
          }
        }
        step('The clinical client restarts');
        client = await startClient();
        await until(runtime, healthIs('ok'), 15_000);

        step('Incidents for practice IT');
        for (const incident of runtime.vault.listIncidents()) {
          say(`${incident.startedAt}  ${incident.kind.padEnd(5)}  ${incident.app}  sources: ${incident.sources.join(', ')}${incident.signature ? `  ${incident.signature}` : ''}`);
        }
        say('');
        say(`Health now: ${runtime.health().state}.${opts.keep ? ` Vault: ${dirs.vault}` : ''}`);
        if (!opts.exit) {
          say('Demo scenario finished; the UI stays up. Ctrl-C to stop.');
          await interruption;
        }
      } catch (err) {
        if (!(err instanceof DemoInterrupted)) throw err;
      } finally {
        stopNarrating();
        for (const c of clients) {
          if (c.exitCode === undefined) {
            c.send('exit');
            await Promise.race([c.exited, sleep(2000)]);
            c.kill();
          }
        }
        await closeServer();
        await runtime.stop();
        removeWorkFolder();
      }
      if (interrupted) say(opts.keep ? `Demo stopped; its folder is kept: ${base}` : 'Demo stopped; its folder (vault and key included) is removed.');
      else if (!opts.keep) say('Demo folder (vault and key included) removed.');
    });
}

/** Ctrl-C during the scenario: the story stops at the next step and the demo cleans up. */
class DemoInterrupted extends Error {}
