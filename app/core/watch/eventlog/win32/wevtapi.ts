/**
 * koffi bindings of the Windows Event Log API (wevtapi.dll) that the subscription uses. Loaded on
 * first use, apart from the kernel32/user32 set: a PC whose wevtapi cannot be loaded still has
 * process watching and capture, and the Event Log falls back to wevtutil.
 */
import { bindLibrary, type Bound } from '../../../capture/win32/loadWin32Api.ts';
import { BOOL, declare, DWORD, HANDLE, PDWORD, PTR, type NativeDeclaration } from '../../../capture/win32/win32Types.ts';

/** winevt.h. Strings go in as NUL-terminated UTF-16LE Buffers (PTR); EVT_HANDLEs are handles. */
export const WEVTAPI = {
  /** (Session, SignalEvent, ChannelPath, Query, Bookmark, Context, Callback, Flags) → subscription or NULL. */
  EvtSubscribe: declare(HANDLE, HANDLE, HANDLE, PTR, PTR, HANDLE, PTR, PTR, DWORD),
  /** (ResultSet, EventsSize, Events: EVT_HANDLE[], Timeout ms, Flags, Returned). */
  EvtNext: declare(BOOL, HANDLE, DWORD, PTR, DWORD, DWORD, PDWORD),
  /** (Context, Fragment, Flags, BufferSize bytes, Buffer, BufferUsed bytes, PropertyCount). */
  EvtRender: declare(BOOL, HANDLE, HANDLE, DWORD, DWORD, PTR, PDWORD, PDWORD),
  EvtClose: declare(BOOL, HANDLE),
} as const satisfies Record<string, NativeDeclaration>;

export type Wevtapi = Bound<typeof WEVTAPI>;

/** EVT_SUBSCRIBE_FLAGS: deliver what already matches (from `since`, by the query), then what arrives. */
export const EVT_SUBSCRIBE_START_AT_OLDEST_RECORD = 2;
/** EVT_RENDER_FLAGS: the event as its XML. */
export const EVT_RENDER_EVENT_XML = 1;
export const ERROR_INSUFFICIENT_BUFFER = 122;
export const ERROR_NO_MORE_ITEMS = 259;
export const ERROR_TIMEOUT = 1460;

let bound: Wevtapi | null = null;

/** Throws (naming the DLL) when wevtapi.dll cannot be loaded. */
export function loadWevtapi(): Wevtapi {
  bound ??= bindLibrary('wevtapi.dll', WEVTAPI);
  return bound;
}
