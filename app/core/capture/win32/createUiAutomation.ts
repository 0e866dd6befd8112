/**
 * Creates the process's UI Automation client object, configured so that it cannot hang on the client
 * or move its focus. Runs on Windows only (it calls ole32).
 */
import { ComError, callComMethod } from './comInterop.ts';
import type { BstrFunctions } from './comInterop.ts';
import { guidBytes } from './comGuid.ts';
import { callOnWorker } from './koffiAsync.ts';
import type { Win32Api } from './loadWin32Api.ts';
import { readPointerOut } from './nativeValues.ts';
import { CLSID_CUIAutomation, CLSID_CUIAutomation8, IID_IUIAutomation, IID_IUIAutomation2, IUIAUTOMATION2_SLOT } from './uiaVtable.ts';
import { CLSCTX_INPROC_SERVER } from './win32Constants.ts';
import { COM_METHOD } from './win32Types.ts';

/** Both IUIAutomation2 timeouts: how long one UI Automation call may wait on the client's provider. */
export const UIA_TIMEOUT_MS = 200;

let mtaCookie: Buffer | null = null;

/**
 * koffi runs `.async` calls on libuv worker threads, which never initialise COM. While the process
 * holds an MTA usage count, such threads belong to the multithreaded apartment implicitly, so the UI
 * Automation object (ThreadingModel Both) can be created and called from any of them. The count is
 * held for the life of the process: releasing it under a pending call would strand that call.
 */
function holdMultithreadedApartment(api: Win32Api): void {
  if (mtaCookie) return;
  const cookie = Buffer.alloc(8);
  const hresult = Number(api.ole32.CoIncrementMTAUsage(cookie));
  if (hresult < 0) throw new ComError('CoIncrementMTAUsage', hresult);
  mtaCookie = cookie;
}

async function createInstance(api: Win32Api, clsid: string, iid: string): Promise<{ hresult: number; iface: bigint | null }> {
  const out = Buffer.alloc(8);
  const hresult = await callOnWorker(api.ole32.CoCreateInstance, [guidBytes(clsid), null, CLSCTX_INPROC_SERVER, guidBytes(iid), out], (result) => Number(result));
  return { hresult, iface: hresult < 0 ? null : readPointerOut(out) };
}

/**
 * Best effort: a refused setting leaves Windows' default, and the text source's own deadline still
 * bounds the wait. AutoSetFocus only affects pattern actions, which this module never calls.
 */
async function put(automation: bigint, slot: number, value: number): Promise<void> {
  await callComMethod(automation, slot, COM_METHOD.putDword, value).catch(() => undefined);
}

export async function createUiAutomation(api: Win32Api): Promise<bigint> {
  holdMultithreadedApartment(api);
  const modern = await createInstance(api, CLSID_CUIAutomation8, IID_IUIAutomation2);
  if (modern.iface !== null) {
    // IUIAutomation2 extends IUIAutomation, so this pointer serves both.
    await put(modern.iface, IUIAUTOMATION2_SLOT.put_AutoSetFocus, 0);
    await put(modern.iface, IUIAUTOMATION2_SLOT.put_ConnectionTimeout, UIA_TIMEOUT_MS);
    await put(modern.iface, IUIAUTOMATION2_SLOT.put_TransactionTimeout, UIA_TIMEOUT_MS);
    return modern.iface;
  }
  // Without IUIAutomation2 the calls keep Windows' default timeouts; they still wait on a worker
  // thread, and the text source stops waiting for them after its own deadline.
  const legacy = await createInstance(api, CLSID_CUIAutomation, IID_IUIAutomation);
  if (legacy.iface === null) throw new ComError('CoCreateInstance(CUIAutomation)', legacy.hresult);
  return legacy.iface;
}

export function oleautBstrFunctions(api: Win32Api): BstrFunctions {
  return {
    length: (bstr) => Number(api.oleaut32.SysStringLen(bstr)),
    free: (bstr) => {
      api.oleaut32.SysFreeString(bstr);
    },
  };
}
