/**
 * Process exit as an event: the OS tells us the moment a watched client ends (Windows: a wait on the
 * process handle; Linux: a pidfd), instead of the next poll finding it gone.
 */
export interface ProcessExitWatch {
  readonly name: string;
  /**
   * Calls onExit once when the process ends, with its exit code where the OS tells it (Windows
   * always; Linux only for a child of ours, so null there). False when this process cannot be
   * watched (gone already, access denied, no pidfd): the poll then notices the exit instead.
   */
  watch(pid: number, onExit: (exitCode: number | null) => void): boolean;
  unwatch(pid: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * NTSTATUS codes a process ends with when an exception killed it (the severity bits 0xC…, and
 * 0xE0434352, the CLR's "unhandled .NET exception"), named for the evidence line. A clean close is 0;
 * a small number is the program's own choice; these are crashes whatever the program meant.
 */
const EXCEPTION_NAMES: Record<number, string> = {
  0xc0000005: 'access violation',
  0xc00000fd: 'stack overflow',
  0xc0000409: 'stack buffer overrun (fail fast)',
  0xc0000374: 'heap corruption',
  0xc000001d: 'illegal instruction',
  0xc0000094: 'integer divide by zero',
  0xc0000017: 'out of memory',
  0xc0000142: 'DLL initialisation failed',
  0xe0434352: 'unhandled .NET exception',
  0x80000003: 'breakpoint',
};

/** Exit codes are DWORDs on Windows; some APIs hand them over as negative int32s. */
export function asExitDword(code: number): number {
  return code >>> 0;
}

export function isExceptionExitCode(code: number | null | undefined): boolean {
  if (code === null || code === undefined) return false;
  const dword = asExitDword(code);
  return dword >= 0xc0000000 || dword === 0xe0434352 || dword === 0x80000003;
}

/** "0xC0000005 (access violation)" for exception codes, the plain number otherwise. */
export function describeExitCode(code: number | null | undefined): string {
  if (code === null || code === undefined) return 'exit code unknown';
  if (!isExceptionExitCode(code)) return `exit code ${code}`;
  const dword = asExitDword(code);
  const hex = `0x${dword.toString(16).toUpperCase().padStart(8, '0')}`;
  const name = EXCEPTION_NAMES[dword];
  return `exit code ${hex}${name ? ` (${name})` : ''}`;
}
