/**
 * koffi declarations of the Win32 types and functions the capture sources call. Only declarations:
 * building them loads no DLL, so this module loads on Linux too and the layouts can be tested there.
 *
 * Two rules keep the layouts those of 64-bit Windows whatever the host:
 *  - fixed-width integers only: koffi's `long` and `wchar_t` are 8 and 4 bytes on Linux but 4 and 2 on
 *    Windows, so LONG is int32_t and WCHAR uint16_t here;
 *  - anonymous types only: koffi keeps named types in one process-wide registry and refuses a second
 *    `HWND`, which would break the second load of this module (tests, or two bundles in one process).
 */
import koffi from 'koffi';
import type { TypeObject } from 'koffi';

/** What koffi accepts wherever it expects a type. */
export type TypeSpec = Parameters<typeof koffi.out>[0];

const opaque = koffi.opaque();

/** Every handle is a pointer to something we never look inside; koffi gives them to JS as bigint, or null for NULL. */
export const HANDLE = koffi.pointer(opaque);
export const HWND = HANDLE;
export const HGLOBAL = HANDLE;
/** Untyped pointer: BSTR, COM interface pointers, the buffers we pass. */
export const PTR = koffi.pointer(koffi.types.void);

export const BOOL = koffi.types.int32_t;
export const INT = koffi.types.int32_t;
export const UINT = koffi.types.uint32_t;
export const DWORD = koffi.types.uint32_t;
export const LONG = koffi.types.int32_t;
export const HRESULT = koffi.types.int32_t;
export const ULONG = koffi.types.uint32_t;
export const WPARAM = koffi.types.uintptr_t;
export const LONG_PTR = koffi.types.intptr_t;
export const LRESULT = koffi.types.intptr_t;
export const SIZE_T = koffi.types.size_t;
export const WCHAR = koffi.types.uint16_t;

/** Out and in/out parameters: we pass typed arrays or Buffers, which koffi hands over without copying. */
export const PDWORD = koffi.pointer(DWORD);
export const PWSTR = koffi.pointer(WCHAR);
export const PDWORD_PTR = koffi.pointer(koffi.types.uintptr_t);

export const RECT = koffi.struct({ left: LONG, top: LONG, right: LONG, bottom: LONG });

/** winuser.h; 72 bytes on x64. */
export const GUITHREADINFO = koffi.struct({
  cbSize: DWORD,
  flags: DWORD,
  hwndActive: HWND,
  hwndFocus: HWND,
  hwndCapture: HWND,
  hwndMenuOwner: HWND,
  hwndMoveSize: HWND,
  hwndCaret: HWND,
  rcCaret: RECT,
});

/** guiddef.h. We pass GUIDs as 16-byte buffers (see comGuid.ts); this struct is what the tests check them against. */
export const GUID = koffi.struct({ Data1: DWORD, Data2: koffi.types.uint16_t, Data3: koffi.types.uint16_t, Data4: koffi.array(koffi.types.uint8_t, 8, 'Array') });

/** tlhelp32.h; 568 bytes on x64 (th32DefaultHeapID is a ULONG_PTR, so 4 bytes of padding precede it). */
export const PROCESSENTRY32W = koffi.struct({
  dwSize: DWORD,
  cntUsage: DWORD,
  th32ProcessID: DWORD,
  th32DefaultHeapID: koffi.types.uintptr_t,
  th32ModuleID: DWORD,
  cntThreads: DWORD,
  th32ParentProcessID: DWORD,
  pcPriClassBase: LONG,
  dwFlags: DWORD,
  szExeFile: koffi.array(WCHAR, 260, 'Array'),
});

/** psapi.h; 72 bytes on x64. WorkingSetSize is what Task Manager calls memory, and what nears a 32-bit client's ceiling. */
export const PROCESS_MEMORY_COUNTERS = koffi.struct({
  cb: DWORD,
  PageFaultCount: DWORD,
  PeakWorkingSetSize: SIZE_T,
  WorkingSetSize: SIZE_T,
  QuotaPeakPagedPoolUsage: SIZE_T,
  QuotaPagedPoolUsage: SIZE_T,
  QuotaPeakNonPagedPoolUsage: SIZE_T,
  QuotaNonPagedPoolUsage: SIZE_T,
  PagefileUsage: SIZE_T,
  PeakPagefileUsage: SIZE_T,
});

/** BOOL CALLBACK EnumWindowsProc(HWND, LPARAM). */
export const WNDENUMPROC = koffi.proto('__stdcall', null, BOOL, [HWND, LONG_PTR]);

export interface NativeDeclaration {
  readonly result: TypeSpec;
  readonly args: readonly TypeSpec[];
}

export const declare = (result: TypeSpec, ...args: TypeSpec[]): NativeDeclaration => ({ result, args });

/**
 * user32 functions, by their exported names. Two of them can wait on another process:
 * SendMessageTimeoutW, only ever called through koffi's `.async` (on a worker thread) so a hung client
 * cannot stall the event loop, and GetClipboardData, which makes a delayed-rendering owner render (the
 * clipboard source checks first that the owner answers). GetWindowTextW reads a foreign window's
 * stored caption without messaging it; GetWindowTextLengthW is declared but titles are read into a
 * fixed buffer instead, which needs one call fewer.
 */
export const USER32 = {
  GetForegroundWindow: declare(HWND),
  GetWindowThreadProcessId: declare(DWORD, HWND, PDWORD),
  GetGUIThreadInfo: declare(BOOL, DWORD, koffi.pointer(GUITHREADINFO)),
  SendMessageTimeoutW: declare(LRESULT, HWND, UINT, WPARAM, PTR, UINT, UINT, PDWORD_PTR),
  IsHungAppWindow: declare(BOOL, HWND),
  GetWindowLongPtrW: declare(LONG_PTR, HWND, INT),
  GetClassNameW: declare(INT, HWND, PWSTR, INT),
  GetDlgCtrlID: declare(INT, HWND),
  GetWindowTextW: declare(INT, HWND, PWSTR, INT),
  GetWindowTextLengthW: declare(INT, HWND),
  GetAncestor: declare(HWND, HWND, UINT),
  EnumWindows: declare(BOOL, koffi.pointer(WNDENUMPROC), LONG_PTR),
  IsWindowVisible: declare(BOOL, HWND),
  GetWindow: declare(HWND, HWND, UINT),
  GetWindowRect: declare(BOOL, HWND, koffi.pointer(RECT)),
  GetClipboardSequenceNumber: declare(DWORD),
  OpenClipboard: declare(BOOL, HWND),
  CloseClipboard: declare(BOOL),
  EnumClipboardFormats: declare(UINT, UINT),
  GetClipboardFormatNameW: declare(INT, UINT, PWSTR, INT),
  GetClipboardData: declare(HANDLE, UINT),
  GetClipboardOwner: declare(HWND),
  IsClipboardFormatAvailable: declare(BOOL, UINT),
} as const satisfies Record<string, NativeDeclaration>;

export const KERNEL32 = {
  GlobalLock: declare(PTR, HGLOBAL),
  GlobalUnlock: declare(BOOL, HGLOBAL),
  GlobalSize: declare(SIZE_T, HGLOBAL),
  OpenProcess: declare(HANDLE, DWORD, BOOL, DWORD),
  QueryFullProcessImageNameW: declare(BOOL, HANDLE, DWORD, PWSTR, PDWORD),
  CloseHandle: declare(BOOL, HANDLE),
  GetLastError: declare(DWORD),
  // Process watching (app/core/watch/process): enumerate, tell sessions apart, wait for the exit.
  CreateToolhelp32Snapshot: declare(HANDLE, DWORD, DWORD),
  Process32FirstW: declare(BOOL, HANDLE, koffi.pointer(PROCESSENTRY32W)),
  Process32NextW: declare(BOOL, HANDLE, koffi.pointer(PROCESSENTRY32W)),
  GetCurrentProcessId: declare(DWORD),
  ProcessIdToSessionId: declare(BOOL, DWORD, PDWORD),
  GetExitCodeProcess: declare(BOOL, HANDLE, PDWORD),
  /** Creation, exit, kernel and user times as FILETIMEs: we pass four 8-byte buffers. */
  GetProcessTimes: declare(BOOL, HANDLE, PTR, PTR, PTR, PTR),
  /** psapi's GetProcessMemoryInfo, exported by kernel32 under this name since Windows 7. */
  K32GetProcessMemoryInfo: declare(BOOL, HANDLE, koffi.pointer(PROCESS_MEMORY_COUNTERS), DWORD),
  /** Only ever called through koffi's `.async`: it waits, on a worker thread, for a process to end or a key to change. */
  WaitForMultipleObjects: declare(DWORD, DWORD, PTR, BOOL, DWORD),
  CreateEventW: declare(HANDLE, PTR, BOOL, BOOL, PTR),
  SetEvent: declare(BOOL, HANDLE),
} as const satisfies Record<string, NativeDeclaration>;

/** The registry, read-only: machine and user policy (app/core/config/registryPolicy.ts). HKEYs are handles. */
export const ADVAPI32 = {
  RegOpenKeyExW: declare(LONG, HANDLE, PWSTR, DWORD, DWORD, koffi.pointer(HANDLE)),
  RegCloseKey: declare(LONG, HANDLE),
  /** RegEnumValueW(hKey, index, name, &nameChars, reserved, &type, data, &dataBytes). */
  RegEnumValueW: declare(LONG, HANDLE, DWORD, PWSTR, PDWORD, PDWORD, PDWORD, PTR, PDWORD),
  /** RegEnumKeyExW(hKey, index, name, &nameChars, reserved, class, &classChars, &lastWrite). */
  RegEnumKeyExW: declare(LONG, HANDLE, DWORD, PWSTR, PDWORD, PDWORD, PWSTR, PDWORD, PTR),
  RegGetValueW: declare(LONG, HANDLE, PWSTR, PWSTR, DWORD, PDWORD, PTR, PDWORD),
  RegNotifyChangeKeyValue: declare(LONG, HANDLE, BOOL, DWORD, HANDLE, BOOL),
} as const satisfies Record<string, NativeDeclaration>;

/**
 * COM entry points. CoIncrementMTAUsage rather than CoInitializeEx: the UI Automation calls run on
 * koffi's worker threads, which never initialise COM; keeping the multithreaded apartment alive puts
 * them in it implicitly, without changing the apartment of any thread (Electron's main thread is STA).
 */
export const OLE32 = {
  CoIncrementMTAUsage: declare(HRESULT, koffi.pointer(PTR)),
  CoCreateInstance: declare(HRESULT, PTR, PTR, DWORD, PTR, koffi.pointer(PTR)),
} as const satisfies Record<string, NativeDeclaration>;

/** BSTRs come back from the UI Automation getters; the caller frees them. */
export const OLEAUT32 = {
  SysStringLen: declare(UINT, PTR),
  SysFreeString: declare(koffi.types.void, PTR),
} as const satisfies Record<string, NativeDeclaration>;

/**
 * Prototypes of the COM methods we call through vtables. The first argument is always the interface
 * pointer itself; out parameters are 8-byte buffers we read back.
 */
export const COM_METHOD = {
  /** HRESULT QueryInterface(REFIID, void **) */
  queryInterface: koffi.proto('__stdcall', null, HRESULT, [PTR, PTR, PTR]),
  /** ULONG Release() */
  release: koffi.proto('__stdcall', null, ULONG, [PTR]),
  /** HRESULT get_X(T *out): any getter with a single out parameter (BOOL, int, BSTR, interface). */
  getter: koffi.proto('__stdcall', null, HRESULT, [PTR, PTR]),
  /** HRESULT put_X(DWORD): IUIAutomation2 timeouts, and put_AutoSetFocus (BOOL is a DWORD-sized int). */
  putDword: koffi.proto('__stdcall', null, HRESULT, [PTR, DWORD]),
  /** HRESULT GetCurrentPatternAs(PATTERNID, REFIID, void **) */
  getPatternAs: koffi.proto('__stdcall', null, HRESULT, [PTR, INT, PTR, PTR]),
  /** HRESULT GetText(int maxLength, BSTR *) */
  getText: koffi.proto('__stdcall', null, HRESULT, [PTR, INT, PTR]),
} as const satisfies Record<string, TypeObject>;
