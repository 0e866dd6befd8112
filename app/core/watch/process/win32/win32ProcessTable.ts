/**
 * ProcessTable on Windows through koffi: Toolhelp for the list (no process spawned: Wine's and some
 * locked-down PCs' tasklist print nothing), ProcessIdToSessionId for the session, and per process
 * GetProcessTimes (start time tells a reused pid apart; CPU time) and GetProcessMemoryInfo (working
 * set, for the 32-bit ceiling warning). A process we may not open (another user's, elevated) is
 * listed without details only if it is in our session, which it then cannot be for long.
 */
import koffi from 'koffi';
import type { Win32Api } from '../../../capture/win32/loadWin32Api.ts';
import { asHandle } from '../../../capture/win32/nativeValues.ts';
import { utf16ToString, untilNul } from '../../../capture/win32/utf16.ts';
import { PROCESS_QUERY_LIMITED_INFORMATION } from '../../../capture/win32/win32Constants.ts';
import { PROCESS_MEMORY_COUNTERS, PROCESSENTRY32W } from '../../../capture/win32/win32Types.ts';
import { filetimeToMs } from '../../wer/filetime.ts';
import type { ProcessTable } from '../processTable.ts';

const TH32CS_SNAPPROCESS = 0x2;
const INVALID_HANDLE_VALUE = 0xffffffffffffffffn;
const FILETIME_TICKS_PER_MS = 10_000n;

/** MAX_PATH: szExeFile's length. */
const EXE_NAME_CHARS = 260;

export class Win32ProcessTable implements ProcessTable {
  private readonly api: Win32Api;
  private readonly entry = Buffer.alloc(PROCESSENTRY32W.size);

  constructor(api: Win32Api) {
    this.api = api;
  }

  currentSession(): number | null {
    return this.sessionOf(Number(this.api.kernel32.GetCurrentProcessId()));
  }

  processes(): Array<{ pid: number; exeName: string }> {
    const { kernel32 } = this.api;
    const snapshot = asHandle(kernel32.CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0));
    if (snapshot === null || snapshot === INVALID_HANDLE_VALUE) throw new Error(`CreateToolhelp32Snapshot failed (Windows error ${Number(kernel32.GetLastError())})`);
    const found: Array<{ pid: number; exeName: string }> = [];
    try {
      this.entry.fill(0);
      this.entry.writeUInt32LE(PROCESSENTRY32W.size, 0);
      // Read straight from the buffer at the struct's offsets: decoding the whole entry (a 260-WCHAR
      // array into a JS array) per process per poll is most of a listing's cost.
      const pidAt = PROCESSENTRY32W.members!.th32ProcessID!.offset;
      const nameAt = PROCESSENTRY32W.members!.szExeFile!.offset;
      const name = new Uint16Array(this.entry.buffer, this.entry.byteOffset + nameAt, EXE_NAME_CHARS);
      for (let more = Number(kernel32.Process32FirstW(snapshot, this.entry)) !== 0; more; more = Number(kernel32.Process32NextW(snapshot, this.entry)) !== 0) {
        found.push({ pid: this.entry.readUInt32LE(pidAt), exeName: utf16ToString(untilNul(name)) });
      }
    } finally {
      kernel32.CloseHandle(snapshot);
    }
    return found;
  }

  sessionOf(pid: number): number | null {
    const session = new Uint32Array(1);
    return Number(this.api.kernel32.ProcessIdToSessionId(pid, session)) !== 0 ? (session[0] ?? null) : null;
  }

  details(pid: number): { startedAt: number | null; cpuMs: number | null; rssBytes: number | null } | null {
    const { kernel32 } = this.api;
    const handle = asHandle(kernel32.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, 0, pid));
    if (handle === null) return null;
    try {
      const [creation, exit, kernel, user] = [Buffer.alloc(8), Buffer.alloc(8), Buffer.alloc(8), Buffer.alloc(8)];
      const timed = Number(kernel32.GetProcessTimes(handle, creation, exit, kernel, user)) !== 0;
      const counters = Buffer.alloc(PROCESS_MEMORY_COUNTERS.size);
      counters.writeUInt32LE(PROCESS_MEMORY_COUNTERS.size, 0);
      const measured = Number(kernel32.K32GetProcessMemoryInfo(handle, counters, PROCESS_MEMORY_COUNTERS.size)) !== 0;
      const memory = measured ? (koffi.decode(counters, PROCESS_MEMORY_COUNTERS) as { WorkingSetSize: number | bigint }) : null;
      return {
        startedAt: timed ? filetimeToMs(creation.readBigUInt64LE(0)) : null,
        cpuMs: timed ? Number((kernel.readBigUInt64LE(0) + user.readBigUInt64LE(0)) / FILETIME_TICKS_PER_MS) : null,
        rssBytes: memory ? Number(memory.WorkingSetSize) : null,
      };
    } finally {
      kernel32.CloseHandle(handle);
    }
  }
}
