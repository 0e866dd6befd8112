/**
 * Client exit → incident, and what `lifeboat watch` costs with the client running, on Linux and
 * under Wine (issue 11 §3). Production code paths only: the bundled CLI, default poll settings.
 *  - Linux: the bundled CLI on this Node beside a separately started process it watches; kill -9 →
 *    the "incident opened" line on watch's stdout. Baseline in the same run: the kernel's own pidfd
 *    notification for the same kind of kill, seen from this process.
 *  - Wine: the bundled CLI on Windows Node 22 beside the Win32 test client; an access violation →
 *    the crash incident line. Baseline: Wine's own teardown, the client's Linux process exit seen by
 *    its parent (this process), from the client's "crashing" timestamp.
 *  - CPU of watch over a window with the client running: Linux with the process probe; Wine with the
 *    client in the foreground (text capture and the WM_NULL probe each second). Baseline: an idle
 *    Node of the same kind in the same window. wineserver's CPU in that window is reported too.
 * Targets: exit → incident p95 ≤ 100 ms; watch CPU < 0.5 % of a core. Exits non-zero on a miss.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCli } from '../../scripts/build-cli.js';
import { provisionWindows, WINE64, windowsPath } from '../../scripts/windows/provision.js';
import { createPidfdExitWatch } from '../../app/core/watch/process/linux/pidfdExitWatch.ts';
import { waitFor } from '../support/waitFor.ts';
import { LifeboatRun, TestClient, useLane, writeClientConfig } from '../windows/support/wineLane.ts';
import { startWineSession } from '../windows/support/wineSession.ts';
import { reportBench, summarise, type BenchRow } from './benchReport.ts';

const ROUNDS = Number(process.env.LIFEBOAT_BENCH_ROUNDS ?? 15);
const CPU_SECONDS = Number(process.env.LIFEBOAT_BENCH_CPU_SECONDS ?? 30);
const LATENCY_TARGET_MS = 100;
const CPU_TARGET_PERCENT = 0.5;
const CLOCK_TICKS = 100;

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(rest[11]) + Number(rest[12]);
}

function findPid(match: (cmdline: string) => boolean, also: (pid: number) => boolean = () => true): number | null {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (match(readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ')) && also(Number(entry))) return Number(entry);
    } catch {
      // gone
    }
  }
  return null;
}

/** The wineserver of a prefix works in /tmp/.wine-<uid>/server-<dev>-<inode of the prefix>. */
function wineserverOf(prefix: string): number | null {
  const { dev, ino } = statSync(prefix);
  const dir = `server-${dev.toString(16)}-${ino.toString(16)}`;
  return findPid((c) => c.startsWith('/usr/lib/wine/wineserver'), (pid) => {
    try {
      return readlinkSync(`/proc/${pid}/cwd`).endsWith(dir);
    } catch {
      return false;
    }
  });
}

/** CPU % of a core for each group of pids (a program and its watcher process) over the same window. */
async function cpuOver(seconds: number, groups: Record<string, number[]>): Promise<Record<string, number>> {
  const ticks = (pids: number[]): number => pids.reduce((sum, pid) => sum + cpuTicks(pid), 0);
  const start = Object.fromEntries(Object.entries(groups).map(([k, pids]) => [k, ticks(pids)]));
  const t0 = performance.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const elapsed = (performance.now() - t0) / 1000;
  return Object.fromEntries(Object.entries(groups).map(([k, pids]) => [k, ((ticks(pids) - start[k]!) / CLOCK_TICKS / elapsed) * 100]));
}

/** `lifeboat watch` is two processes (the note side and its watcher, issue 16): both count. */
const watcherOf = (cmdline: (c: string) => boolean): number[] => {
  const pid = findPid((c) => cmdline(c) && c.includes('watcher.mjs'));
  return pid === null ? [] : [pid];
};

const latencyRows = (label: string, samples: number[], baseline: number[], baselineLabel: string): BenchRow[] => {
  const s = summarise(samples);
  const b = summarise(baseline);
  return [
    { metric: `${label}: client exit → incident, p50 / p95`, value: s.p95, unit: 'ms (p95)', target: `p95 ≤ ${LATENCY_TARGET_MS} ms`, met: s.p95 <= LATENCY_TARGET_MS, note: `p50 ${s.p50.toFixed(1)} ms, max ${s.max.toFixed(1)} ms, ${samples.length} rounds` },
    { metric: `${label}: ${baselineLabel}, p50 / p95`, value: b.p95, unit: 'ms (p95)', note: `p50 ${b.p50.toFixed(1)} ms (baseline)` },
  ];
};

async function linux(cli: string): Promise<BenchRow[]> {
  const base = mkdtempSync(join(tmpdir(), 'lifeboat-bench-exit-'));
  const name = `lbexit${process.pid}`;
  const config = join(base, 'config.json');
  writeFileSync(config, JSON.stringify({ settings: { activeProfiles: ['bench-client'] }, profiles: [{ name: 'bench-client', displayName: 'Bench client', processNames: [name] }] }));
  const env = { ...process.env, LIFEBOAT_DATA_DIR: join(base, 'data'), LIFEBOAT_VAULT_KEY: 'b2'.repeat(32) };
  const watch = spawn(process.execPath, [cli, 'watch', '--config', config, '--json', '--signals'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: Array<{ at: number; event: Record<string, unknown> }> = [];
  let partial = '';
  watch.stdout.on('data', (d: Buffer) => {
    const at = performance.timeOrigin + performance.now();
    const parts = (partial + d.toString()).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) lines.push({ at, event: JSON.parse(line) as Record<string, unknown> });
  });
  const exits = createPidfdExitWatch();
  const samples: number[] = [];
  const baseline: number[] = [];
  // A process titled like the client: the watch finds it by name, as it would EmisWeb.exe.
  const startClient = (): ChildProcessWithoutNullStreams => spawn(process.execPath, ['-e', `process.title = ${JSON.stringify(name)}; setInterval(() => {}, 1e9)`]);
  for (let round = 0; round < ROUNDS; round++) {
    const client = startClient();
    const pid = client.pid!;
    await waitFor(() => lines.some((l) => l.event.type === 'signal' && l.event.kind === 'start' && l.event.pid === pid), { timeoutMs: 15_000, what: 'watch to see the client' });
    let notified = 0;
    exits?.watch(pid, () => (notified = performance.timeOrigin + performance.now()));
    const from = lines.length;
    const killedAt = performance.timeOrigin + performance.now();
    client.kill('SIGKILL');
    await waitFor(() => lines.slice(from).some((l) => l.event.type === 'incident' && l.event.change === 'opened'), { timeoutMs: 10_000, what: 'the exit incident' });
    samples.push(lines.slice(from).find((l) => l.event.type === 'incident' && l.event.change === 'opened')!.at - killedAt);
    if (exits) {
      await waitFor(() => notified > 0);
      baseline.push(notified - killedAt);
    }
  }
  await exits?.close();

  // CPU with the client running, against an idle Node in the same window.
  const client = startClient();
  await waitFor(() => lines.some((l) => l.event.type === 'signal' && l.event.kind === 'start' && l.event.pid === client.pid), { timeoutMs: 15_000 });
  const idle = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e9)'], { stdio: 'ignore' });
  await new Promise((resolve) => setTimeout(resolve, 3000)); // start-up is not steady state
  const cpu = await cpuOver(CPU_SECONDS, { watch: [watch.pid!, ...watcherOf((c) => !c.includes('node.exe'))], idle: [idle.pid!] });
  client.kill('SIGKILL');
  idle.kill();
  watch.kill('SIGTERM');
  await new Promise((resolve) => watch.once('exit', resolve));
  return [
    ...latencyRows('Linux', samples, baseline, 'kernel pidfd notification (baseline)'),
    { metric: `Linux: watch CPU over ${CPU_SECONDS} s, client running (with its watcher process)`, value: cpu.watch!, unit: '% of a core', target: `< ${CPU_TARGET_PERCENT} %`, met: cpu.watch! < CPU_TARGET_PERCENT },
    { metric: 'Linux: idle Node, same window (baseline)', value: cpu.idle!, unit: '% of a core' },
  ];
}

async function wine(): Promise<BenchRow[]> {
  const paths = await provisionWindows();
  const session = await startWineSession(paths.prefix);
  useLane({ ...paths, display: session.display, env: session.env });
  try {
    const dir = mkdtempSync(join(tmpdir(), 'lifeboat-bench-wine-'));
    const watch = new LifeboatRun(['watch', '--config', writeClientConfig(dir), '--vault', join(dir, 'vault'), '--json', '--signals']);
    const samples: number[] = [];
    const fromCrash: number[] = [];
    const baseline: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const client = await TestClient.start();
      let linuxExitAt = 0;
      client.child.once('exit', () => (linuxExitAt = performance.timeOrigin + performance.now()));
      await watch.waitForEvent((e) => e.type === 'signal' && e.kind === 'start' && e.pid === client.windowsPid, 'watch to see the client', 30_000);
      const from = watch.out.lines.length;
      const crashingAt = Number((await client.send('crash', /^crashing /)).split(' ')[1]);
      const isCrashIncident = (line: string): boolean => line.includes('"type":"incident"') && line.includes('"change":"opened"') && line.includes('"kind":"crash"');
      await watch.out.waitForAfter(from, isCrashIncident, 'the crash incident', 10_000);
      const index = watch.out.lines.findIndex((line, i) => i >= from && isCrashIncident(line));
      await client.exited;
      // The client's end is when its process is gone (Wine has torn it down), as a kill is on Linux.
      samples.push(watch.out.arrivedAt[index]! - linuxExitAt);
      fromCrash.push(watch.out.arrivedAt[index]! - crashingAt);
      baseline.push(linuxExitAt - crashingAt);
    }

    // CPU with the client running in the foreground: capture and the probe read it every second.
    const client = await TestClient.start();
    await client.send('focus note');
    await client.send('settext note A consultation note the capture reads every second');
    // node.exe itself, not the stdio relay whose command line names it too.
    const isNodeExe = (c: string): boolean => /^\S*node\.exe /.test(c);
    const nodePid = findPid((c) => isNodeExe(c) && c.includes('lifeboat.mjs') && c.includes(dir));
    const server = wineserverOf(paths.prefix);
    const idle = spawn(WINE64, [paths.stdio, windowsPath(paths.node), '-e', 'setInterval(() => {}, 1e9)'], { env: { ...process.env, ...session.env }, stdio: 'ignore' });
    let idlePid: number | null = null;
    await waitFor(() => (idlePid = findPid((c) => isNodeExe(c) && c.includes('setInterval'))) !== null, { timeoutMs: 30_000 });
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const cpu = await cpuOver(CPU_SECONDS, { watch: [nodePid!, ...watcherOf(isNodeExe)], idle: [idlePid!], wineserver: [server!] });
    idle.kill();
    client.kill();
    await watch.stop();
    return [
      ...latencyRows('Wine', samples, baseline, "Wine's own teardown, access violation → the client's process gone (baseline)"),
      { metric: 'Wine: access violation → incident (teardown included), p95', value: summarise(fromCrash).p95, unit: 'ms (p95)', note: `p50 ${summarise(fromCrash).p50.toFixed(1)} ms` },
      { metric: `Wine: watch (node.exe, with its watcher) CPU over ${CPU_SECONDS} s, client foreground`, value: cpu.watch!, unit: '% of a core', target: `< ${CPU_TARGET_PERCENT} %`, met: cpu.watch! < CPU_TARGET_PERCENT },
      { metric: 'Wine: idle node.exe, same window (baseline)', value: cpu.idle!, unit: '% of a core' },
      { metric: 'Wine: wineserver, same window (serves both programs; not on Windows)', value: cpu.wineserver!, unit: '% of a core' },
    ];
  } finally {
    await session.stop();
  }
}

const cli = (await buildCli()).cli;
const rows = [...(await linux(cli)), ...(await wine())];
reportBench('client-exit', rows, { rounds: ROUNDS, cpuSeconds: CPU_SECONDS, machine: 'shared 2-core machine' });
