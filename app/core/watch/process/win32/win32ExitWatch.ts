/**
 * ProcessExitWatch on Windows: OpenProcess(SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION) and a
 * wait on the handle (HandleWaiter), then GetExitCodeProcess tells a crash (0xC0000005…) from a
 * clean 0. The handle is held while we watch, so the pid cannot be reused under us.
 */
import type { Win32Api } from '../../../capture/win32/loadWin32Api.ts';
import { asHandle } from '../../../capture/win32/nativeValues.ts';
import { PROCESS_QUERY_LIMITED_INFORMATION } from '../../../capture/win32/win32Constants.ts';
import type { ProcessExitWatch } from '../processExits.ts';
import type { HandleWaiter } from './handleWaiter.ts';

const SYNCHRONIZE = 0x00100000;
const STILL_ACTIVE = 259;

export class Win32ExitWatch implements ProcessExitWatch {
  readonly name = 'win32-handle-wait';
  private readonly api: Win32Api;
  private readonly waiter: HandleWaiter;
  private readonly handles = new Map<number, bigint>();

  constructor(api: Win32Api, waiter: HandleWaiter) {
    this.api = api;
    this.waiter = waiter;
  }

  watch(pid: number, onExit: (exitCode: number | null) => void): boolean {
    if (this.handles.has(pid)) return true;
    const { kernel32 } = this.api;
    const handle = asHandle(kernel32.OpenProcess(SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION, 0, pid));
    if (handle === null) return false;
    const added = this.waiter.add(handle, () => {
      this.handles.delete(pid);
      const code = new Uint32Array(1);
      const known = Number(kernel32.GetExitCodeProcess(handle, code)) !== 0;
      kernel32.CloseHandle(handle);
      // Still running (the wait failed rather than the process ending): leave it to the poll.
      if (known && code[0] === STILL_ACTIVE) return;
      onExit(known ? (code[0] ?? null) : null);
    });
    if (!added) {
      kernel32.CloseHandle(handle);
      return false;
    }
    this.handles.set(pid, handle);
    return true;
  }

  async unwatch(pid: number): Promise<void> {
    const handle = this.handles.get(pid);
    if (handle === undefined) return;
    this.handles.delete(pid);
    await this.waiter.remove(handle);
    this.api.kernel32.CloseHandle(handle);
  }

  async close(): Promise<void> {
    for (const pid of [...this.handles.keys()]) await this.unwatch(pid);
    await this.waiter.close();
  }
}
