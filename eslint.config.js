// The layering of Lifeboat is a lint rule, not a convention (see shared/STYLE.md, VS Code).
// Each layer lists what it may NOT import; tests/unit/layering.test.ts proves a violation fails.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['fs', 'path', 'os', 'child_process', 'crypto', 'net', 'http', 'https', 'worker_threads', 'stream', 'url', 'util', 'events', 'zlib', 'readline', 'dgram', 'tls'];
const nodeBuiltinPatterns = ['node:*', ...nodeBuiltins, ...nodeBuiltins.map((m) => `${m}/*`)];

const electronOnly = { group: ['electron', 'electron/*'], message: 'Only app/main and app/preload may import electron.' };
const noMain = { group: ['**/app/main/**', '**/main/**'], message: 'Nothing imports the Electron main layer.' };
const noCli = { group: ['**/cli/**'], message: 'Nothing imports the CLI layer.' };

/** Restrictions per layer: the table that makes the architecture enforceable. */
const layers = [
  {
    files: ['app/common/**/*.ts'],
    patterns: [
      electronOnly,
      { group: nodeBuiltinPatterns, message: 'app/common is pure TypeScript: no Node built-ins.' },
      { group: ['**/core/**', '**/main/**', '**/preload/**', '**/cli/**', '**/renderer/**'], message: 'app/common imports nothing from other layers.' },
    ],
  },
  {
    files: ['app/core/**/*.ts'],
    patterns: [
      electronOnly,
      { group: ['**/main/**', '**/preload/**', '**/cli/**', '**/renderer/**'], message: 'app/core imports only app/common and Node.' },
    ],
  },
  {
    files: ['app/cli/**/*.ts'],
    patterns: [electronOnly, noMain, { group: ['**/preload/**', '**/renderer/src/**'], message: 'The CLI uses app/core and app/common only.' }],
  },
  {
    files: ['app/main/**/*.ts'],
    patterns: [noCli, { group: ['**/preload/**', '**/renderer/src/**'], message: 'Main reaches the renderer only through IPC.' }],
  },
  {
    files: ['app/preload/**/*.ts'],
    patterns: [
      { group: ['**/core/**', '**/main/**', '**/cli/**', '**/renderer/**'], message: 'Preload exposes the typed API only: app/common and electron.' },
      { group: nodeBuiltinPatterns, message: 'A sandboxed preload has no Node built-ins.' },
    ],
  },
  {
    files: ['renderer/src/**/*.ts', 'renderer/src/**/*.tsx'],
    patterns: [
      electronOnly,
      { group: nodeBuiltinPatterns, message: 'The renderer runs in a browser: no Node built-ins.' },
      { group: ['**/app/core/**', '**/app/main/**', '**/app/preload/**', '**/app/cli/**'], message: 'The renderer imports only app/common.' },
    ],
  },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', '.tools/**', 'bench-results/**', 'test-results/**', 'tests/fixtures/lint/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', TextDecoder: 'readonly', TextEncoder: 'readonly', setImmediate: 'readonly', performance: 'readonly', fetch: 'readonly', AbortController: 'readonly', window: 'readonly', document: 'readonly', navigator: 'readonly', structuredClone: 'readonly', queueMicrotask: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  ...layers.map(({ files, patterns }) => ({ files, rules: { 'no-restricted-imports': ['error', { patterns }] } })),
);
