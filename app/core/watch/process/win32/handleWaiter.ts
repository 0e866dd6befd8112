/**
 * Waits on Win32 handles (processes, registry-change events) so that what they signal arrives as an
 * event, not as something a poll finds later. One WaitForMultipleObjects on one of koffi's worker
 * threads covers every handle; an auto-reset "wake" event interrupts it whenever the set changes.
 * So a watcher of one client and the policy keys holds one libuv pool thread, whatever it waits on.
 */
import { callOnWorker } from '../../../capture/win32/koffiAsync.ts';
import type { Win32Api } from '../../../capture/win32/loadWin32Api.ts';
import { asHandle } from '../../../capture/win32/nativeValues.ts';

const INFINITE = 0xffffffff;
const WAIT_OBJECT_0 = 0;
const WAIT_ABANDONED_0 = 0x80;
const WAIT_FAILED = 0xffffffff;
/** MAXIMUM_WAIT_OBJECTS, one of which is the wake event. */
export const MAX_WAITED_HANDLES = 63;

export class HandleWaiter {
  private readonly api: Win32Api;
  private readonly wake: bigint;
  private readonly waits = new Map<bigint, () => void>();
  private loop: Promise<void> | null = null;
  /** The wait in progress: a handle removed from the set may be in it until it returns. */
  private inFlight: Promise<number> | null = null;
  private closed = false;
  private readonly onError: (message: string) => void;

  constructor(api: Win32Api, onError: (message: string) => void = () => undefined) {
    this.api = api;
    this.onError = onError;
    const wake = asHandle(api.kernel32.CreateEventW(null, 0, 0, null));
    if (wake === null) throw new Error(`CreateEventW failed (Windows error ${Number(api.kernel32.GetLastError())})`);
    this.wake = wake;
  }

  /** Calls `onSignalled` once, on the event loop, when the handle is signalled. False when the set is full. */
  add(handle: bigint, onSignalled: () => void): boolean {
    if (this.closed || (this.waits.size >= MAX_WAITED_HANDLES && !this.waits.has(handle))) return false;
    this.waits.set(handle, onSignalled);
    this.restart();
    return true;
  }

  /**
   * Stops waiting on the handle. Resolves once no wait uses it any more: only then may the caller
   * close it (closing a handle a wait is using is undefined behaviour).
   */
  async remove(handle: bigint): Promise<void> {
    if (!this.waits.delete(handle)) return;
    const inFlight = this.inFlight;
    this.restart();
    await inFlight;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.waits.clear();
    this.api.kernel32.SetEvent(this.wake);
    await this.loop;
    this.api.kernel32.CloseHandle(this.wake);
  }

  private restart(): void {
    if (this.loop) this.api.kernel32.SetEvent(this.wake);
    else this.loop = this.run().finally(() => (this.loop = null));
  }

  private async run(): Promise<void> {
    while (!this.closed && this.waits.size > 0) {
      const handles = [this.wake, ...this.waits.keys()];
      const array = Buffer.alloc(8 * handles.length);
      handles.forEach((h, i) => array.writeBigUInt64LE(h, i * 8));
      this.inFlight = callOnWorker(this.api.kernel32.WaitForMultipleObjects, [handles.length, array, 0, INFINITE], (r) => Number(r) >>> 0);
      const result = await this.inFlight.finally(() => (this.inFlight = null));
      if (result === WAIT_FAILED) {
        // One of the handles went bad under us: report once and give every waiter its answer.
        this.onError(`WaitForMultipleObjects failed (Windows error ${Number(this.api.kernel32.GetLastError())})`);
        const pending = [...this.waits.values()];
        this.waits.clear();
        for (const callback of pending) callback();
        return;
      }
      const index = result >= WAIT_ABANDONED_0 ? result - WAIT_ABANDONED_0 : result - WAIT_OBJECT_0;
      if (index <= 0 || index >= handles.length) continue; // the wake event: the set changed
      const handle = handles[index]!;
      const callback = this.waits.get(handle);
      this.waits.delete(handle);
      callback?.();
    }
  }
}
