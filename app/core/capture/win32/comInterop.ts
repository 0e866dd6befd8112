/**
 * Calling COM interfaces from JS: an interface pointer points at a vtable pointer, the vtable is an
 * array of function pointers, and every method takes the interface pointer first. Calls go through
 * koffi's `.async` because UI Automation methods are cross-process calls into the client.
 */
import koffi from 'koffi';
import type { TypeObject } from 'koffi';
import { callOnWorker } from './koffiAsync.ts';
import type { NativeFunction } from './loadWin32Api.ts';
import { readPointerOut } from './nativeValues.ts';
import { IUNKNOWN_SLOT } from './uiaVtable.ts';
import { boundedUtf16 } from './utf16.ts';
import type { BoundedText } from './utf16.ts';
import { COM_METHOD, PTR } from './win32Types.ts';

const POINTER_SIZE = koffi.sizeof(PTR);

export class ComError extends Error {
  readonly hresult: number;

  constructor(method: string, hresult: number) {
    super(`${method} failed (HRESULT 0x${(hresult >>> 0).toString(16).toUpperCase().padStart(8, '0')})`);
    this.name = 'ComError';
    this.hresult = hresult;
  }
}

/** Decoded methods by prototype then address: all instances of a class share one vtable, so they repeat. */
const decodedMethods = new Map<TypeObject, Map<bigint, NativeFunction>>();

export function comMethod(iface: bigint, slot: number, proto: TypeObject): NativeFunction {
  const vtable = koffi.decode(iface, PTR) as bigint | null;
  if (!vtable) throw new Error('COM interface pointer has no vtable');
  const address = koffi.decode(vtable, slot * POINTER_SIZE, PTR) as bigint | null;
  if (!address) throw new Error(`COM vtable slot ${slot} is empty`);
  let byAddress = decodedMethods.get(proto);
  if (!byAddress) {
    byAddress = new Map();
    decodedMethods.set(proto, byAddress);
  }
  let method = byAddress.get(address);
  if (!method) {
    method = koffi.decode(address, proto) as NativeFunction;
    byAddress.set(address, method);
  }
  return method;
}

/** The method's raw return value (an HRESULT for all but Release). */
export function callComMethod(iface: bigint, slot: number, proto: TypeObject, ...args: unknown[]): Promise<number> {
  return callOnWorker(comMethod(iface, slot, proto), [iface, ...args], (result) => Number(result));
}

/** A getter returning an interface or BSTR pointer; null when the callee set it to NULL. */
export async function getPointer(iface: bigint, slot: number, method: string): Promise<bigint | null> {
  const out = Buffer.alloc(8);
  const hresult = await callComMethod(iface, slot, COM_METHOD.getter, out);
  if (hresult < 0) throw new ComError(method, hresult);
  return readPointerOut(out);
}

/** A getter returning an int, BOOL or enum. */
export async function getInt32(iface: bigint, slot: number, method: string): Promise<number> {
  const out = Buffer.alloc(8);
  const hresult = await callComMethod(iface, slot, COM_METHOD.getter, out);
  if (hresult < 0) throw new ComError(method, hresult);
  return out.readInt32LE(0);
}

export function release(iface: bigint): Promise<number> {
  return callComMethod(iface, IUNKNOWN_SLOT.Release, COM_METHOD.release);
}

/** SysStringLen and SysFreeString, from oleaut32 on Windows. */
export interface BstrFunctions {
  length(bstr: bigint): number;
  free(bstr: bigint): void;
}

/** A BSTR's text, at most maxChars. BSTRs carry their length, so an embedded NUL does not end them. */
export function readBstr(bstr: bigint, strings: BstrFunctions, maxChars: number): BoundedText {
  const length = strings.length(bstr);
  const count = Math.min(length, Math.max(0, Math.floor(maxChars)) + 1);
  if (count === 0) return { text: '', truncated: false };
  return boundedUtf16(koffi.decode(bstr, koffi.types.uint16_t, count) as Uint16Array, maxChars);
}

/**
 * Everything one read obtained and must give back: interfaces to Release, BSTRs to free. Closing
 * always runs (finally), so a failed read leaks nothing into the client's provider.
 */
export class ComScope {
  private readonly strings: BstrFunctions;
  private readonly interfaces: bigint[] = [];
  private readonly bstrs: bigint[] = [];

  constructor(strings: BstrFunctions) {
    this.strings = strings;
  }

  adopt(iface: bigint | null): bigint | null {
    if (iface !== null) this.interfaces.push(iface);
    return iface;
  }

  adoptString(bstr: bigint | null): bigint | null {
    if (bstr !== null) this.bstrs.push(bstr);
    return bstr;
  }

  async close(): Promise<void> {
    for (const bstr of this.bstrs.splice(0)) this.strings.free(bstr);
    for (const iface of this.interfaces.splice(0).reverse()) {
      await release(iface).catch(() => undefined);
    }
  }
}
