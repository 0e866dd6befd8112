import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { buildCli } from '../../scripts/build-cli.js';
import { waitFor } from '../support/waitFor.ts';

describe('the bundled CLI (what a practice deploys headless)', () => {
  it('builds, and runs scan and drafts from out/cli without the sources', async () => {
    // Into out/cli as deployed: the bundle resolves the native SQLite module from node_modules.
    const { cli } = await buildCli();
    const outDir = mkdtempSync(join(tmpdir(), 'lifeboat-bundle-'));
    const scan = spawnSync(process.execPath, [cli, 'scan', join(import.meta.dirname, '..', 'fixtures', 'wer'), '--json'], { encoding: 'utf8' });
    expect(scan.status).toBe(0);
    expect((JSON.parse(scan.stdout) as { incidents: unknown[] }).incidents.length).toBeGreaterThan(0);
    const vault = join(outDir, 'vault');
    const saved = spawnSync(process.execPath, [cli, 'drafts', 'save', '--vault', vault], { input: 'bundled note', encoding: 'utf8' });
    expect(saved.status).toBe(0);
    const { id } = JSON.parse(saved.stdout) as { id: string };
    const shown = spawnSync(process.execPath, [cli, 'drafts', 'show', id, '--vault', vault, '--json'], { encoding: 'utf8' });
    expect((JSON.parse(shown.stdout) as { body: string }).body).toBe('bundled note');
  }, 120_000);

  it('runs `watch` with its watcher process and worker threads from the bundle (watcher.mjs, sourceWorker.mjs, vaultWorker.mjs)', async () => {
    const { cli, watcher } = await buildCli();
    expect(watcher).toMatch(/out[\\/]cli[\\/]watcher\.mjs$/);
    const base = mkdtempSync(join(tmpdir(), 'lifeboat-bundle-watch-'));
    const logs = join(base, 'logs');
    mkdirSync(logs);
    const env = { ...process.env, LIFEBOAT_SIM_LOG_DIR: logs, LIFEBOAT_DATA_DIR: join(base, 'data'), LIFEBOAT_CONFIG: join(base, 'config.json') };
    writeFileSync(env.LIFEBOAT_CONFIG, JSON.stringify({ profiles: [{ name: 'simulated', processNames: [`lb-bundle-${process.pid}`] }] }));
    const watch = spawn(process.execPath, [cli, 'watch', '--profile', 'simulated', '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: Array<{ type: string; incident?: { kind: string; sources: string[] } }> = [];
    let stderr = '';
    watch.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    createInterface({ input: watch.stdout }).on('line', (line) => lines.push(JSON.parse(line) as (typeof lines)[number]));
    try {
      // The first line says the watcher process is up; then a crash record in the client's log:
      // read by the watcher, matched on its worker thread, turned into an incident by the note
      // side and stored through the vault writer.
      await waitFor(() => lines[0]?.type === 'watching', { what: `the watching line (stderr: ${stderr})`, timeoutMs: 60_000 });
      const stamp = new Date().toISOString().replace('T', ' ').replace('Z', '').replace('.', ',');
      appendFileSync(join(logs, 'client.log'), `${stamp} [1] FATAL Shell - EMIS Web has encountered a serious problem and needs to close.\r\n`);
      await waitFor(() => lines.some((l) => l.type === 'incident' && l.incident?.kind === 'crash' && l.incident.sources.includes('log')), { what: 'a crash incident from the bundled watcher', timeoutMs: 30_000 });
    } finally {
      watch.kill('SIGTERM');
      await new Promise((r) => watch.once('close', r));
    }
    expect(stderr).toBe('');
  }, 120_000);
});
