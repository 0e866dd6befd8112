// The layering of Lifeboat is a lint rule, not a convention: an allow-list per layer (in the
// manner of VS Code's code-import-patterns). A file must sit in a layer; it may import only the
// layers, Node built-ins and npm packages its row names. eslint/layersRule.js applies the table;
// tests/unit/tooling/layering.test.ts proves that each kind of violation fails.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { createLayersRule } from './eslint/layersRule.js';

const npm = {
  common: ['zod'],
  core: ['zod', 'better-sqlite3-multiple-ciphers', 'chokidar', 'koffi', 'jsonc-parser', 're2js', 'csv-parse'],
  cli: ['commander', 'zod'],
  renderer: ['react', 'react-dom'],
  // recheck proves the built-in log patterns linear; esbuild and fast-xml-parser serve benchmarks (the bundled CLI, the old event reader as baseline);
  // fast-check generates the sequences of saves and crashes the "note before the crash" property is checked on;
  // js-yaml reads electron-builder.yml.
  tests: ['vitest', 'playwright-core', '@axe-core/playwright', 'eslint', 'recheck', 'esbuild', 'fast-xml-parser', 'fast-check', 'js-yaml'],
};

/** Each layer: the files it holds, the layers it may import, whether it runs on Node, its npm packages. */
export const LAYERS = [
  { name: 'common', files: ['app/common/**'], imports: ['common'], node: false, npm: npm.common },
  // core serves the renderer from source in development through vite (rendererBundle.ts, a dynamic
  // import that is absent from a deployment): the one devDependency core may name.
  { name: 'core', files: ['app/core/**'], imports: ['common', 'core', 'manifest'], node: true, npm: [...npm.core, 'vite'] },
  { name: 'cli', files: ['app/cli/**'], imports: ['common', 'core', 'cli'], node: true, npm: npm.cli },
  { name: 'main', files: ['app/main/**'], imports: ['common', 'core', 'main'], node: true, npm: ['electron', 'zod'] },
  { name: 'preload', files: ['app/preload/**'], imports: ['common', 'preload'], node: false, npm: ['electron'] },
  { name: 'renderer', files: ['renderer/src/**'], imports: ['common', 'renderer'], node: false, npm: npm.renderer },
  // Stubs and fakes that tests share: production code cannot import them (no layer lists testing).
  { name: 'testing', files: ['testing/**'], imports: ['common', 'core', 'testing'], node: true, npm: npm.core },
  // Tests run on Node and may reach every layer they test, but never electron (it cannot run here:
  // main's logic is tested through its ports).
  {
    name: 'tests',
    files: ['tests/**'],
    imports: ['common', 'core', 'cli', 'main', 'preload', 'renderer', 'testing', 'tests', 'tooling'],
    node: true,
    npm: [...new Set([...npm.core, ...npm.cli, ...npm.renderer, ...npm.tests])],
  },
  // package.json, for the version Lifeboat reports about itself.
  { name: 'manifest', files: ['package.json'], imports: [], node: false, npm: [] },
  // Build and repository tooling: anything goes.
  { name: 'tooling', files: ['scripts/**', 'bin/**', 'eslint/**', '*.config.{js,ts}'], anything: true },
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
  {
    files: ['**/*.{ts,tsx,js,mjs,cjs}'],
    plugins: { lifeboat: { rules: { layers: createLayersRule({ root: import.meta.dirname, layers: LAYERS }) } } },
    rules: { 'lifeboat/layers': 'error' },
  },
  {
    // Time in core comes from the injected clock (app/common/clock.ts), so tests can move it;
    // performance.now() is for measuring a duration.
    files: ['app/core/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'core takes the time from the injected clock (Clock.now()), not Date.now()' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'core takes the time from the injected clock: new Date(clock.now()), not new Date()' },
      ],
    },
  },
);
