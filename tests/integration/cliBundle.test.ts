import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCli } from '../../scripts/build-cli.js';

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
});
