/**
 * How fast Lifeboat notices trouble, with production poll settings (1 s process poll, 1 s tick):
 * client exit → incident, log crash line → incident, hang (SIGSTOP) → incident; and what
 * `lifeboat watch` costs when nothing happens (CPU % of one core and RSS over 60 s, the note side
 * and its watcher process together).
 *   node tests/bench/watcherLatency.bench.ts [--rounds N] [--idle-seconds S]
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { reportBench, summarise, type BenchRow } from './benchReport.ts';
import { incidentsOf, startSimHarness, type SimHarness } from '../support/simHarness.ts';
import { waitFor } from '../support/waitFor.ts';
import { LIFEBOAT_BIN } from '../support/runCli.ts';
import { SimClientProcess } from '../../app/cli/sim/simClientProcess.ts';
import { buildCli } from '../../scripts/build-cli.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '20' }, 'idle-seconds': { type: 'string', default: '60' } } });
const rounds = Number(values.rounds);
const idleSeconds = Number(values['idle-seconds']);

function stamp(): string {
  const d = new Date();
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())},${p(d.getMilliseconds(), 3)}`;
}

async function measure(harness: SimHarness, kind: 'exit' | 'crash' | 'hang', source: string, act: () => void): Promise<number> {
  const before = new Set(incidentsOf(harness, kind).filter((i) => i.sources.includes(source as never)).map((i) => i.id));
  const t0 = performance.now();
  act();
  await waitFor(() => incidentsOf(harness, kind).some((i) => i.sources.includes(source as never) && !before.has(i.id)), { timeoutMs: 15_000, intervalMs: 5 });
  return performance.now() - t0;
}

async function latencies(): Promise<BenchRow[]> {
  const harness = await startSimHarness({ pollIntervalMs: 1000 });
  const exit: number[] = [];
  const logCrash: number[] = [];
  const hang: number[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      // Exit: kill -9 the client; no crash evidence, so an 'exit' incident from the process probe.
      let client = await harness.startClient({ intervalMs: 250 });
      await waitFor(() => harness.runtime.health().state === 'ok', { timeoutMs: 10_000 });
      await new Promise((r) => setTimeout(r, Math.random() * 1000));
      exit.push(await measure(harness, 'exit', 'process', () => client.kill()));

      // Hang: SIGSTOP, as a hung UI thread; the process probe reports it.
      client = await harness.startClient({ intervalMs: 250 });
      await waitFor(() => harness.runtime.health().state === 'ok', { timeoutMs: 10_000 });
      await new Promise((r) => setTimeout(r, Math.random() * 1000));
      hang.push(await measure(harness, 'hang', 'process', () => client.child.kill('SIGSTOP')));
      client.resume();

      // Log crash line: the record a crashing .NET client writes, appended to its live log.
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 700));
      logCrash.push(
        await measure(harness, 'crash', 'log', () =>
          appendFileSync(
            join(harness.dirs.logs, 'client.log'),
            `${stamp()} [1] FATAL EmisWeb.Shell.UnhandledExceptionHandler - EMIS Web has encountered a serious problem and needs to close.\r\nSystem.InvalidOperationException: bench round ${i}\r\n   at EmisWeb.Bench.Round()\r\n`,
          ),
        ),
      );
      client.kill();
      await client.exited;
      await new Promise((r) => setTimeout(r, 1200)); // the crash window closes before the next round
    }
  } finally {
    await harness.close();
  }
  const e = summarise(exit);
  const l = summarise(logCrash);
  const h = summarise(hang);
  return [
    { metric: 'client exit → incident p50', value: e.p50, unit: 'ms' },
    { metric: 'client exit → incident p95', value: e.p95, unit: 'ms', target: '<= 1500 ms', met: e.p95 <= 1500 },
    { metric: 'log crash line → incident p50', value: l.p50, unit: 'ms' },
    { metric: 'log crash line → incident p95', value: l.p95, unit: 'ms', target: '<= 500 ms', met: l.p95 <= 500 },
    { metric: 'hang (SIGSTOP) → incident p95', value: h.p95, unit: 'ms', target: '<= 6000 ms', met: h.p95 <= 6000, note: 'Windows adds its own ~5 s "Not Responding" threshold' },
    { metric: 'hang (SIGSTOP) → incident max', value: h.max, unit: 'ms' },
  ];
}

function procUsage(pid: number): { cpuTicks: number; rssBytes: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const statusRss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuTicks: Number(rest[11]) + Number(rest[12]), rssBytes: Number(statusRss?.[1] ?? 0) * 1024 };
}

/** `lifeboat watch` is two processes (the note side and its watcher, issue 16): both count. */
function treeUsage(pid: number): { cpuTicks: number; rssBytes: number } {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  return [pid, ...children].map((p) => {
    try {
      return procUsage(p);
    } catch {
      return { cpuTicks: 0, rssBytes: 0 };
    }
  }).reduce((a, b) => ({ cpuTicks: a.cpuTicks + b.cpuTicks, rssBytes: a.rssBytes + b.rssBytes }));
}

/** The deployable CLI (bundled); `bin/lifeboat.js` runs sources through the type stripper, ~35 MB more. */
async function idleCost(withClient: boolean, cli: string, label: string): Promise<BenchRow[]> {
  const base = mkdtempSync(join(tmpdir(), 'lifeboat-idle-'));
  const logs = join(base, 'logs');
  mkdirSync(logs);
  const env = { ...process.env, LIFEBOAT_SIM_LOG_DIR: logs, LIFEBOAT_DATA_DIR: join(base, 'data'), LIFEBOAT_CONFIG: join(base, 'config.json') };
  const title = `lb-idle-${process.pid}`;
  writeFileSync(env.LIFEBOAT_CONFIG, JSON.stringify({ profiles: [{ name: 'simulated', processNames: [title] }] }));
  const client = withClient ? SimClientProcess.start({ logDir: logs, intervalMs: 250, title }) : null;
  await client?.ready;
  const watch = spawn(process.execPath, [cli, 'watch', '--profile', withClient ? 'simulated' : 'emis-web', '--json'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  await new Promise((r) => setTimeout(r, 5000)); // start-up is not idle
  const start = treeUsage(watch.pid!);
  const t0 = performance.now();
  let peakRss = start.rssBytes;
  while (performance.now() - t0 < idleSeconds * 1000) {
    await new Promise((r) => setTimeout(r, 1000));
    peakRss = Math.max(peakRss, treeUsage(watch.pid!).rssBytes);
  }
  const end = treeUsage(watch.pid!);
  const seconds = (performance.now() - t0) / 1000;
  const cpuPercent = ((end.cpuTicks - start.cpuTicks) / 100 / seconds) * 100;
  watch.kill('SIGTERM');
  client?.send('exit');
  await new Promise((r) => watch.once('close', r));
  const situation = `${withClient ? 'client running, logging 4 lines/s' : 'client not running'}; ${label}`;
  return [
    { metric: `watch CPU over ${idleSeconds} s (${situation})`, value: cpuPercent, unit: '% of a core', target: '< 1 %', met: cpuPercent < 1 },
    { metric: `watch peak RSS (${situation})`, value: peakRss / 1024 / 1024, unit: 'MB', target: '< 80 MB', met: peakRss < 80 * 1024 * 1024 },
  ];
}

const bundle = (await buildCli()).cli;
const rows = [
  ...(await latencies()),
  ...(await idleCost(false, bundle, 'bundled CLI')),
  ...(await idleCost(true, bundle, 'bundled CLI')),
  ...(await idleCost(true, LIFEBOAT_BIN, 'from source')),
];
reportBench('watcher-latency', rows, { rounds, idleSeconds, pollIntervalMs: 1000 });
