import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Script, runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_NAMES, IPC_EVENT_CHANNEL, ipcChannel } from '../../../app/common/api.ts';
import { HEALTH_STATES } from '../../../app/common/incident.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'lifeboat-bundle-'));
  dirs.push(d);
  return d;
}

describe('Electron bundles (scripts/build-electron.js)', () => {
  let out: string;
  let build: ReturnType<typeof spawnSync>;

  beforeAll(() => {
    out = tempDir();
    // A renderer build whose CSP meta tag is missing the real policy: the build must set ours.
    mkdirSync(join(out, 'renderer'), { recursive: true });
    writeFileSync(join(out, 'renderer', 'index.html'), '<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src *"><title>Lifeboat</title></head><body></body></html>');
    build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-electron.js'), '--out', out], { cwd: ROOT, encoding: 'utf8' });
    // The native externals (SQLite for the syslog queue, koffi) resolve from node_modules beside
    // the bundle, as in the packaged app (app.asar/node_modules next to out/).
    symlinkSync(join(ROOT, 'node_modules'), join(out, 'node_modules'), 'dir');
  });

  it('runs and writes main, preload and the icons', () => {
    expect(build.stderr, 'esbuild errors or warnings').toBe('');
    expect(build.status).toBe(0);
    for (const f of ['main/main.cjs', 'main/watcher.cjs', 'main/vaultWorker.cjs', 'main/sourceWorker.cjs', 'preload/preload.cjs', 'app/icon.png', ...HEALTH_STATES.flatMap((s) => [`tray/${s}.ico`, `tray/${s}-16.png`, `tray/${s}-16@2x.png`])]) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
  });

  it('never turns Node on in a renderer, and keeps isolation and the sandbox', () => {
    for (const f of ['main/main.cjs', 'preload/preload.cjs']) {
      const code = readFileSync(join(out, f), 'utf8');
      expect(code).not.toMatch(/nodeIntegration\w*\s*:\s*(true|!0)/);
      expect(code).not.toMatch(/(contextIsolation|sandbox|webSecurity)\s*:\s*(false|!1)/);
    }
    const main = readFileSync(join(out, 'main/main.cjs'), 'utf8');
    expect(main).toMatch(/contextIsolation: true/);
    expect(main).toMatch(/sandbox: true/);
  });

  it('main is valid CommonJS needing only electron, the native modules (SQLite, koffi) and Node built-ins', () => {
    const code = readFileSync(join(out, 'main/main.cjs'), 'utf8');
    expect(() => new Script(code, { filename: 'main.cjs' })).not.toThrow();
    const required = new Set([...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!));
    for (const r of required) expect(r === 'electron' || r === 'better-sqlite3-multiple-ciphers' || r === 'koffi' || r.startsWith('node:'), r).toBe(true);
    expect(required.has('electron')).toBe(true);
  });

  it('the watcher and the worker threads are CommonJS of their own that never load electron', () => {
    for (const f of ['watcher', 'vaultWorker', 'sourceWorker']) {
      const code = readFileSync(join(out, `main/${f}.cjs`), 'utf8');
      expect(() => new Script(code, { filename: `${f}.cjs` })).not.toThrow();
      const required = new Set([...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!));
      for (const r of required) expect(r === 'better-sqlite3-multiple-ciphers' || r === 'koffi' || r.startsWith('node:'), `${f}: ${r}`).toBe(true);
    }
  });

  it('the bundled watcher runs: forked with a channel it starts, answers ready and heartbeats, and stops when told', async () => {
    const { WatcherSupervisor } = await import('../../../app/core/runtime/watcherSupervisor.ts');
    const { nodeWatcherLauncher } = await import('../../../app/core/runtime/watcherLauncher.ts');
    const { DEFAULT_PROFILES } = await import('../../../app/core/config/defaultProfiles.ts');
    const { SettingsSchema } = await import('../../../app/core/config/profiles.ts');
    const logs = tempDir();
    const diagnostics: string[] = [];
    let heartbeats = 0;
    const supervisor = new WatcherSupervisor({
      // Plain Node with an IPC channel here; Electron's utilityProcess in the tray app (parentChannel.ts).
      launch: nodeWatcherLauncher(join(out, 'main/watcher.cjs')),
      forwardIncidents: () => false,
      init: () => ({
        config: { settings: SettingsSchema.parse({}) as unknown as Record<string, unknown>, active: [DEFAULT_PROFILES.find((p) => p.name === 'emis-web')!] as unknown as Array<Record<string, unknown>>, logFolders: { 'emis-web': [logs] }, simSocketDirs: {} },
        stateDir: tempDir(),
        platform: process.platform,
        workstation: 'BUNDLE-TEST',
        werRoots: [],
        eventLog: 'none',
        logStartAt: 'end',
        sinceMs: Date.now(),
        captureIntervals: {},
        captureSalt: '00',
        capture: { enabled: false, clipboardJournal: false },
        heartbeatMs: 100,
        matchBudgetMs: 100,
        stuckAfterMs: 30_000,
        sourceWorkerEntry: join(out, 'main/sourceWorker.cjs'),
      }),
      events: {
        signal: () => {},
        captured: () => {},
        outage: () => {},
        diagnostic: (d) => void diagnostics.push(`${d.source}: ${d.message}`),
        ready: () => {},
        running: () => void heartbeats++,
        state: () => {},
      },
    });
    supervisor.start();
    try {
      expect(await supervisor.whenReady(30_000), diagnostics.join('\n')).toBe(true);
      const deadline = Date.now() + 10_000;
      while (heartbeats < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(heartbeats).toBeGreaterThanOrEqual(2);
    } finally {
      await supervisor.stop();
    }
    expect(diagnostics).toEqual([]);
  }, 60_000);

  it('the preload, run as a sandboxed preload, exposes only window.lifeboat with the typed API', async () => {
    const code = readFileSync(join(out, 'preload/preload.cjs'), 'utf8');
    const exposed: Record<string, unknown> = {};
    const invoked: Array<[string, unknown]> = [];
    const listeners = new Map<string, Array<(event: unknown, payload: unknown) => void>>();
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) },
      ipcRenderer: {
        invoke: async (channel: string, arg: unknown) => {
          invoked.push([channel, arg]);
          return { ok: true, value: null };
        },
        on: (channel: string, l: (event: unknown, payload: unknown) => void) => listeners.set(channel, [...(listeners.get(channel) ?? []), l]),
        removeListener: (channel: string, l: (event: unknown, payload: unknown) => void) => listeners.set(channel, (listeners.get(channel) ?? []).filter((x) => x !== l)),
      },
    };
    const requireInSandbox = (id: string): unknown => {
      if (id === 'electron') return electron;
      throw new Error(`a sandboxed preload cannot require ${id}`);
    };
    const module = { exports: {} };
    runInNewContext(code, { require: requireInSandbox, module, exports: module.exports, console });
    expect(Object.keys(exposed)).toEqual(['lifeboat']);
    const api = exposed.lifeboat as Record<string, (arg?: unknown) => unknown>;
    expect(Object.keys(api).sort()).toEqual([...API_NAMES, 'onEvent'].sort());
    await api.searchDrafts!({ query: 'asthma' });
    expect(invoked).toEqual([[ipcChannel('searchDrafts'), { query: 'asthma' }]]);
    const seen: unknown[] = [];
    const off = (api.onEvent as unknown as (l: (e: unknown) => void) => () => void)((e) => seen.push(e));
    const sender = { secret: 'the IpcRendererEvent must not reach the page' };
    listeners.get(IPC_EVENT_CHANNEL)!.forEach((l) => l(sender, { type: 'health' }));
    expect(seen).toEqual([{ type: 'health' }]);
    off();
    expect(listeners.get(IPC_EVENT_CHANNEL)).toHaveLength(0);
  });

  it('sets the renderer CSP meta tag to ours, replacing the old one', () => {
    const html = readFileSync(join(out, 'renderer', 'index.html'), 'utf8');
    const tags = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/g)];
    expect(tags).toHaveLength(1);
    expect(tags[0]![1]).toContain("default-src 'none'");
    expect(tags[0]![1]).not.toContain('frame-ancestors');
    expect(html).not.toContain('default-src *');
  });
});

describe('npm start (scripts/start.js)', () => {
  const dryRun = (env: Record<string, string | undefined>): string => {
    const clean: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LIFEBOAT_START_DRY_RUN: '1' };
    for (const [k, v] of Object.entries(env)) if (v !== undefined) clean[k] = v;
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'start.js')], { cwd: ROOT, encoding: 'utf8', env: clean });
    expect(r.status).toBe(0);
    return r.stdout.trim();
  };

  it('runs the headless demo, saying why, when there is no Electron binary', () => {
    expect(dryRun({ DISPLAY: ':0', ELECTRON_OVERRIDE_DIST_PATH: join(tempDir(), 'nothing-here') })).toMatch(/^start: would run the headless demo: ELECTRON_OVERRIDE_DIST_PATH holds no Electron binary/);
  });

  it('on a desktop whose Electron binary was never fetched, fetches it first (Electron 45 fetches on first launch)', () => {
    if (existsSync(join(ROOT, 'node_modules/electron/path.txt'))) return; // already fetched on this machine: nothing to decide
    expect(dryRun({ DISPLAY: ':0' })).toMatch(/^start: would fetch the Electron binary, then launch it/);
    expect(dryRun({})).toMatch(/^start: would run the headless demo: there is no display/);
  });

  it('launches Electron when the binary exists and there is a display, and not without a display (Linux)', () => {
    const dist = tempDir();
    const bin = join(dist, existsSync(join(ROOT, 'node_modules/electron/path.txt')) ? readFileSync(join(ROOT, 'node_modules/electron/path.txt'), 'utf8').trim() : 'electron');
    writeFileSync(bin, '#!/bin/sh\n');
    chmodSync(bin, 0o755);
    expect(dryRun({ DISPLAY: ':0', ELECTRON_OVERRIDE_DIST_PATH: dist })).toBe(`start: would launch Electron (${bin})`);
    if (process.platform === 'linux') expect(dryRun({ ELECTRON_OVERRIDE_DIST_PATH: dist })).toMatch(/headless demo: there is no display/);
  });
});
