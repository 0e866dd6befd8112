/**
 * The registry side of policy on Windows, through koffi (advapi32): reads
 * HKLM/HKCU\SOFTWARE\Policies\Lifeboat (values and one level of subkeys, read-only, the 64-bit view)
 * and hears changes with RegNotifyChangeKeyValue on an event, waited for with the HandleWaiter, so a
 * `gpupdate` or an Intune sync applies while Lifeboat runs.
 */
import { loadWin32Api, type Win32Api } from '../../capture/win32/loadWin32Api.ts';
import { asHandle } from '../../capture/win32/nativeValues.ts';
import { utf16ToString } from '../../capture/win32/utf16.ts';
import { HandleWaiter } from '../../watch/process/win32/handleWaiter.ts';
import { ConfigError } from '../configError.ts';
import { POLICY_KEY } from '../policySchema.ts';
import { policyFromRegistry, policyKeyLabel, type PolicyHive, type PolicyKeyValues, type PolicySource, type RegistryValue } from '../registryPolicy.ts';

/** Predefined keys are sign-extended 32-bit values: (HKEY)(ULONG_PTR)(LONG)0x80000002. */
const HIVES: Record<PolicyHive, bigint> = { HKLM: 0xffffffff80000002n, HKCU: 0xffffffff80000001n };
const KEY_READ = 0x20019;
const KEY_NOTIFY = 0x0010;
const KEY_WOW64_64KEY = 0x0100;
const ERROR_SUCCESS = 0;
const ERROR_FILE_NOT_FOUND = 2;
const ERROR_MORE_DATA = 234;
const ERROR_NO_MORE_ITEMS = 259;
const REG_NOTIFY_CHANGE_NAME = 0x1;
const REG_NOTIFY_CHANGE_LAST_SET = 0x4;
/** Registry value names are at most 16383 characters. */
const NAME_CHARS = 16_384;
/** A policy value larger than this (the profiles JSON included) is refused rather than read. */
const MAX_VALUE_BYTES = 1024 * 1024;
const MAX_VALUES = 1000;
const TYPES: Record<number, RegistryValue['type']> = { 0: 'REG_NONE', 1: 'REG_SZ', 2: 'REG_EXPAND_SZ', 3: 'REG_BINARY', 4: 'REG_DWORD', 7: 'REG_MULTI_SZ', 11: 'REG_QWORD' };

const wide = (text: string): Uint16Array => {
  const units = new Uint16Array(text.length + 1);
  for (let i = 0; i < text.length; i++) units[i] = text.charCodeAt(i);
  return units;
};

function openKey(api: Win32Api, parent: bigint, path: string, access: number): bigint | null {
  const out = Buffer.alloc(8);
  const status = Number(api.advapi32.RegOpenKeyExW(parent, wide(path), 0, access | KEY_WOW64_64KEY, out));
  if (status === ERROR_FILE_NOT_FOUND) return null;
  if (status !== ERROR_SUCCESS) throw new Error(`cannot open ${path} (Windows error ${status})`);
  return asHandle(out.readBigUInt64LE(0));
}

function decode(type: number, data: Buffer): RegistryValue {
  const kind = TYPES[type] ?? 'REG_BINARY';
  const text = (): string => utf16ToString(new Uint16Array(data.buffer, data.byteOffset, Math.floor(data.length / 2)));
  switch (kind) {
    case 'REG_DWORD':
      return { type: kind, data: data.length >= 4 ? data.readUInt32LE(0) : 0 };
    case 'REG_QWORD':
      return { type: kind, data: data.length >= 8 ? Number(data.readBigUInt64LE(0)) : 0 };
    case 'REG_SZ':
    case 'REG_EXPAND_SZ':
      return { type: kind, data: text().replace(/\0+$/, '') };
    case 'REG_MULTI_SZ':
      return { type: kind, data: text().replace(/\0+$/, '').split('\0') };
    default:
      return { type: kind as 'REG_BINARY' | 'REG_NONE', data: null };
  }
}

function readValues(api: Win32Api, key: bigint): Record<string, RegistryValue> {
  const values: Record<string, RegistryValue> = {};
  const name = new Uint16Array(NAME_CHARS);
  let data = Buffer.alloc(4096);
  for (let index = 0; index < MAX_VALUES; ) {
    const nameChars = new Uint32Array([NAME_CHARS]);
    const type = new Uint32Array(1);
    const dataBytes = new Uint32Array([data.length]);
    const status = Number(api.advapi32.RegEnumValueW(key, index, name, nameChars, null, type, data, dataBytes));
    if (status === ERROR_NO_MORE_ITEMS) break;
    if (status === ERROR_MORE_DATA && (dataBytes[0] ?? 0) <= MAX_VALUE_BYTES && (dataBytes[0] ?? 0) > data.length) {
      data = Buffer.alloc(dataBytes[0]!);
      continue; // the same index again, with room
    }
    if (status !== ERROR_SUCCESS && status !== ERROR_MORE_DATA) throw new Error(`cannot read a value (Windows error ${status})`);
    const valueName = utf16ToString(name.subarray(0, nameChars[0] ?? 0));
    values[valueName] = status === ERROR_MORE_DATA ? { type: 'REG_BINARY', data: null } : decode(type[0] ?? 0, data.subarray(0, dataBytes[0] ?? 0));
    index++;
  }
  return values;
}

function subkeyNames(api: Win32Api, key: bigint): string[] {
  const names: string[] = [];
  const name = new Uint16Array(256);
  for (let index = 0; index < MAX_VALUES; index++) {
    const chars = new Uint32Array([name.length]);
    const status = Number(api.advapi32.RegEnumKeyExW(key, index, name, chars, null, null, null, null));
    if (status === ERROR_NO_MORE_ITEMS) break;
    if (status !== ERROR_SUCCESS) throw new Error(`cannot list subkeys (Windows error ${status})`);
    names.push(utf16ToString(name.subarray(0, chars[0] ?? 0)));
  }
  return names;
}

/** The policy key of one hive, or null when it does not exist (no policy set there). */
export function readPolicyKey(api: Win32Api, hive: PolicyHive): PolicyKeyValues | null {
  const key = openKey(api, HIVES[hive], POLICY_KEY, KEY_READ);
  if (key === null) return null;
  try {
    const subkeys: PolicyKeyValues['subkeys'] = {};
    for (const name of subkeyNames(api, key)) {
      const sub = openKey(api, key, name, KEY_READ);
      if (sub === null) continue;
      try {
        subkeys[name] = readValues(api, sub);
      } finally {
        api.advapi32.RegCloseKey(sub);
      }
    }
    return { values: readValues(api, key), subkeys };
  } finally {
    api.advapi32.RegCloseKey(key);
  }
}

class RegistryPolicySource implements PolicySource {
  readonly label: string;
  private readonly api: Win32Api;
  private readonly hive: PolicyHive;

  constructor(api: Win32Api, hive: PolicyHive) {
    this.api = api;
    this.hive = hive;
    this.label = policyKeyLabel(hive);
  }

  read() {
    let key: PolicyKeyValues | null;
    try {
      key = readPolicyKey(this.api, this.hive);
    } catch (error) {
      throw new ConfigError({ file: this.label, detail: `cannot be read: ${(error as Error).message}` });
    }
    return policyFromRegistry(this.hive, key);
  }
}

/**
 * Calls onChange after anything under either policy key changes (created, deleted, a value set);
 * other programs' policies under the same parent wake it too, and the caller finds nothing changed.
 * Returns stop().
 */
function watchPolicyKeys(api: Win32Api, onChange: () => void, onError: (message: string) => void): () => Promise<void> {
  const waiter = new HandleWaiter(api, onError);
  const armed: Array<{ key: bigint; event: bigint }> = [];
  let stopped = false;

  const arm = (hive: PolicyHive): void => {
    // The parent (SOFTWARE\Policies) with its subtree: it sees the Lifeboat key created and deleted
    // too, which a watch on the key itself would not survive.
    const candidates = [POLICY_KEY.slice(0, POLICY_KEY.lastIndexOf('\\')), 'SOFTWARE'];
    let key: bigint | null = null;
    for (const path of candidates) if ((key = openKey(api, HIVES[hive], path, KEY_NOTIFY)) !== null) break;
    if (key === null) return;
    const event = asHandle(api.kernel32.CreateEventW(null, 0, 0, null));
    if (event === null) {
      api.advapi32.RegCloseKey(key);
      return;
    }
    const status = Number(api.advapi32.RegNotifyChangeKeyValue(key, 1, REG_NOTIFY_CHANGE_NAME | REG_NOTIFY_CHANGE_LAST_SET, event, 1));
    if (status !== ERROR_SUCCESS) {
      onError(`RegNotifyChangeKeyValue failed (Windows error ${status})`);
      api.advapi32.RegCloseKey(key);
      api.kernel32.CloseHandle(event);
      return;
    }
    const entry = { key, event };
    armed.push(entry);
    waiter.add(event, () => {
      // One-shot: re-arm first (the key may have been created meanwhile), then tell.
      armed.splice(armed.indexOf(entry), 1);
      api.advapi32.RegCloseKey(key);
      api.kernel32.CloseHandle(event);
      if (stopped) return;
      arm(hive);
      onChange();
    });
  };
  arm('HKLM');
  arm('HKCU');
  return async () => {
    stopped = true;
    await waiter.close();
    for (const { key, event } of armed.splice(0)) {
      api.advapi32.RegCloseKey(key);
      api.kernel32.CloseHandle(event);
    }
  };
}

/** HKCU first, HKLM last: loadConfig layers them in this order, so machine policy wins. */
export function createWin32RegistryPolicy(): { sources: PolicySource[]; watch: (onChange: () => void, onError: (message: string) => void) => () => Promise<void> } {
  const api = loadWin32Api('policy from the registry through advapi32');
  return {
    sources: [new RegistryPolicySource(api, 'HKCU'), new RegistryPolicySource(api, 'HKLM')],
    watch: (onChange, onError) => watchPolicyKeys(api, onChange, onError),
  };
}
