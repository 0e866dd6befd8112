import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { APP_USER_MODEL_ID } from '../../../app/main/lifecycle.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');

type Yaml = string | number | boolean | null | Yaml[] | { [key: string]: Yaml };

/** electron-builder.yml through js-yaml (the parser electron-builder itself uses); duplicate keys and bad YAML throw. */
const readYaml = (text: string): Yaml => load(text, { filename: 'electron-builder.yml' }) as Yaml;

const asMap = (v: Yaml | undefined): { [key: string]: Yaml } => {
  if (v === null || v === undefined || typeof v !== 'object' || Array.isArray(v)) throw new Error(`expected a mapping, got ${JSON.stringify(v)}`);
  return v;
};
const asList = (v: Yaml | undefined): Yaml[] => {
  if (!Array.isArray(v)) throw new Error(`expected a list, got ${JSON.stringify(v)}`);
  return v;
};

function strings(v: Yaml): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (v !== null && typeof v === 'object') return Object.values(v).flatMap(strings);
  return [];
}

describe('electron-builder.yml', () => {
  const config = asMap(readYaml(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')));
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string };

  it('names the app, with the appId Windows notifications are keyed to', () => {
    expect(config.appId).toBe('org.lifeboat.app');
    expect(config.appId).toBe(APP_USER_MODEL_ID);
    expect(config.productName).toBe('Lifeboat');
  });

  it('builds NSIS and MSI for Windows', () => {
    const targets = asList(asMap(config.win).target).map((t) => asMap(t).target);
    expect(targets).toEqual(expect.arrayContaining(['nsis', 'msi']));
    for (const t of asList(asMap(config.win).target)) expect(asList(asMap(t).arch)).toContain('x64');
  });

  it('offers a per-machine install: NSIS lets the user choose (and elevates), MSI is per-machine', () => {
    const nsis = asMap(config.nsis);
    expect(nsis.oneClick).toBe(false);
    expect(nsis.perMachine).toBe(false); // with oneClick false: the "for me / for all users" page
    expect(nsis.allowElevation).toBe(true);
    expect(nsis.allowToChangeInstallationDirectory).toBe(true);
    const msi = asMap(config.msi);
    expect(msi.perMachine).toBe(true);
    expect(String(msi.upgradeCode)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('names artifacts by product, version and architecture', () => {
    for (const name of [asMap(config.win).artifactName, asMap(config.nsis).artifactName, asMap(config.msi).artifactName]) {
      expect(name).toEqual(expect.stringContaining('${version}'));
      expect(name).toEqual(expect.stringContaining('${arch}'));
    }
  });

  it('packs out/ and package.json in an asar, with the native modules (SQLite, koffi) unpacked', () => {
    const files = asList(config.files);
    expect(files).toEqual(expect.arrayContaining(['out/**', 'package.json']));
    expect(config.asar).toBe(true);
    expect(asList(config.asarUnpack)).toEqual(expect.arrayContaining(['**/*.node', 'node_modules/better-sqlite3-multiple-ciphers/**', 'node_modules/koffi/**', 'node_modules/@koromix/**']));
    expect(asMap(config.extraMetadata).main).toBe('out/main/main.cjs');
    expect(asMap(config.extraMetadata).main).toBe(pkg.main);
  });

  it('every file it references exists, and the app icon has the 256 px image Windows needs', () => {
    const referenced = strings(config).filter((s) => /\.(ico|png|icns|nsh|nsi|bmp|txt|rtf)$/.test(s) && !s.includes('*') && !s.includes('${'));
    expect(referenced.length).toBeGreaterThanOrEqual(3);
    for (const path of referenced) expect(existsSync(join(ROOT, path)), path).toBe(true);
    expect(existsSync(join(ROOT, String(asMap(config.directories).buildResources)))).toBe(true);
    const ico = readFileSync(join(ROOT, String(asMap(config.win).icon)));
    const count = ico.readUInt16LE(4);
    const widths = Array.from({ length: count }, (_, i) => ico[6 + i * 16] || 256);
    expect(widths).toContain(256);
  });

  it('flips the Electron fuses that would let another program borrow Lifeboat.exe (and its vault key)', () => {
    const fuses = asMap(config.electronFuses);
    expect(fuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
      enableCookieEncryption: true,
      loadBrowserProcessSpecificV8Snapshot: false,
    });
  });

  it('refuses to build unsigned, and signs with SHA-256 and an RFC 3161 timestamp', () => {
    expect(config.forceCodeSigning).toBe(true);
    const sign = asMap(asMap(config.win).signtoolOptions);
    expect(sign.signingHashAlgorithms).toEqual(['sha256']);
    expect(String(sign.rfc3161TimeStampServer)).toMatch(/^https?:\/\/\S+$/);
    expect(sign.publisherName).toBeTruthy();
  });

  it('uses only option names electron-builder itself defines (its own JSON schema)', () => {
    const scheme = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'app-builder-lib', 'scheme.json'), 'utf8')) as {
      properties: Record<string, unknown>;
      definitions: Record<string, { properties: Record<string, unknown> }>;
    };
    for (const key of Object.keys(config)) expect(Object.keys(scheme.properties), key).toContain(key);
    for (const key of Object.keys(asMap(config.electronFuses))) expect(Object.keys(scheme.definitions.FuseOptionsV1!.properties), key).toContain(key);
    for (const key of Object.keys(asMap(config.win))) expect(Object.keys(scheme.definitions.WindowsConfiguration!.properties), key).toContain(key);
    for (const key of Object.keys(asMap(asMap(config.win).signtoolOptions))) expect(Object.keys(scheme.definitions.WindowsSigntoolConfiguration!.properties), key).toContain(key);
  });

  it('`npm run dist` builds the renderer before the Electron bundles and the installers', () => {
    const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    const steps = scripts.dist!.split('&&').map((s) => s.trim());
    expect(steps).toEqual(['npm run build:renderer', 'node scripts/build-electron.js', 'electron-builder --win']);
    expect(scripts['build:renderer']).toBe('vite build');
  });
});
