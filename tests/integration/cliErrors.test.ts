import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeVersionProblem } from '../../bin/nodeVersion.js';
import { systemClock } from '../../app/common/clock.ts';
import { Vault } from '../../app/core/vault/vault.ts';
import { headlessKeySource } from '../../app/core/vault/vaultKey.ts';
import { LIFEBOAT_BIN, runCli, type CliResult } from '../support/runCli.ts';

/** Every failure: exactly one line on stderr, `lifeboat: <what happened>; <what to do>`, and the documented exit code. */
function expectOneLine(result: CliResult, exitCode: number, pattern: RegExp): void {
  expect(result.code).toBe(exitCode);
  const lines = result.stderr.split('\n').filter((line) => line !== '');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^lifeboat: .+; .+/);
  expect(lines[0]).toMatch(pattern);
}

const scratch = (): string => mkdtempSync(join(tmpdir(), 'lifeboat-errors-'));

describe('every CLI failure is one line that says what to do', () => {
  it('an unknown command, an unknown option (with commander\'s suggestion), a missing argument: usage errors, exit 2', async () => {
    expectOneLine(await runCli(['frobnicate']), 2, /unknown command 'frobnicate'; see 'lifeboat --help'/);
    expectOneLine(await runCli(['scan', '-cough']), 2, /unknown option '-cough'; see 'lifeboat scan --help'/);
    expectOneLine(await runCli(['drafts', 'lsit']), 2, /unknown command 'lsit' \(did you mean list\?\); see 'lifeboat drafts --help'/);
    expectOneLine(await runCli(['scan']), 2, /missing required argument 'paths'/);
  });

  it('--help is not an error', async () => {
    const result = await runCli(['scan', '--help']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('Usage: lifeboat scan');
  });

  it('a --vault that is a file, and an export into a folder that does not exist, name the path and the fix, not a raw errno', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'a-file'), '');
    const onFile = await runCli(['drafts', 'save', '--vault', join(dir, 'a-file')], { input: 'note' });
    expectOneLine(onFile, 1, /a-file is a file, not a folder; give a folder path/);
    expect(onFile.stderr).not.toMatch(/EEXIST|ENOENT|ENOTDIR/);

    const vault = join(dir, 'vault');
    expect((await runCli(['drafts', 'save', '--vault', vault], { input: 'a note' })).code).toBe(0);
    const missingParent = await runCli(['drafts', 'export', '--vault', vault, '--out', join(dir, 'no-such-folder', 'export.json')]);
    expectOneLine(missingParent, 1, /no-such-folder.*does not exist; check the path/);
    expect(missingParent.stderr).not.toMatch(/ENOENT/);
  });

  it('an impossible date is refused, not shifted into the next month', async () => {
    const dir = scratch();
    const vault = join(dir, 'vault');
    expect((await runCli(['drafts', 'save', '--vault', vault], { input: 'a note' })).code).toBe(0);
    const out = join(dir, 'report.html');
    expectOneLine(await runCli(['report', '--vault', vault, '--from', '2026-02-30', '--to', '2026-03-02', '--out', out]), 2, /--from "2026-02-30" is not a date or time the calendar has; give one such as 2026-01-05/);
    expectOneLine(await runCli(['report', '--vault', vault, '--from', '1', '--out', out]), 2, /--from "1" is not a date/);
    expectOneLine(await runCli(['evidence', '--vault', vault, '--from', '2026-01-01', '--to', '2026-04-31', '--out', join(dir, 'e.zip')]), 2, /--to "2026-04-31" is not a date/);
    expectOneLine(await runCli(['scan', '--since', '2026-02-29T10:00', dir]), 2, /--since "2026-02-29T10:00" is not a date or time the calendar has/);
    expect(existsSync(out)).toBe(false);
  });

  it('an empty note is refused, not saved', async () => {
    const vault = join(scratch(), 'vault');
    expectOneLine(await runCli(['drafts', 'save', '--vault', vault], { input: ' \n\t\n' }), 2, /nothing to save: standard input held no text/);
    expect(existsSync(join(vault, 'vault.db'))).toBe(false);
  });

  it('a purge that would delete every draft, or today\'s, asks for --yes', async () => {
    const vault = join(scratch(), 'vault');
    await runCli(['drafts', 'save', '--vault', vault], { input: 'keep me' });
    expectOneLine(await runCli(['drafts', 'purge', '--vault', vault, '--older-than', '0d']), 2, /would delete every draft \(1\) for good; add --yes/);
    expect(JSON.parse((await runCli(['drafts', 'list', '--vault', vault, '--json'])).stdout)).toHaveLength(1);
    const confirmed = await runCli(['drafts', 'purge', '--vault', vault, '--older-than', '0d', '--yes']);
    expect(confirmed.code).toBe(0);
    expect(JSON.parse(confirmed.stdout)).toEqual({ purged: 1 });
  });

  it('a search for text starting with - works after --, and the error without it says so', async () => {
    const vault = join(scratch(), 'vault');
    await runCli(['drafts', 'save', '--vault', vault], { input: 'pain in the left knee' });
    expectOneLine(await runCli(['drafts', 'search', '--vault', vault, '-knee']), 2, /put it after --: lifeboat drafts search --vault DIR -- -knee/);
    const after = await runCli(['drafts', 'search', '--vault', vault, '--json', '--', 'knee']);
    expect(after.code).toBe(0);
    expect(JSON.parse(after.stdout)).toHaveLength(1);
  });

  it('--debug adds the stack after the one line', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'a-file'), '');
    const result = await runCli(['--debug', 'drafts', 'save', '--vault', join(dir, 'a-file')], { input: 'note' });
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')[0]).toMatch(/^lifeboat: .*a-file is a file, not a folder/);
    expect(result.stderr).toMatch(/\n\s+at /);
  });

  it('a reader that stops early (| head) is not an error: no EPIPE trace, exit 0', () => {
    const vaultDir = join(scratch(), 'vault');
    const vault = Vault.open({ dir: vaultDir, keySource: headlessKeySource(vaultDir), clock: systemClock });
    // Enough rows that the listing is far bigger than a pipe's buffer.
    for (let i = 0; i < 1500; i++) vault.save({ body: `note ${i}`, title: `a long enough title for note number ${i} ${'.'.repeat(60)}` });
    vault.close();
    const result = spawnSync('bash', ['-c', `"${process.execPath}" "${LIFEBOAT_BIN}" drafts list --vault "${vaultDir}" | head -c 10 >/dev/null; echo "\${PIPESTATUS[0]}"`], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('0');
  });
});

describe('an older Node gets one line saying what to do', () => {
  it('names this Node, the one needed, and the two ways to get it', () => {
    expect(nodeVersionProblem('24.21.0')).toBeNull();
    expect(nodeVersionProblem('24.11.0')).toBeNull();
    expect(nodeVersionProblem('25.1.0')).toBeNull();
    expect(nodeVersionProblem('24.10.2')).toMatch(/this is Node 24\.10\.2 and Lifeboat needs Node 24\.11\.0 or newer/);
    const line = nodeVersionProblem('20.20.2');
    expect(line).toContain('eval "$(./nodew env)"');
    expect(line).toContain('./nodew run lifeboat -- <arguments>');
  });

  it('bin/lifeboat.js says it in one line under the machine\'s older node, when there is one', () => {
    const systemNode = ['/usr/bin/node', '/usr/local/bin/node'].find((candidate) => existsSync(candidate));
    const version = systemNode ? spawnSync(systemNode, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim() : null;
    // Where the machine's node is new enough, the rule itself is covered by the test above.
    if (!systemNode || !version || nodeVersionProblem(version) === null) return;
    const result = spawnSync(systemNode, [LIFEBOAT_BIN, 'drafts', 'list'], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`lifeboat: ${nodeVersionProblem(version)}\n`);
  });
});
