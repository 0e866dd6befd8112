import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../app/core/config/configError.ts';
import { isLockedByPolicy, loadConfig } from '../../../../app/core/config/configFile.ts';
import { defaultUserConfigPath } from '../../../../app/core/config/configPaths.ts';
import { DEFAULT_PROFILES } from '../../../../app/core/config/defaultProfiles.ts';
import { expandPathVars } from '../../../../app/core/config/pathVars.ts';
import { compilePatterns } from '../../../../app/core/config/profiles.ts';
import type { LinePattern } from '../../../../app/core/watch/logs/linePattern.ts';

let dir: string;
let userPath: string;
let policyPath: string;
const env = { LOCALAPPDATA: 'C:\\Users\\gp\\AppData\\Local', ProgramData: 'C:\\ProgramData', LIFEBOAT_SIM_LOG_DIR: '/tmp/sim-logs' };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lifeboat-config-'));
  userPath = join(dir, 'config.json');
  policyPath = join(dir, 'policy.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const write = (path: string, value: unknown): void => writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value, null, 2));

function loadError(options: Parameters<typeof loadConfig>[0]): ConfigError {
  try {
    loadConfig(options);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('built-in profiles', () => {
  it('load with no files at all', () => {
    const config = loadConfig({ userPath, policyPath, env, platform: 'win32' });
    expect(config.profiles.map((p) => p.name)).toEqual(['emis-web', 'systmone', 'vision', 'generic', 'simulated']);
    expect(config.active.map((p) => p.name)).toEqual(['emis-web', 'systmone', 'vision']);
    expect(config.settings).toEqual({ activeProfiles: ['emis-web', 'systmone', 'vision'], pollIntervalMs: 1000, retentionDays: 14, capture: true, clientCapture: { enabled: true, clipboardJournal: false, maxChars: 1_048_576, clipboardMaxChars: 100_000 }, notifications: { enabled: true, throttleMs: 300_000 }, allowKeyFileWithoutKeystore: false });
    expect(config.files).toEqual({ user: null, policy: null, registry: [] });
    expect(config.lockedByPolicy).toEqual([]);
    expect(config.logFolders['emis-web']).toEqual(['C:\\Users\\gp\\AppData\\Local\\EMIS\\EMIS Web\\Logs', 'C:\\ProgramData\\EMIS\\EMIS Web\\Logs']);
    // Only the simulated client has a socket standing in for its window.
    expect(Object.keys(config.simSocketDirs)).toEqual(['simulated']);
  });

  it('lets the practice policy switch text capture off and lock it; a typo in the capture settings names the field', () => {
    writeFileSync(policyPath, JSON.stringify({ settings: { clientCapture: { enabled: false } } }));
    const config = loadConfig({ userPath, policyPath, env, platform: 'win32' });
    expect(config.settings.clientCapture).toEqual({ enabled: false, clipboardJournal: false, maxChars: 1_048_576, clipboardMaxChars: 100_000 });
    expect(config.lockedByPolicy).toEqual(['clientCapture.enabled']);
    writeFileSync(policyPath, JSON.stringify({ settings: { clientCapture: { clipbaordJournal: true } } }));
    expect(loadError({ userPath, policyPath, env, platform: 'win32' }).message).toMatch(/clientCapture/);
  });

  it('describe EMIS Web as the 32-bit client it is', () => {
    const emis = DEFAULT_PROFILES.find((p) => p.name === 'emis-web')!;
    expect(emis.processNames).toEqual(['EmisWeb.exe']);
    expect(emis.memory.warnBytes).toBeGreaterThan(3 * 1024 ** 3);
    expect(emis.memory.warnBytes).toBeLessThan(4 * 1024 ** 3);
    expect(emis.slow).toEqual({ requestMsThreshold: 2000, uiLatencyMs: 1000, sustainedMs: 10_000 });
  });

  it('have patterns that recognise what the simulated client writes, and not routine lines', () => {
    const sim = compilePatterns(DEFAULT_PROFILES.find((p) => p.name === 'simulated')!);
    const emis = compilePatterns(DEFAULT_PROFILES.find((p) => p.name === 'emis-web')!);
    const matches = (patterns: LinePattern[], line: string): boolean => patterns.some((p) => p.test(line));
    const crash = '2026-01-05 09:00:00,123 [4242] FATAL EmisWeb.Shell.UnhandledExceptionHandler - EMIS Web has encountered a serious problem and needs to close.';
    for (const patterns of [sim, emis]) {
      expect(matches(patterns.crash, crash)).toBe(true);
      expect(matches(patterns.crash, '2026-01-05 09:00:01,000 [4242] ERROR EmisWeb.Data - System.InvalidOperationException: Sequence contains no elements')).toBe(true);
      expect(matches(patterns.crash, '2026-01-05 09:00:01,000 [4242] INFO  EmisWeb.Data - retried after an error; System.IO.IOException handled')).toBe(false);
      expect(matches(patterns.crash, 'Consultation view refreshed in 123 ms (entry 42)')).toBe(false);
      expect(matches(patterns.hang, 'WARN EmisWeb.Shell.Dispatcher - UI thread blocked waiting for GetPatientJournal')).toBe(true);
      expect(matches(patterns.slow, 'WARN EmisWeb.Data.RequestBroker - Request GetPatientJournal took 4410 ms (threshold 2000 ms)')).toBe(true);
      expect(matches(patterns.slow, 'INFO Consultation view refreshed in 123 ms (entry 42)')).toBe(false);
      expect(matches(patterns.normalExit, 'INFO EmisWeb.Shell.Application - Application shutting down (user closed the main window)')).toBe(true);
    }
    expect(matches(sim.slow, 'Request queue backing up: 12 requests waiting')).toBe(true);
  });
});

describe('merging user file and machine policy', () => {
  it('overrides a built-in profile field by field and adds new profiles', () => {
    write(userPath, {
      settings: { retentionDays: 7, activeProfiles: ['emis-web', 'practice-pas'] },
      profiles: [
        { name: 'emis-web', logs: [{ dir: '%LOCALAPPDATA%\\EMIS\\Real\\Logs' }], patterns: { slow: ['took \\d{5,} ms'] } },
        { name: 'practice-pas', displayName: 'Practice PAS', processNames: ['pas.exe'] },
      ],
    });
    const config = loadConfig({ userPath, policyPath, env, platform: 'win32' });
    const emis = config.profiles.find((p) => p.name === 'emis-web')!;
    expect(emis.logs).toEqual([{ dir: '%LOCALAPPDATA%\\EMIS\\Real\\Logs', glob: ['*.log'], encoding: 'auto' }]);
    expect(emis.patterns.slow).toEqual(['took \\d{5,} ms']);
    expect(emis.patterns.crash).toEqual(DEFAULT_PROFILES[0]!.patterns.crash);
    expect(emis.processNames).toEqual(['EmisWeb.exe']);
    expect(config.active.map((p) => p.name)).toEqual(['emis-web', 'practice-pas']);
    expect(config.profileOrigins).toMatchObject({ 'emis-web': 'user', 'practice-pas': 'user', vision: 'built-in' });
    expect(config.settings.retentionDays).toBe(7);
    expect(config.files).toEqual({ user: userPath, policy: null, registry: [] });
  });

  it('lets the policy win, and locks what it sets', () => {
    write(userPath, { settings: { capture: true, retentionDays: 30, notifications: { enabled: true, throttleMs: 1000 } } });
    write(policyPath, { settings: { capture: false, notifications: { enabled: false } }, profiles: [{ name: 'emis-web', processNames: ['EmisWeb.exe', 'EmisWebX.exe'] }] });
    const config = loadConfig({ userPath, policyPath, env });
    expect(config.settings.capture).toBe(false);
    expect(config.settings.retentionDays).toBe(30);
    expect(config.settings.notifications).toEqual({ enabled: false, throttleMs: 1000 });
    expect(config.lockedByPolicy).toEqual(['capture', 'notifications.enabled', 'profiles.emis-web']);
    expect(isLockedByPolicy(config, 'notifications.enabled')).toBe(true);
    expect(isLockedByPolicy(config, 'notifications.throttleMs')).toBe(false);
    expect(isLockedByPolicy(config, 'retentionDays')).toBe(false);
    expect(config.profileOrigins['emis-web']).toBe('policy');
  });

  it('reads files written by Notepad (UTF-8 BOM) and Windows PowerShell (UTF-16LE BOM), and empty files', () => {
    writeFileSync(userPath, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"settings":{"retentionDays":9}}')]));
    writeFileSync(policyPath, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"settings":{"pollIntervalMs":2000}}', 'utf16le')]));
    const config = loadConfig({ userPath, policyPath, env });
    expect(config.settings.retentionDays).toBe(9);
    expect(config.settings.pollIntervalMs).toBe(2000);
    write(userPath, '  \r\n');
    expect(loadConfig({ userPath, env }).settings.retentionDays).toBe(14);
  });
});

describe('bad config files', () => {
  it('names the file, the field and the bad regular expression', () => {
    write(userPath, { profiles: [{ name: 'emis-web', patterns: { crash: ['fatal', 'serious problem', '('] } }] });
    const error = loadError({ userPath, env });
    expect(error.message).toBe(`${userPath}: profiles[0].patterns.crash[2]: invalid regular expression '(' — Unterminated group`);
    expect(error.field).toBe('profiles[0].patterns.crash[2]');
  });

  it.each([
    ['a missing comma', '{\n  "settings": {\n    "retentionDays": 7\n    "capture": false\n  }\n}', 4, 5, "expected ',' before the next property or value but found '\"'"],
    ['single quotes', "{ 'settings': {} }", 1, 3, `unexpected ''' (names and strings take double quotes: "name")`],
    ['a Windows path with single backslashes', '{\n  "settings": { "sharePath": "\\\\server\\share" }\n}', 2, 39, "invalid escape '\\s' in a string (write a backslash as \\\\, e.g. C:\\\\Logs)"],
    ['a string never closed', '{ "settings": { "sharePath": "x }\n}', 1, 30, 'this string is not closed before the end of the line (missing ")'],
    ['a string open at the end of the file', '{ "settings": { "sharePath": "x', 1, 30, 'this string is never closed (missing ")'],
    ['a truncated file', '{ "settings": {', 1, 16, "the file ends before '}' closes an object (is it cut short?)"],
    ['text after the value', '{}\n{}', 2, 1, "unexpected '{' after the end of the JSON value"],
    ['a comment never closed', '{ /* practice settings\n "settings": {} }', 1, 3, 'a comment is not closed (missing */)'],
    ['a __proto__ key', '{\n  "settings": { "__proto__": { "capture": false } }\n}', 2, 17, "'__proto__' is not a setting (it would change the object instead of naming a field)"],
  ])('gives line and column for %s', (_name, text, line, column, expected) => {
    write(userPath, text);
    const error = loadError({ userPath, env });
    expect({ line: error.line, column: error.column }).toEqual({ line, column });
    expect(error.message).toBe(`${userPath}:${line}:${column}: invalid JSON: ${expected}`);
  });

  it('takes comments and a trailing comma (JSON with comments, as VS Code settings)', () => {
    write(userPath, '{\n  // the practice keeps notes for a week\n  "settings": {\n    /* days */ "retentionDays": 7,\n  },\n}');
    expect(loadConfig({ userPath, env }).settings.retentionDays).toBe(7);
  });

  it('names unknown and mistyped fields', () => {
    write(userPath, { settings: { retentiondays: 7 } });
    expect(loadError({ userPath, env }).message).toBe(`${userPath}: settings: Unrecognized key: "retentiondays"`);
    write(userPath, { settings: { retentionDays: 'a fortnight' } });
    expect(loadError({ userPath, env }).message).toBe(`${userPath}: settings.retentionDays: Invalid input: expected number, received string`);
    write(userPath, { profiles: [{ name: 'EMIS Web' }] });
    expect(loadError({ userPath, env }).message).toBe(`${userPath}: profiles[0].name: a profile name is lower-case words joined by dashes, like "emis-web"`);
  });

  it('says what a new profile is missing, in the file that added it', () => {
    write(userPath, { settings: { retentionDays: 7 } });
    write(policyPath, { profiles: [{ name: 'practice-pas', processNames: ['pas.exe'] }] });
    const error = loadError({ userPath, policyPath, env });
    expect(error.file).toBe(policyPath);
    expect(error.message).toBe(`${policyPath}: profiles[0].displayName: new profile 'practice-pas' is incomplete: Invalid input: expected string, received undefined`);
  });

  it('rejects an active profile that does not exist', () => {
    write(userPath, { settings: { activeProfiles: ['emis-web', 'emis'] } });
    expect(loadError({ userPath, env }).message).toBe(`${userPath}: settings.activeProfiles[1]: no profile named 'emis' (known: emis-web, systmone, vision, generic, simulated)`);
  });

  it('rejects a profile listed twice in one file', () => {
    write(userPath, { profiles: [{ name: 'vision' }, { name: 'vision' }] });
    expect(loadError({ userPath, env }).message).toBe(`${userPath}: profiles[1].name: profile 'vision' appears twice in this file`);
  });
});

describe('paths', () => {
  it('expands %VARS% case-insensitively, leaves unset ones visible, and expands ~', () => {
    expect(expandPathVars('%localappdata%\\EMIS\\Logs', env, 'win32')).toBe('C:\\Users\\gp\\AppData\\Local\\EMIS\\Logs');
    expect(expandPathVars('%ProgramData%/EMIS', env, 'win32')).toBe('C:\\ProgramData\\EMIS');
    expect(expandPathVars('%NOT_SET%\\Logs', env, 'win32')).toBe('%NOT_SET%\\Logs');
    expect(expandPathVars('~/logs', { HOME: '/home/gp' }, 'linux')).toBe('/home/gp/logs');
    expect(expandPathVars('~\\Logs', { USERPROFILE: 'C:\\Users\\gp' }, 'win32')).toBe('C:\\Users\\gp\\Logs');
    expect(expandPathVars('%LIFEBOAT_SIM_LOG_DIR%\\rotated', env, 'linux')).toBe('/tmp/sim-logs/rotated');
    expect(expandPathVars('\\\\practice-nas\\lifeboat', env, 'win32')).toBe('\\\\practice-nas\\lifeboat');
  });

  it('knows where the user file lives by default', () => {
    expect(defaultUserConfigPath({ APPDATA: 'C:\\Users\\gp\\AppData\\Roaming', ProgramData: 'C:\\ProgramData' }, 'win32')).toBe('C:\\Users\\gp\\AppData\\Roaming\\Lifeboat\\config.json');
    expect(defaultUserConfigPath({ HOME: '/home/gp' }, 'linux')).toBe('/home/gp/.config/lifeboat/config.json');
  });
});

