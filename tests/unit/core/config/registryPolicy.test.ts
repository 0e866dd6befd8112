import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../app/core/config/configFile.ts';
import { ConfigError } from '../../../../app/core/config/configError.ts';
import { policyFromRegistry, type PolicyKeyValues, type PolicySource } from '../../../../app/core/config/registryPolicy.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dword = (data: number) => ({ type: 'REG_DWORD' as const, data });
const sz = (data: string) => ({ type: 'REG_SZ' as const, data });
const multi = (...data: string[]) => ({ type: 'REG_MULTI_SZ' as const, data });

/** What Group Policy writes from the ADMX template, as the registry reader hands it over. */
const GPO: PolicyKeyValues = {
  values: { Capture: dword(1), RetentionDays: dword(30), ActiveProfiles: multi('emis-web', ''), SharePath: sz('\\\\server\\lifeboat$'), Profiles: multi('[{"name":"emis-web",', '"logs":[{"dir":"D:\\\\EMIS\\\\Logs"}]}]') },
  subkeys: { ClientCapture: { Enabled: dword(0), ClipboardJournal: dword(1) }, notifications: { quiethoursstart: sz('12:30'), QuietHoursEnd: sz('13:30'), ThrottleMs: sz('60000') }, Syslog: { Host: sz('siem.nhs.example'), Port: dword(6514) } },
};

const source = (label: string, key: PolicyKeyValues | null, hive: 'HKLM' | 'HKCU' = 'HKLM'): PolicySource => ({ label, read: () => policyFromRegistry(hive, key) });

describe('policy from the registry', () => {
  it('reads what Group Policy writes into the settings and profiles policy.json would hold (names case-insensitive)', () => {
    expect(policyFromRegistry('HKLM', GPO)).toEqual({
      settings: {
        capture: true,
        retentionDays: 30,
        activeProfiles: ['emis-web'],
        sharePath: '\\\\server\\lifeboat$',
        clientCapture: { enabled: false, clipboardJournal: true },
        notifications: { quietHours: { start: '12:30', end: '13:30' }, throttleMs: 60000 },
        syslog: { host: 'siem.nhs.example', port: 6514 },
      },
      profiles: [{ name: 'emis-web', logs: [{ dir: 'D:\\EMIS\\Logs', glob: ['*.log'], encoding: 'auto' }] }],
    });
  });

  it('takes from HKCU only what may be set per user', () => {
    expect(policyFromRegistry('HKCU', GPO)).toEqual({ settings: { retentionDays: 30, clientCapture: { enabled: false, clipboardJournal: true }, notifications: { quietHours: { start: '12:30', end: '13:30' }, throttleMs: 60000 } } });
  });

  it('a switch that can only be turned on (Syslog\\Insecure) is not set when the template writes 0', () => {
    const syslog = (insecure: number) => policyFromRegistry('HKLM', { values: {}, subkeys: { Syslog: { Host: sz('siem.local'), Port: dword(514), Insecure: dword(insecure) } } });
    expect(syslog(1)?.settings?.syslog).toEqual({ host: 'siem.local', port: 514, insecure: true });
    expect(syslog(0)?.settings?.syslog).toEqual({ host: 'siem.local', port: 514 });
  });

  it('no key, or a key with nothing Lifeboat knows: no policy', () => {
    expect(policyFromRegistry('HKLM', null)).toBeNull();
    expect(policyFromRegistry('HKLM', { values: { SomeFutureSetting: dword(1) }, subkeys: {} })).toBeNull();
  });

  it.each([
    [{ values: { Capture: dword(2) }, subkeys: {} }, 'Capture: expected a REG_DWORD of 0 or 1, found REG_DWORD 2'],
    [{ values: { Capture: sz('yes') }, subkeys: {} }, 'Capture: expected a REG_DWORD of 0 or 1'],
    [{ values: { RetentionDays: dword(9999) }, subkeys: {} }, 'RetentionDays: Too big'],
    [{ values: { Profiles: sz('[{"name":') }, subkeys: {} }, 'Profiles: invalid JSON'],
    [{ values: { Profiles: sz('[{"name":"NOT VALID"}]') }, subkeys: {} }, 'Profiles:'],
    [{ values: {}, subkeys: { Notifications: { QuietHoursStart: sz('25:00') } } }, 'Notifications\\QuietHoursStart:'],
  ] as Array<[PolicyKeyValues, string]>)('a bad value is a ConfigError naming the key and value: %#', (key, message) => {
    let error: unknown;
    try {
      policyFromRegistry('HKLM', key);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(`HKLM\\SOFTWARE\\Policies\\Lifeboat: ${message}`);
  });

  it('wins over policy.json field by field, HKLM over HKCU, and locks what it sets', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lifeboat-regpolicy-'));
    const policyPath = join(dir, 'policy.json');
    writeFileSync(policyPath, JSON.stringify({ settings: { retentionDays: 7, notifications: { enabled: false } } }));
    const config = loadConfig({
      env: {},
      policyPath,
      policySources: [
        source('HKCU\\SOFTWARE\\Policies\\Lifeboat', { values: { RetentionDays: dword(20) }, subkeys: { ClientCapture: { Enabled: dword(1) } } }, 'HKCU'),
        source('HKLM\\SOFTWARE\\Policies\\Lifeboat', { values: {}, subkeys: { ClientCapture: { Enabled: dword(0) } } }),
      ],
    });
    expect(config.settings.retentionDays).toBe(20); // HKCU over policy.json
    expect(config.settings.notifications.enabled).toBe(false); // policy.json where the registry is silent
    expect(config.settings.clientCapture.enabled).toBe(false); // HKLM over HKCU
    expect(config.lockedByPolicy).toEqual(expect.arrayContaining(['retentionDays', 'notifications.enabled', 'clientCapture.enabled']));
    expect(config.files).toEqual({ user: null, policy: policyPath, registry: ['HKCU\\SOFTWARE\\Policies\\Lifeboat', 'HKLM\\SOFTWARE\\Policies\\Lifeboat'] });
  });
});
