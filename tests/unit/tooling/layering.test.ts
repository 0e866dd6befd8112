import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const eslint = new ESLint({ cwd: ROOT });

/** The layer rule's messages for a snippet as if it were the file at `path` (nothing is written). */
async function layerProblems(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, path) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'lifeboat/layers').map((m) => m.message);
}

describe('core takes the time from the injected clock', () => {
  const clockProblems = async (path: string, code: string): Promise<string[]> => {
    const [result] = await eslint.lintText(code, { filePath: join(ROOT, path) });
    return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
  };

  it('fails Date.now() and new Date() in core, allows them elsewhere and allows a clock reading', async () => {
    expect(await clockProblems('app/core/x.ts', 'export const t = Date.now();')).toEqual([expect.stringMatching(/injected clock/)]);
    expect(await clockProblems('app/core/x.ts', 'export const d = new Date();')).toEqual([expect.stringMatching(/injected clock/)]);
    expect(await clockProblems('app/core/x.ts', "import type { Clock } from '../common/clock.ts';\nexport const d = (c: Clock) => [new Date(c.now()), performance.now()];")).toEqual([]);
    expect(await clockProblems('app/cli/x.ts', 'export const t = Date.now();')).toEqual([]);
  });
});

describe('the layer table (eslint.config.js) holds: each kind of violation fails lint', () => {
  const violations: Array<[string, string, string, RegExp]> = [
    ['core imports electron', 'app/core/watch/x.ts', "import { app } from 'electron';\nexport const a = app;", /core may not import the npm package 'electron'/],
    ['core imports electron dynamically', 'app/core/watch/x.ts', "export const load = () => import('electron');", /'electron'/],
    ['core re-exports from main', 'app/core/watch/x.ts', "export { startMain } from '../../main/main.ts';", /core may not import main/],
    ['common imports a Node built-in', 'app/common/x.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;", /common does not run on Node/],
    ['common imports core', 'app/common/x.ts', "import type { Vault } from '../core/vault/vault.ts';\nexport type V = Vault;", /common may not import core/],
    ['the renderer imports koffi', 'renderer/src/x.ts', "import koffi from 'koffi';\nexport const k = koffi;", /renderer may not import the npm package 'koffi'/],
    ['the renderer imports core', 'renderer/src/x.tsx', "import { Vault } from '../../app/core/vault/vault.ts';\nexport const v = Vault;", /renderer may not import core/],
    ['the renderer imports a Node built-in', 'renderer/src/x.ts', "import { join } from 'path';\nexport const j = join;", /renderer does not run on Node/],
    ['the preload imports core', 'app/preload/x.ts', "import { Vault } from '../core/vault/vault.ts';\nexport const v = Vault;", /preload may not import core/],
    ['the preload imports zod', 'app/preload/x.ts', "import { z } from 'zod';\nexport const s = z;", /preload may not import the npm package 'zod'/],
    ['the CLI imports main', 'app/cli/x.ts', "import { x } from '../main/lifecycle.ts';\nexport const y = x;", /cli may not import main/],
    ['production imports a test stub', 'app/core/x.ts', "import { stub } from '../../testing/stub.ts';\nexport const s = stub;", /core may not import testing/],
    ['production imports tests', 'app/core/x.ts', "export * from '../../tests/support/waitFor.ts';", /core may not import tests/],
    ['a test imports electron', 'tests/unit/x.test.ts', "import { app } from 'electron';\nexport const a = app;", /tests may not import the npm package 'electron'/],
    ['a dynamic import of a computed name', 'app/core/x.ts', 'export const load = (name: string) => import(name);', /must name its module literally/],
    ['require() of a forbidden package', 'app/common/x.ts', "export const c = require('commander');", /common may not import the npm package 'commander'/],
    ['a file in a folder that is no layer', 'newtoplevel/x.ts', 'export const a = 1;', /is in no layer/],
  ];

  for (const [what, path, code, expected] of violations) {
    it(`fails: ${what}`, async () => {
      const problems = await layerProblems(path, code);
      expect(problems.some((m) => expected.test(m)), problems.join('\n') || 'no layer problem reported').toBe(true);
    });
  }

  it('allows what the table allows', async () => {
    expect(await layerProblems('app/core/x.ts', "import { z } from 'zod';\nimport { readFileSync } from 'node:fs';\nimport type { Clock } from '../common/clock.ts';\nexport const a = [z, readFileSync] as const;\nexport type C = Clock;")).toEqual([]);
    expect(await layerProblems('renderer/src/x.tsx', "import { useState } from 'react';\nimport type { StatusView } from '../../app/common/api.ts';\nexport const u = useState;\nexport type S = StatusView;")).toEqual([]);
    expect(await layerProblems('app/main/x.ts', "import { app } from 'electron';\nimport { Vault } from '../core/vault/vault.ts';\nexport const a = [app, Vault];")).toEqual([]);
  });
});
