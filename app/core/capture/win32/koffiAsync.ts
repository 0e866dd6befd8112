import type { NativeFunction } from './loadWin32Api.ts';

/**
 * Runs a native call through koffi's `.async`, on a libuv worker thread, so a call that waits on
 * another process never blocks the event loop. `settle` runs inside koffi's completion callback: the
 * only moment GetLastError still answers for the worker's call.
 */
export function callOnWorker<T>(fn: NativeFunction, args: readonly unknown[], settle: (result: unknown) => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    fn.async(...args, (error: unknown, result: unknown) => {
      if (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      try {
        resolve(settle(result));
      } catch (settleError) {
        reject(settleError instanceof Error ? settleError : new Error(String(settleError)));
      }
    });
  });
}
