import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_USER_MODEL_ID } from '../../app/main/lifecycle.ts';

const ROOT = join(import.meta.dirname, '..', '..');

type Yaml = string | number | boolean | null | Yaml[] | { [key: string]: Yaml };

/**
 * A reader for the YAML subset electron-builder.yml is written in: block mappings and block
 * lists by two-space indentation, "- key: value" list items, quoted and plain scalars, flow lists
 * of scalars, full-line and trailing comments. Anything else throws, so the file cannot drift
 * into YAML this test would misread.
 */
function readYamlSubset(text: string): Yaml {
  interface Line {
    no: number;
    indent: number;
    body: string;
  }
  const lines: Line[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.includes('\t')) throw new Error(`line ${i + 1}: tabs are not allowed`);
    const body = stripComment(raw).trimEnd();
    if (body.trim() === '') return;
    const indent = body.length - body.trimStart().length;
    if (indent % 2 !== 0) throw new Error(`line ${i + 1}: indentation must be a multiple of two`);
    lines.push({ no: i + 1, indent, body: body.trimStart() });
  });
  let pos = 0;

  function block(indent: number): Yaml {
    const first = lines[pos];
    if (!first || first.indent !== indent) throw new Error(`line ${first?.no ?? 'EOF'}: expected indentation ${indent}`);
    return first.body.startsWith('- ') || first.body === '-' ? list(indent) : mapping(indent);
  }

  function list(indent: number): Yaml[] {
    const out: Yaml[] = [];
    while (pos < lines.length && lines[pos]!.indent === indent && lines[pos]!.body.startsWith('- ')) {
      const line = lines[pos]!;
      const item = line.body.slice(2);
      if (/^[A-Za-z_][\w.-]*:(\s|$)/.test(item)) {
        // "- key: value" starts a mapping whose keys sit two columns in.
        lines[pos] = { no: line.no, indent: indent + 2, body: item };
        out.push(mapping(indent + 2));
      } else {
        out.push(scalar(item, line.no));
        pos++;
      }
    }
    return out;
  }

  function mapping(indent: number): { [key: string]: Yaml } {
    const out: { [key: string]: Yaml } = {};
    while (pos < lines.length && lines[pos]!.indent === indent) {
      const line = lines[pos]!;
      const match = /^([A-Za-z_][\w.-]*):(?:\s+(.*))?$/.exec(line.body);
      if (!match) throw new Error(`line ${line.no}: expected "key: value", got ${JSON.stringify(line.body)}`);
      const key = match[1]!;
      if (Object.hasOwn(out, key)) throw new Error(`line ${line.no}: duplicate key ${key}`);
      pos++;
      if (match[2] !== undefined && match[2] !== '') out[key] = scalar(match[2], line.no);
      else if (pos < lines.length && lines[pos]!.indent > indent) out[key] = block(lines[pos]!.indent);
      else if (pos < lines.length && lines[pos]!.indent === indent && lines[pos]!.body.startsWith('- ')) out[key] = list(indent);
      else out[key] = null;
    }
    if (pos < lines.length && lines[pos]!.indent > indent) throw new Error(`line ${lines[pos]!.no}: unexpected indentation`);
    return out;
  }

  const result = block(0);
  if (pos !== lines.length) throw new Error(`line ${lines[pos]!.no}: unexpected content`);
  return result;
}

function stripComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || line[i - 1] === ' ')) return line.slice(0, i);
  }
  return line;
}

function scalar(text: string, no: number): Yaml {
  const t = text.trim();
  if (t.startsWith('"')) {
    if (!t.endsWith('"') || t.length < 2) throw new Error(`line ${no}: unterminated string`);
    return JSON.parse(t) as string;
  }
  if (t.startsWith("'")) {
    if (!t.endsWith("'") || t.length < 2) throw new Error(`line ${no}: unterminated string`);
    return t.slice(1, -1).replaceAll("''", "'");
  }
  if (t.startsWith('[')) {
    if (!t.endsWith(']')) throw new Error(`line ${no}: unterminated flow list`);
    const inner = t.slice(1, -1).trim();
    return inner === '' ? [] : inner.split(',').map((part) => scalar(part, no));
  }
  if (/^[{&*!|>%@`]/.test(t)) throw new Error(`line ${no}: ${JSON.stringify(t)} is outside the YAML subset this file uses`);
  if (t === 'true' || t === 'false') return t === 'true';
  if (t === 'null' || t === '~') return null;
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  return t;
}

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

describe('the YAML subset reader', () => {
  it('reads mappings, lists, list-of-mapping items, flow lists, quotes and comments', () => {
    const doc = readYamlSubset(
      ['a: 1 # one', 'b:', '  c: "x # not a comment"', '  d: [p, q]', 'e:', '  - f: g', '    h: true', '  - plain', "i: 'it''s'", 'j:', '- k'].join('\n'),
    );
    expect(doc).toEqual({ a: 1, b: { c: 'x # not a comment', d: ['p', 'q'] }, e: [{ f: 'g', h: true }, 'plain'], i: "it's", j: ['k'] });
  });
  it('refuses YAML outside the subset instead of misreading it', () => {
    expect(() => readYamlSubset('a: {b: 1}')).toThrow(/subset/);
    expect(() => readYamlSubset('a:\n   b: 1')).toThrow(/multiple of two/);
    expect(() => readYamlSubset('a: 1\na: 2')).toThrow(/duplicate/);
    expect(() => readYamlSubset('a: |\n  text')).toThrow(/subset/);
  });
});

describe('electron-builder.yml', () => {
  const config = asMap(readYamlSubset(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')));
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
