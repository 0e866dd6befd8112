import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { cliUnderTest } from '../support/cliUnderTest.ts';
import { waitFor } from '../support/waitFor.ts';
import { LIFEBOAT_BIN, runCli } from '../support/runCli.ts';
import { SimClientProcess } from '../../app/cli/sim/simClientProcess.ts';

const fixtures = join(import.meta.dirname, '..', 'fixtures');

describe('lifeboat scan', () => {
  it('prints the documented JSON: incidents sorted by time, signal count, skipped files with reasons', async () => {
    const junkDir = mkdtempSync(join(tmpdir(), 'lifeboat-scan-'));
    writeFileSync(join(junkDir, 'junk.bin'), Buffer.from([0, 1, 2, 0, 0, 0, 255, 0, 0, 0, 3, 0]));
    const log = join(junkDir, 'EmisWeb.log');
    writeFileSync(
      log,
      [
        '2026-01-05 09:41:06,100 [1] INFO  EmisWeb.Shell - Opened record for patient NHS 943 476 5919',
        '2026-01-05 09:41:07,123 [1] FATAL EmisWeb.Shell.UnhandledExceptionHandler - EMIS Web has encountered a serious problem and needs to close.',
        "System.OutOfMemoryException: Exception of type 'System.OutOfMemoryException' was thrown.",
        '   at EmisWeb.Consultation.JournalView.LoadEntries(PatientContext context)',
        '2026-01-05 09:41:08,000 [1] INFO  EmisWeb.Shell - after',
      ].join('\r\n') + '\r\n',
    );
    const result = await runCli(['scan', join(fixtures, 'wer'), join(fixtures, 'eventlog'), junkDir, join(junkDir, 'missing'), '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      incidents: Array<{ kind: string; startedAt: string; app: string; sources: string[]; evidence: string[] }>;
      signals: number;
      files: Array<{ path: string; type: string; records: number; incidents: number; ignored: number; otherApps: string[] }>;
      skipped: Array<{ path: string; reason: string }>;
    };
    expect(Object.keys(report)).toEqual(['incidents', 'signals', 'files', 'skipped', 'warnings']);
    for (const file of report.files) expect(Object.keys(file)).toEqual(['path', 'type', 'records', 'incidents', 'ignored', 'otherApps']);
    expect(report.signals).toBeGreaterThan(5);
    const times = report.incidents.map((i) => i.startedAt);
    expect([...times].sort()).toEqual(times);
    for (const incident of report.incidents) {
      expect(['crash', 'hang', 'slow', 'exit']).toContain(incident.kind);
      expect(incident.startedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      for (const source of incident.sources) expect(['log', 'wer', 'eventlog']).toContain(source);
    }
    const merged = report.incidents.find((i) => i.sources.includes('wer') && i.sources.includes('eventlog'));
    expect(merged).toBeDefined();
    expect(report.incidents.some((i) => i.sources.includes('log') && i.evidence.join(' ').includes('serious problem'))).toBe(true);
    expect(result.stdout).not.toContain('943 476 5919');
    const skippedReasons = Object.fromEntries(report.skipped.map((s) => [s.path.split('/').pop(), s.reason]));
    expect(skippedReasons['junk.bin']).toMatch(/binary/);
    expect(skippedReasons['missing']).toMatch(/no such file/);
    // A cut export is read up to the cut: its complete events count, the cut one is a warning.
    expect(skippedReasons['malformed.xml']).toBeUndefined();
    const warnings = (report as unknown as { warnings: Array<{ path: string; reason: string }> }).warnings;
    expect(warnings.find((w) => w.path.endsWith('malformed.xml'))?.reason).toMatch(/truncated/);
  });

  it('filters by --since and rejects a bad time with a one-line error', async () => {
    const all = JSON.parse((await runCli(['scan', join(fixtures, 'wer'), '--json'])).stdout) as { incidents: unknown[] };
    const later = JSON.parse((await runCli(['scan', join(fixtures, 'wer'), '--json', '--since', '2026-01-06T00:00:00Z'])).stdout) as { incidents: Array<{ startedAt: string }> };
    expect(later.incidents.length).toBeLessThan(all.incidents.length);
    expect(later.incidents.every((i) => i.startedAt >= '2026-01-06')).toBe(true);
    const bad = await runCli(['scan', '.', '--since', 'yesterday']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('lifeboat watch --json', () => {
  it('prints the state at start, then one JSON object per state change and incident while the client crashes', async () => {
    const base = mkdtempSync(join(tmpdir(), 'lifeboat-watch-'));
    const logs = join(base, 'logs');
    mkdirSync(logs);
    const env = { ...process.env, LIFEBOAT_SIM_LOG_DIR: logs, LIFEBOAT_DATA_DIR: join(base, 'data'), LIFEBOAT_CONFIG: join(base, 'config.json') };
    // This test's client has a name of its own (other tests run simulated clients at the same time).
    const title = `lb-watch-${process.pid}`;
    writeFileSync(env.LIFEBOAT_CONFIG, JSON.stringify({ profiles: [{ name: 'simulated', processNames: [title] }] }));
    const watch = spawn(process.execPath, cliUnderTest(join(base, 'policy.json'), 'watch', '--profile', 'simulated', '--json'), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: Array<Record<string, unknown>> = [];
    createInterface({ input: watch.stdout }).on('line', (line) => lines.push(JSON.parse(line) as Record<string, unknown>));
    const isCrashIncident = (l: Record<string, unknown>): boolean => l.type === 'incident' && (l.incident as { kind: string }).kind === 'crash';
    try {
      await waitFor(() => lines.length > 0, { timeoutMs: 30_000, what: 'the first line of watch --json' });
      expect(lines[0]).toMatchObject({ type: 'watching', profiles: ['simulated'], health: 'not-running' });
      const client = SimClientProcess.start({ logDir: logs, intervalMs: 50, title });
      await client.ready;
      await waitFor(() => lines.some((l) => l.type === 'health' && l.state === 'ok'), { timeoutMs: 30_000, what: 'health ok once the client runs' });
      client.send('crash');
      await client.exited;
      await waitFor(() => lines.some(isCrashIncident) && lines.some((l) => l.type === 'health' && l.state === 'crashed'), { timeoutMs: 30_000, what: 'the crash incident and health crashed' });
      expect(lines.every((l) => ['watching', 'health', 'incident'].includes(l.type as string))).toBe(true);
    } finally {
      watch.kill('SIGTERM');
      await new Promise((r) => watch.once('close', r));
    }
  });
});

describe('lifeboat demo', () => {
  it('runs the whole story headless: slow, hang, crash with three sources, the note offered back', async () => {
    const work = join(mkdtempSync(join(tmpdir(), 'lifeboat-demo-test-')), 'work');
    const result = await runCli(['demo', '--exit', '--no-serve', '--speed', '4', '--dir', work], { timeoutMs: 90_000 });
    expect(result.code).toBe(0);
    // Told in the order it happens: each step's events come after its heading, before the next one.
    // Each line is looked for after the one before it, so the lines must come in this order. The
    // way back from a hang may pass through "slow" (its log lines), so only "→ ok" is required.
    let from = 0;
    for (const pattern of [/== The clinical client starts/, /health not-running → ok/, /== The GP types a consultation note/, /== The clinical client slows down/, /health ok → slow/, /== The clinical client hangs/, /health \w+ → hung/, /health \w+ → ok/, /== The GP keeps typing/, /== The clinical client crashes/, /→ crashed/, /== Recovery/, /== The clinical client restarts/, /health crashed → ok/, /== Incidents for practice IT/]) {
      const index = result.stdout.slice(from).search(pattern);
      expect(index, `${String(pattern)} after what came before it`).toBeGreaterThanOrEqual(0);
      from += index + 1;
    }
    expect(result.stdout).not.toContain('\uFFFD');
    // Its work folder, vault and key included, is gone.
    expect(existsSync(work)).toBe(false);
    expect(result.stdout).toMatch(/Demo folder \(vault and key included\) removed/);
    expect(result.stdout).toMatch(/health ok → slow/);
    expect(result.stdout).toMatch(/health \w+ → hung/);
    expect(result.stdout).toMatch(/→ crashed/);
    expect(result.stdout).toMatch(/Recovered note "Demo consultation" \(Lifeboat note\) from \d\d:\d\d:\d\d, \d+ s before the crash/);
    // The note typed in the client's own box was read from its window and is offered back too.
    expect(result.stdout).toMatch(/Recovered note "Simulated clinical client: Simulated Clinical Client – Consultation – …" \(read from the client window\) from \d\d:\d\d:\d\d, \d+ s before the crash/);
    // One rule: the note the crash notification named is the one Recovery offers first, with the same time.
    // (The last crash: under load the hang can end in a first one, whose note the second claims.)
    const named = [...result.stdout.matchAll(/notification \(crashed\): .* your note from (\d\d:\d\d:\d\d) is safe/g)].at(-1)?.[1];
    expect(named).toBeDefined();
    expect(result.stdout).toMatch(new RegExp(`from ${named}, \\d+ s before the crash \\(\\d+ revisions?\\) — the note the crash notification named`));
    expect(result.stdout).toMatch(/crash\s+lifeboat-sim-\d+(\.exe)?\s+sources: (?=.*wer)(?=.*process)(?=.*log)/);
    expect(result.stdout).not.toMatch(/amoxicillin|productive cough|peak flow|EXAMPLE, Jane/);
  }, 120_000);

  async function interruptedDemo(extra: string[]): Promise<{ code: number | null; stdout: string; work: string }> {
    const work = join(mkdtempSync(join(tmpdir(), 'lifeboat-demo-test-')), 'work');
    const demo = spawn(process.execPath, [LIFEBOAT_BIN, 'demo', '--no-serve', '--dir', work, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    demo.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const closed = new Promise<number | null>((resolve) => demo.once('close', resolve));
    await waitFor(() => stdout.includes('== The GP types a consultation note'), { what: 'the demo typing', timeoutMs: 60_000 });
    demo.kill('SIGINT');
    return { code: await closed, stdout, work };
  }

  it('Ctrl-C stops the story at once and removes its folder, vault and key included; --keep keeps it', async () => {
    const stopped = await interruptedDemo([]);
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toMatch(/Demo stopped; its folder \(vault and key included\) is removed/);
    expect(stopped.stdout).not.toMatch(/== The clinical client crashes/);
    expect(existsSync(stopped.work)).toBe(false);

    const kept = await interruptedDemo(['--keep']);
    expect(kept.code).toBe(0);
    expect(kept.stdout).toContain(`Demo stopped; its folder is kept: ${kept.work}`);
    expect(existsSync(join(kept.work, 'vault', 'vault.db'))).toBe(true);
  }, 120_000);

  it('refuses a --dir that holds anything: it would be removed at the end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lifeboat-demo-test-'));
    writeFileSync(join(dir, 'precious.txt'), 'not the demo\'s');
    const result = await runCli(['demo', '--exit', '--no-serve', '--dir', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^lifeboat: --dir .+ is not empty; give a new or empty folder/);
    expect(existsSync(join(dir, 'precious.txt'))).toBe(true);
  });
});
