import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../app/common/clock.ts';
import { cleanupTempDirs, openTestVault, runCli, tempDir, TEST_KEY_HEX, type CliResult } from '../fixtures/vault/vaultTestKit.ts';

// The contract of issue 3 section 3: other checks parse this output, so the shapes are exact.
const env = { LIFEBOAT_VAULT_KEY: TEST_KEY_HEX, LIFEBOAT_BUSY_TIMEOUT_MS: '2000' };
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const DAY = 86_400_000;

let vault: string;
const drafts = (args: string[], input?: string): Promise<CliResult> => runCli(['drafts', ...args, '--vault', vault], { input, env });

function json<T>(result: CliResult): T {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(result.stdout.endsWith('\n')).toBe(true);
  expect(result.stdout.trimEnd().split('\n')).toHaveLength(1);
  return JSON.parse(result.stdout) as T;
}

function expectSummaryShape(row: Record<string, unknown>): void {
  expect(Object.keys(row).sort()).toEqual(['id', 'origin', 'revisions', 'state', 'title', 'updatedAt']);
  // Drafts saved through the CLI are notes; capture and the clipboard journal make the others.
  expect(row.origin).toBe('note');
  expect(typeof row.id).toBe('string');
  expect(typeof row.title).toBe('string');
  expect(['open', 'saved-in-client', 'discarded', 'recovered']).toContain(row.state);
  expect(row.updatedAt).toMatch(ISO);
  expect(Number.isInteger(row.revisions)).toBe(true);
}

/** One line on stderr, "lifeboat: ..." or commander's "error: ...", no stack, non-zero exit. */
function expectOneLineError(result: CliResult, message: RegExp): void {
  expect(result.code).not.toBe(0);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/^[^\n]+\n$/);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

type Summary = { id: string; title: string; state: string; updatedAt: string; revisions: number };

beforeAll(() => {
  vault = tempDir('lifeboat-cli-');
});
afterAll(cleanupTempDirs);

describe('lifeboat drafts: the CLI contract', () => {
  const ids = { cough: '', rash: '', bp: '' };

  it('save reads the body from stdin and prints exactly {"id", "revision"}', async () => {
    const created = json<Record<string, unknown>>(await drafts(['save', '--title', 'Cough review', '--patient-ref', 'P-1'], 'Cough for 3 days, chest clear.'));
    expect(Object.keys(created)).toEqual(['id', 'revision']);
    expect(created.revision).toBe(1);
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    ids.cough = created.id as string;

    // --id continues the same draft: each CLI save records a revision.
    const updated = json<{ id: string; revision: number }>(await drafts(['save', '--id', ids.cough], 'Cough for 3 days, chest clear. Plan: review in 2 weeks.'));
    expect(updated).toEqual({ id: ids.cough, revision: 2 });
    // An unchanged body writes no new revision.
    expect(json(await drafts(['save', '--id', ids.cough], 'Cough for 3 days, chest clear. Plan: review in 2 weeks.'))).toEqual({ id: ids.cough, revision: 2 });

    // A caller-chosen id for a new draft is kept.
    expect(json(await drafts(['save', '--id', 'rash-note', '--title', 'Rash'], 'Rash on forearm; cough mentioned once.'))).toEqual({ id: 'rash-note', revision: 1 });
    ids.rash = 'rash-note';
    ids.bp = json<{ id: string }>(await drafts(['save', '--title', 'BP check'], 'BP 132/84, no cough.')).id;
  });

  it('list --json: [{id, title, state, origin, updatedAt, revisions}] newest first', async () => {
    const rows = json<Summary[]>(await drafts(['list', '--json']));
    for (const row of rows) expectSummaryShape(row);
    expect(rows.map((r) => r.id)).toEqual([ids.bp, ids.rash, ids.cough]);
    expect(rows.find((r) => r.id === ids.cough)).toMatchObject({ title: 'Cough review', state: 'open', revisions: 2 });
    const times = rows.map((r) => Date.parse(r.updatedAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    // Touching the oldest draft brings it to the top.
    await drafts(['save', '--id', ids.cough], 'Cough for 3 days, chest clear. Plan: review in 2 weeks. Safety-netted.');
    expect(json<Summary[]>(await drafts(['list', '--json'])).map((r) => r.id)).toEqual([ids.cough, ids.bp, ids.rash]);
  });

  it('show ID --json: {id, title, body, revision, updatedAt}, current or --revision N', async () => {
    const current = json<Record<string, unknown>>(await drafts(['show', ids.cough, '--json']));
    expect(Object.keys(current).sort()).toEqual(['body', 'id', 'revision', 'title', 'updatedAt']);
    expect(current).toMatchObject({ id: ids.cough, title: 'Cough review', body: 'Cough for 3 days, chest clear. Plan: review in 2 weeks. Safety-netted.', revision: 3 });
    expect(current.updatedAt).toMatch(ISO);

    const first = json<Record<string, unknown>>(await drafts(['show', ids.cough, '--json', '--revision', '1']));
    expect(Object.keys(first).sort()).toEqual(['body', 'id', 'revision', 'title', 'updatedAt']);
    expect(first).toMatchObject({ id: ids.cough, body: 'Cough for 3 days, chest clear.', revision: 1 });
  });

  it('search QUERY --json: the list shape, best match first', async () => {
    // "cough" is in the title and the body of one, the body of two others once.
    const rows = json<Summary[]>(await drafts(['search', 'cough', '--json']));
    for (const row of rows) expectSummaryShape(row);
    expect(rows.map((r) => r.id).sort()).toEqual([ids.cough, ids.rash, ids.bp].sort());
    expect(rows[0]!.id).toBe(ids.cough);
    // Prefix search as you type, and all words required.
    expect(json<Summary[]>(await drafts(['search', 'forea', '--json'])).map((r) => r.id)).toEqual([ids.rash]);
    expect(json<Summary[]>(await drafts(['search', 'cough forearm', '--json'])).map((r) => r.id)).toEqual([ids.rash]);
    // FTS syntax in the query is inert text, not an error.
    expect(json<Summary[]>(await drafts(['search', 'cough" OR "x', '--json'])).length).toBeGreaterThanOrEqual(0);
    expect(json(await drafts(['search', '"', '--json']))).toEqual([]);
    expect(json(await drafts(['search', 'zzzzunknown', '--json']))).toEqual([]);
  });

  it('export --out FILE writes every draft with its history as JSON readable only by the user', async () => {
    const out = join(tempDir('lifeboat-cli-export-'), 'export.json');
    const printed = json<Record<string, unknown>>(await drafts(['export', '--out', out]));
    expect(printed).toEqual({ out, drafts: 3 });
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const exported = JSON.parse(readFileSync(out, 'utf8')) as { exportedAt: string; drafts: Array<Record<string, unknown> & { revisionHistory: Array<Record<string, unknown>> }> };
    expect(exported.exportedAt).toMatch(ISO);
    const cough = exported.drafts.find((d) => d.id === ids.cough)!;
    expect(cough).toMatchObject({ title: 'Cough review', patientRef: 'P-1', revisions: 3 });
    expect(cough.revisionHistory.map((r) => r.body)).toEqual([
      'Cough for 3 days, chest clear.',
      'Cough for 3 days, chest clear. Plan: review in 2 weeks.',
      'Cough for 3 days, chest clear. Plan: review in 2 weeks. Safety-netted.',
    ]);
  });

  it('export to a folder or into a missing folder is one clear line, and leaves no plaintext copy anywhere', async () => {
    const parent = tempDir('lifeboat-cli-export-');
    const folder = join(parent, 'exports');
    mkdirSync(folder);
    const intoFolder = await drafts(['export', '--out', folder]);
    expectOneLineError(intoFolder, /--out names a folder .*exports.*; give a file name/);
    expect(intoFolder.code).toBe(2);
    const intoMissing = await drafts(['export', '--out', join(parent, 'missing', 'export.json')]);
    expectOneLineError(intoMissing, /the folder for --out .* does not exist; check the path/);
    // Every draft and revision in plaintext must not be left behind under any name.
    const everything = [...readdirSync(parent, { recursive: true }).map(String)];
    expect(everything).toEqual(['exports']);
  });

  it('purge --older-than 14d removes old unpinned drafts and prints {"purged": N}', async () => {
    // Drafts last touched 20 days ago, written through the vault itself with a clock set back.
    const clock = new ManualClock(Date.now() - 20 * DAY);
    const direct = openTestVault(vault, { clock });
    direct.save({ id: 'old-one', body: 'old', reason: 'blur' });
    direct.save({ id: 'old-pinned', body: 'old but pinned', reason: 'blur' });
    direct.setPinned('old-pinned', true);
    direct.close();
    expect(json(await drafts(['purge', '--older-than', '14d']))).toEqual({ purged: 1 });
    const left = json<Summary[]>(await drafts(['list', '--json'])).map((r) => r.id);
    expect(left).not.toContain('old-one');
    expect(left).toContain('old-pinned');
    expect(json(await drafts(['purge', '--older-than', '14d']))).toEqual({ purged: 0 });
  });

  it('errors: non-zero exit, one line on stderr, no stack trace; --debug adds the stack', async () => {
    expectOneLineError(await drafts(['show', 'no-such-draft', '--json']), /^lifeboat: no draft with id no-such-draft; `lifeboat drafts list` shows the ids\n$/);
    expectOneLineError(await drafts(['show', ids.cough, '--json', '--revision', '99']), /has no revision 99/);
    expectOneLineError(await drafts(['show', ids.cough, '--revision', 'two']), /is not a revision number/);
    expectOneLineError(await drafts(['purge', '--older-than', 'soon']), /is not a duration/);
    expectOneLineError(await drafts(['save', '--id', 'bad id!'], 'x'), /^lifeboat: not saved: id: a draft id is/);
    // Without --vault: the data folder's vault, as watch and serve use; a reading command never creates one there.
    const dataDir = tempDir('lifeboat-cli-data-');
    expectOneLineError(await runCli(['drafts', 'list', '--json'], { env: { ...env, LIFEBOAT_VAULT: undefined, LIFEBOAT_DATA_DIR: dataDir } }), /^lifeboat: no vault at .*vault; give the vault's folder with --vault \(or LIFEBOAT_VAULT\)\n$/);
    expect(readdirSync(dataDir)).toEqual([]);
    // An empty vault path must not quietly mean "here".
    const cwd = tempDir('lifeboat-cli-cwd-');
    expectOneLineError(await runCli(['drafts', 'list', '--json'], { env: { ...env, LIFEBOAT_VAULT: '' }, cwd }), /^lifeboat: --vault .* is empty\n$/);
    expectOneLineError(await runCli(['drafts', 'list', '--json', '--vault', ''], { env, cwd }), /^lifeboat: --vault .* is empty\n$/);
    expect(readdirSync(cwd)).toEqual([]);
    expectOneLineError(await drafts(['list', '--bogus']), /unknown option '--bogus'/);
    expectOneLineError(await runCli(['drafts', 'list', '--json', '--vault', vault], { env: { LIFEBOAT_VAULT_KEY: 'ab'.repeat(32) } }), /^lifeboat: the vault key does not open this vault/);

    const debug = await drafts(['show', 'no-such-draft', '--json', '--debug']);
    expect(debug.code).not.toBe(0);
    expect(debug.stderr.split('\n')[0]).toBe('lifeboat: no draft with id no-such-draft; `lifeboat drafts list` shows the ids');
    expect(debug.stderr).toMatch(/DraftNotFoundError: no draft with id no-such-draft; `lifeboat drafts list` shows the ids\n\s+at /);
  });
});
