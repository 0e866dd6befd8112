import koffi from 'koffi';
import type { TypeObject } from 'koffi';
import { describe, expect, it } from 'vitest';
import { ADVAPI32, COM_METHOD, GUID, GUITHREADINFO, KERNEL32, OLE32, OLEAUT32, PROCESS_MEMORY_COUNTERS, PROCESSENTRY32W, RECT, USER32, WNDENUMPROC } from '../../../../../app/core/capture/win32/win32Types.ts';
import type { NativeDeclaration, TypeSpec } from '../../../../../app/core/capture/win32/win32Types.ts';
import { WEVTAPI } from '../../../../../app/core/watch/eventlog/win32/wevtapi.ts';

/**
 * The documented x64 prototypes (learn.microsoft.com, winuser.h/winbase.h/combaseapi.h/oleauto.h),
 * as Win32 type names. The test maps each name to the size and signedness it has on 64-bit Windows
 * and compares with what koffi built, so a `long` (8 bytes on Linux, 4 on Windows) or an unsigned
 * HRESULT (whose failures would never test `< 0`) shows up here.
 */
const DOCUMENTED: Record<string, string> = {
  // winevt.h: the Event Log subscription (app/core/watch/eventlog/win32).
  EvtSubscribe: 'EVT_HANDLE(EVT_HANDLE, HANDLE, LPCWSTR, LPCWSTR, EVT_HANDLE, PVOID, EVT_SUBSCRIBE_CALLBACK, DWORD)',
  EvtNext: 'BOOL(EVT_HANDLE, DWORD, PEVT_HANDLE, DWORD, DWORD, PDWORD)',
  EvtRender: 'BOOL(EVT_HANDLE, EVT_HANDLE, DWORD, DWORD, PVOID, PDWORD, PDWORD)',
  EvtClose: 'BOOL(EVT_HANDLE)',
  GetForegroundWindow: 'HWND()',
  GetWindowThreadProcessId: 'DWORD(HWND, LPDWORD)',
  GetGUIThreadInfo: 'BOOL(DWORD, PGUITHREADINFO)',
  SendMessageTimeoutW: 'LRESULT(HWND, UINT, WPARAM, LPARAM, UINT, UINT, PDWORD_PTR)',
  IsHungAppWindow: 'BOOL(HWND)',
  GetWindowLongPtrW: 'LONG_PTR(HWND, int)',
  GetClassNameW: 'int(HWND, LPWSTR, int)',
  GetDlgCtrlID: 'int(HWND)',
  GetWindowTextW: 'int(HWND, LPWSTR, int)',
  GetWindowTextLengthW: 'int(HWND)',
  GetAncestor: 'HWND(HWND, UINT)',
  EnumWindows: 'BOOL(WNDENUMPROC, LPARAM_VALUE)',
  IsWindowVisible: 'BOOL(HWND)',
  GetWindow: 'HWND(HWND, UINT)',
  GetWindowRect: 'BOOL(HWND, LPRECT)',
  GetClipboardSequenceNumber: 'DWORD()',
  OpenClipboard: 'BOOL(HWND)',
  CloseClipboard: 'BOOL()',
  EnumClipboardFormats: 'UINT(UINT)',
  GetClipboardFormatNameW: 'int(UINT, LPWSTR, int)',
  GetClipboardData: 'HANDLE(UINT)',
  GetClipboardOwner: 'HWND()',
  IsClipboardFormatAvailable: 'BOOL(UINT)',
  GlobalLock: 'LPVOID(HGLOBAL)',
  GlobalUnlock: 'BOOL(HGLOBAL)',
  GlobalSize: 'SIZE_T(HGLOBAL)',
  OpenProcess: 'HANDLE(DWORD, BOOL, DWORD)',
  QueryFullProcessImageNameW: 'BOOL(HANDLE, DWORD, LPWSTR, PDWORD)',
  CloseHandle: 'BOOL(HANDLE)',
  GetLastError: 'DWORD()',
  CoIncrementMTAUsage: 'HRESULT(CO_MTA_USAGE_COOKIE*)',
  CoCreateInstance: 'HRESULT(REFCLSID, LPUNKNOWN, DWORD, REFIID, LPVOID*)',
  SysStringLen: 'UINT(BSTR)',
  SysFreeString: 'void(BSTR)',
  CreateToolhelp32Snapshot: 'HANDLE(DWORD, DWORD)',
  Process32FirstW: 'BOOL(HANDLE, LPPROCESSENTRY32W)',
  Process32NextW: 'BOOL(HANDLE, LPPROCESSENTRY32W)',
  GetCurrentProcessId: 'DWORD()',
  ProcessIdToSessionId: 'BOOL(DWORD, DWORD*)',
  GetExitCodeProcess: 'BOOL(HANDLE, LPDWORD)',
  GetProcessTimes: 'BOOL(HANDLE, LPFILETIME, LPFILETIME, LPFILETIME, LPFILETIME)',
  K32GetProcessMemoryInfo: 'BOOL(HANDLE, PPROCESS_MEMORY_COUNTERS, DWORD)',
  WaitForMultipleObjects: 'DWORD(DWORD, HANDLE*, BOOL, DWORD)',
  CreateEventW: 'HANDLE(LPSECURITY_ATTRIBUTES, BOOL, BOOL, LPCWSTR)',
  SetEvent: 'BOOL(HANDLE)',
  RegOpenKeyExW: 'LSTATUS(HKEY, LPCWSTR, DWORD, REGSAM, PHKEY)',
  RegCloseKey: 'LSTATUS(HKEY)',
  RegEnumValueW: 'LSTATUS(HKEY, DWORD, LPWSTR, LPDWORD, LPDWORD, LPDWORD, LPBYTE, LPDWORD)',
  RegEnumKeyExW: 'LSTATUS(HKEY, DWORD, LPWSTR, LPDWORD, LPDWORD, LPWSTR, LPDWORD, PFILETIME)',
  RegGetValueW: 'LSTATUS(HKEY, LPCWSTR, LPCWSTR, DWORD, LPDWORD, PVOID, LPDWORD)',
  RegNotifyChangeKeyValue: 'LSTATUS(HKEY, BOOL, DWORD, HANDLE, BOOL)',
};

/** Kind of each Win32 type on x64: pointer, signed or unsigned integer of 4/8 bytes, or void. */
const KIND: Record<string, string> = {
  HWND: 'ptr', HANDLE: 'ptr', HGLOBAL: 'ptr', LPVOID: 'ptr', LPWSTR: 'ptr', LPDWORD: 'ptr', PDWORD: 'ptr', PDWORD_PTR: 'ptr',
  LPRECT: 'ptr', PGUITHREADINFO: 'ptr', WNDENUMPROC: 'ptr', REFCLSID: 'ptr', REFIID: 'ptr', LPUNKNOWN: 'ptr', 'LPVOID*': 'ptr',
  BSTR: 'ptr', 'CO_MTA_USAGE_COOKIE*': 'ptr',
  LPPROCESSENTRY32W: 'ptr', 'DWORD*': 'ptr', LPFILETIME: 'ptr', PFILETIME: 'ptr', PPROCESS_MEMORY_COUNTERS: 'ptr', 'HANDLE*': 'ptr',
  LPSECURITY_ATTRIBUTES: 'ptr', LPCWSTR: 'ptr', HKEY: 'ptr', PHKEY: 'ptr', LPBYTE: 'ptr', PVOID: 'ptr',
  REGSAM: 'u4', LSTATUS: 'i4',
  EVT_HANDLE: 'ptr', PEVT_HANDLE: 'ptr', EVT_SUBSCRIBE_CALLBACK: 'ptr',
  // SendMessageTimeoutW's lParam carries the WM_GETTEXT buffer, so it is declared as a pointer: same size and register.
  LPARAM: 'ptr',
  LPARAM_VALUE: 'i8',
  BOOL: 'i4', int: 'i4', HRESULT: 'i4', DWORD: 'u4', UINT: 'u4',
  LONG_PTR: 'i8', LRESULT: 'i8', WPARAM: 'u8', SIZE_T: 'u8',
  void: 'void',
};

function kindOf(spec: TypeSpec): string {
  const type = koffi.type(spec);
  switch (type.primitive) {
    case 'Pointer':
    case 'Callback':
      return 'ptr';
    case 'Int32':
      return 'i4';
    case 'UInt32':
      return 'u4';
    case 'Int64':
      return 'i8';
    case 'UInt64':
      return 'u8';
    case 'Void':
      return 'void';
    default:
      return `${type.primitive}/${type.size}`;
  }
}

function documentedKinds(prototype: string): { result: string; args: string[] } {
  const match = /^(.+?)\((.*)\)$/.exec(prototype);
  if (!match) throw new Error(prototype);
  const names = match[2] === '' ? [] : (match[2] ?? '').split(',').map((name) => name.trim());
  const kind = (name: string): string => KIND[name] ?? `unknown ${name}`;
  return { result: kind(match[1] ?? ''), args: names.map(kind) };
}

/** koffi 3.3.4 describes prototype arguments as { type, direction }, though its typings say TypeObject. */
function argumentTypes(proto: TypeObject): TypeObject[] {
  return (proto.proto?.arguments ?? []).map((argument) => (argument as unknown as { type?: TypeObject }).type ?? argument);
}

const ALL: Record<string, NativeDeclaration> = { ...USER32, ...KERNEL32, ...OLE32, ...OLEAUT32, ...ADVAPI32, ...WEVTAPI };
const is64Bit = koffi.sizeof('void *') === 8;

describe('Win32 function declarations', () => {
  it('declare exactly the documented functions', () => {
    expect(Object.keys(ALL).sort()).toEqual(Object.keys(DOCUMENTED).sort());
  });

  it('declare nothing that types, clicks, moves the focus or writes the clipboard (capture only reads)', () => {
    const writers = /^(SendInput|keybd_event|mouse_event|SetFocus|SetForegroundWindow|SetActiveWindow|PostMessage\w*|SendNotifyMessage\w*|SetWindowText\w*|SetClipboardData|EmptyClipboard|SetWindowLong\w*|AttachThreadInput|BlockInput)$/;
    expect(Object.keys(ALL).filter((name) => writers.test(name))).toEqual([]);
  });

  it.each(Object.keys(DOCUMENTED))('%s builds as a __stdcall prototype', (name) => {
    const declaration = ALL[name] as NativeDeclaration;
    const proto = koffi.proto('__stdcall', null, declaration.result, [...declaration.args]);
    expect(proto.primitive).toBe('Prototype');
    expect(proto.proto?.arguments).toHaveLength(declaration.args.length);
  });

  it.runIf(is64Bit).each(Object.keys(DOCUMENTED))('%s matches its documented x64 signature', (name) => {
    const declaration = ALL[name] as NativeDeclaration;
    expect({ result: kindOf(declaration.result), args: declaration.args.map(kindOf) }).toEqual(documentedKinds(DOCUMENTED[name] ?? ''));
  });

  it.runIf(is64Bit)('declare EnumWindowsProc as BOOL(HWND, LPARAM)', () => {
    expect(WNDENUMPROC.proto?.result.size).toBe(4);
    expect(argumentTypes(WNDENUMPROC).map((argument) => [argument.primitive, argument.size])).toEqual([['Pointer', 8], ['Int64', 8]]);
  });

  it('declare the COM method prototypes with the interface pointer first', () => {
    const shapes = Object.fromEntries(Object.entries(COM_METHOD).map(([name, proto]) => [name, argumentTypes(proto).map((argument) => argument.primitive)]));
    expect(shapes).toEqual({
      queryInterface: ['Pointer', 'Pointer', 'Pointer'],
      release: ['Pointer'],
      getter: ['Pointer', 'Pointer'],
      putDword: ['Pointer', 'UInt32'],
      getPatternAs: ['Pointer', 'Int32', 'Pointer', 'Pointer'],
      getText: ['Pointer', 'Int32', 'Pointer'],
    });
    for (const proto of Object.values(COM_METHOD)) expect(proto.proto?.result.primitive).toMatch(/^(Int32|UInt32)$/);
    expect(COM_METHOD.release.proto?.result.primitive).toBe('UInt32');
  });
});

describe.runIf(is64Bit)('struct layouts match 64-bit Windows', () => {
  const offsets = (type: typeof RECT): Record<string, number> => Object.fromEntries(Object.entries(type.members ?? {}).map(([name, member]) => [name, member.offset]));

  it('GUITHREADINFO is 72 bytes with hwndFocus at 16 and rcCaret at 56', () => {
    expect(GUITHREADINFO.size).toBe(72);
    expect(GUITHREADINFO.alignment).toBe(8);
    expect(offsets(GUITHREADINFO)).toEqual({ cbSize: 0, flags: 4, hwndActive: 8, hwndFocus: 16, hwndCapture: 24, hwndMenuOwner: 32, hwndMoveSize: 40, hwndCaret: 48, rcCaret: 56 });
  });

  it('RECT is four 32-bit LONGs, GUID is 16 bytes', () => {
    expect(RECT.size).toBe(16);
    expect(offsets(RECT)).toEqual({ left: 0, top: 4, right: 8, bottom: 12 });
    expect(GUID.size).toBe(16);
    expect(offsets(GUID)).toEqual({ Data1: 0, Data2: 4, Data3: 6, Data4: 8 });
  });

  it('PROCESSENTRY32W is 568 bytes: the heap id is pointer-sized and aligned, the exe name 260 WCHARs at 44', () => {
    expect(PROCESSENTRY32W.size).toBe(568);
    expect(offsets(PROCESSENTRY32W)).toEqual({ dwSize: 0, cntUsage: 4, th32ProcessID: 8, th32DefaultHeapID: 16, th32ModuleID: 24, cntThreads: 28, th32ParentProcessID: 32, pcPriClassBase: 36, dwFlags: 40, szExeFile: 44 });
  });

  it('PROCESS_MEMORY_COUNTERS is 72 bytes with WorkingSetSize at 16', () => {
    expect(PROCESS_MEMORY_COUNTERS.size).toBe(72);
    expect(offsets(PROCESS_MEMORY_COUNTERS).WorkingSetSize).toBe(16);
  });

  it('decodes a GUITHREADINFO laid out by hand at the documented offsets', () => {
    const raw = Buffer.alloc(72);
    raw.writeUInt32LE(72, 0);
    raw.writeUInt32LE(0x4, 4);
    raw.writeBigUInt64LE(0x1111n, 8);
    raw.writeBigUInt64LE(0x2222n, 16);
    raw.writeBigUInt64LE(0x3333n, 48);
    raw.writeInt32LE(-5, 56);
    raw.writeInt32LE(40, 68);
    const info = koffi.decode(raw, GUITHREADINFO) as Record<string, unknown>;
    expect(info).toMatchObject({ cbSize: 72, flags: 4, hwndActive: 0x1111n, hwndFocus: 0x2222n, hwndCaret: 0x3333n, hwndCapture: null, rcCaret: { left: -5, top: 0, right: 0, bottom: 40 } });
  });
});
