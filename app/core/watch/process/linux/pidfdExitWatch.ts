/**
 * ProcessExitWatch on Linux: pidfd_open(2) gives a file descriptor that becomes readable when the
 * process ends; one poll(2) on one of koffi's worker threads waits on all of them and on an eventfd
 * that wakes it when the set changes. No native build (libc through koffi). Kernels before 5.3 lack
 * pidfd_open: `createPidfdExitWatch` then returns null and the /proc poll notices exits as before.
 * The exit code of a process that is not our child cannot be had on Linux: it is reported as null,
 * and the caller's own knowledge (a child it launched) fills it in.
 */
import { closeSync, readSync, writeSync } from 'node:fs';
import koffi from 'koffi';
import { callOnWorker } from '../../../capture/win32/koffiAsync.ts';
import type { ProcessExitWatch } from '../processExits.ts';

/** The generic syscall table (x86-64 and arm64 alike). */
const SYS_PIDFD_OPEN = 434;
const POLLIN = 0x1;
const EFD_CLOEXEC = 0o2000000;
const POLLFD_BYTES = 8;

type NativeFunction = ReturnType<ReturnType<typeof koffi.load>['func']>;

interface Libc {
  syscall: NativeFunction;
  poll: NativeFunction;
  eventfd: NativeFunction;
}

let libc: Libc | null = null;
function loadLibc(): Libc {
  if (libc) return libc;
  const lib = koffi.load('libc.so.6');
  libc = {
    syscall: lib.func('long syscall(long number, ...)'),
    poll: lib.func('int poll(_Inout_ uint8_t *fds, unsigned long nfds, int timeout)'),
    eventfd: lib.func('int eventfd(unsigned int initval, int flags)'),
  };
  return libc;
}

export function createPidfdExitWatch(platform: NodeJS.Platform = process.platform, arch: string = process.arch): PidfdExitWatch | null {
  if (platform !== 'linux' || (arch !== 'x64' && arch !== 'arm64')) return null;
  try {
    const c = loadLibc();
    // Probe with our own pid: ENOSYS on an old kernel, or a sandbox that forbids it.
    const probe = Number(c.syscall(SYS_PIDFD_OPEN, 'int', process.pid, 'unsigned int', 0));
    if (probe < 0) return null;
    closeSync(probe);
    const wake = Number(c.eventfd(0, EFD_CLOEXEC));
    return wake < 0 ? null : new PidfdExitWatch(c, wake);
  } catch {
    return null;
  }
}

export class PidfdExitWatch implements ProcessExitWatch {
  readonly name = 'linux-pidfd';
  private readonly libc: Libc;
  private readonly wake: number;
  /** pid → its pidfd and what to call. */
  private readonly watched = new Map<number, { fd: number; onExit: (exitCode: number | null) => void }>();
  private loop: Promise<void> | null = null;
  /** The poll in progress: a descriptor removed from the set may be in it until it returns. */
  private inFlight: Promise<number> | null = null;
  private closed = false;

  constructor(c: Libc, wake: number) {
    this.libc = c;
    this.wake = wake;
  }

  watch(pid: number, onExit: (exitCode: number | null) => void): boolean {
    if (this.closed) return false;
    if (this.watched.has(pid)) return true;
    const fd = Number(this.libc.syscall(SYS_PIDFD_OPEN, 'int', pid, 'unsigned int', 0));
    if (fd < 0) return false;
    this.watched.set(pid, { fd, onExit });
    this.restart();
    return true;
  }

  async unwatch(pid: number): Promise<void> {
    const entry = this.watched.get(pid);
    if (!entry) return;
    this.watched.delete(pid);
    const inFlight = this.inFlight;
    this.restart();
    await inFlight;
    closeSync(entry.fd);
  }

  async close(): Promise<void> {
    this.closed = true;
    const fds = [...this.watched.values()].map((w) => w.fd);
    this.watched.clear();
    this.signalWake();
    await this.loop;
    for (const fd of fds) closeSync(fd);
    closeSync(this.wake);
  }

  private signalWake(): void {
    const one = Buffer.alloc(8);
    one.writeBigUInt64LE(1n);
    writeSync(this.wake, one);
  }

  private restart(): void {
    if (this.loop) this.signalWake();
    else this.loop = this.run().finally(() => (this.loop = null));
  }

  private async run(): Promise<void> {
    while (!this.closed && this.watched.size > 0) {
      const entries = [...this.watched.entries()];
      const fds = [this.wake, ...entries.map(([, w]) => w.fd)];
      const pollfds = Buffer.alloc(POLLFD_BYTES * fds.length);
      fds.forEach((fd, i) => {
        pollfds.writeInt32LE(fd, i * POLLFD_BYTES);
        pollfds.writeInt16LE(POLLIN, i * POLLFD_BYTES + 4);
      });
      this.inFlight = callOnWorker(this.libc.poll, [pollfds, fds.length, -1], (r) => Number(r));
      const ready = await this.inFlight.finally(() => (this.inFlight = null));
      if (ready < 0) continue; // EINTR
      if (pollfds.readInt16LE(6) !== 0) readSync(this.wake, Buffer.alloc(8)); // reset the eventfd counter
      entries.forEach(([pid, w], i) => {
        if (pollfds.readInt16LE((i + 1) * POLLFD_BYTES + 6) === 0 || this.watched.get(pid) !== w) return;
        this.watched.delete(pid);
        closeSync(w.fd);
        w.onExit(null);
      });
    }
  }
}
