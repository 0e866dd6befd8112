import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../../../app/common/diagnostic.ts';
import { OffsetStore } from '../../../../../app/core/watch/logs/offsetStore.ts';

const dir = mkdtempSync(join(tmpdir(), 'lifeboat-offsets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const entry = { key: '2049:1234', path: '/logs/app.log', headHash: 'ab', headLength: 1024, offset: 4096 };

describe('OffsetStore', () => {
  it('round-trips offsets and seen folders through the state file, leaving no temp file', async () => {
    const statePath = join(dir, 'nested', 'state.json');
    const store = await OffsetStore.open(statePath, () => undefined);
    store.set(entry);
    store.markDirSeen('/logs');
    await store.save();
    const reopened = await OffsetStore.open(statePath, () => undefined);
    expect(reopened.get(entry.key)).toEqual(entry);
    expect(reopened.hasSeenDir('/logs')).toBe(true);
    expect(existsSync(`${statePath}.${process.pid}.tmp`)).toBe(false);
  });

  it.each([
    ['not JSON', '{"version":1,"files":[{"key"'],
    ['wrong shape', JSON.stringify({ version: 1, savedAt: 'x', dirs: [], files: [{ key: '', offset: -5 }] })],
    ['empty (power cut before the first write)', ''],
  ])('starts fresh on a corrupt state file (%s), keeps it aside, reports it, and saves a good one', async (_label, content) => {
    const statePath = join(dir, `corrupt-${_label.length}.json`);
    writeFileSync(statePath, content);
    const diagnostics: Diagnostic[] = [];
    const store = await OffsetStore.open(statePath, (d) => diagnostics.push(d));
    expect(diagnostics).toEqual([{ source: 'log', code: 'log-state-corrupt', message: `state-corrupt in ${statePath}` }]);
    expect(store.entries()).toEqual([]);
    expect(readFileSync(`${statePath}.corrupt`, 'utf8')).toBe(content);
    store.set(entry);
    await store.save();
    expect((await OffsetStore.open(statePath, () => undefined)).get(entry.key)?.offset).toBe(4096);
  });

  it('reports a failed write as a diagnostic instead of throwing, and retries it on the next save', async () => {
    const blocker = join(dir, 'blocker');
    writeFileSync(blocker, 'a file where a folder should be');
    const diagnostics: Diagnostic[] = [];
    const store = await OffsetStore.open(join(blocker, 'state.json'), (d) => diagnostics.push(d));
    store.set(entry);
    await store.save();
    const writeErrors = (): Diagnostic[] => diagnostics.filter((d) => d.code === 'log-state-write-error');
    expect(writeErrors()).toEqual([{ source: 'log', code: 'log-state-write-error', message: `state-write-error in ${join(blocker, 'state.json')} (EEXIST)` }]); // mkdir of the folder meets the file
    await store.save();
    expect(writeErrors()).toHaveLength(2);
  });
});
