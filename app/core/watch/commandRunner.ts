import { execFile } from 'node:child_process';
import { win32 } from 'node:path';

export interface CommandResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

/** Runs a system command (tasklist, PowerShell, wevtutil). An interface so Windows probes are testable here. */
export interface CommandRunner {
  /** `env`: variables added to the child's environment (data for a fixed script, never script text). */
  run(file: string, args: readonly string[], options?: { timeoutMs?: number; env?: Record<string, string> }): Promise<CommandResult>;
}

/**
 * The Windows programs Lifeboat runs, by full path under %SystemRoot%: a bare "tasklist" is
 * looked up in the current folder and PATH first, where anyone who can write there could put
 * their own. SystemRoot itself is set by Windows for every process.
 */
export const WINDOWS_COMMANDS = {
  tasklist: ['System32', 'tasklist.exe'],
  wevtutil: ['System32', 'wevtutil.exe'],
  powershell: ['System32', 'WindowsPowerShell', 'v1.0', 'powershell.exe'],
  rundll32: ['System32', 'rundll32.exe'],
} as const;

export function windowsCommand(name: keyof typeof WINDOWS_COMMANDS, env: NodeJS.ProcessEnv = process.env): string {
  const root = env.SystemRoot ?? env.SYSTEMROOT ?? env.windir ?? 'C:\\Windows';
  // Only an absolute drive path: a SystemRoot pointing elsewhere (a share, a relative folder) is not Windows'.
  const safeRoot = /^[A-Za-z]:\\[^;]*$/.test(root) ? root : 'C:\\Windows';
  return win32.join(safeRoot, ...WINDOWS_COMMANDS[name]);
}

export const execFileRunner: CommandRunner = {
  run(file, args, options = {}) {
    return new Promise((resolve) => {
      const env = options.env ? { ...process.env, ...options.env } : process.env;
      execFile(file, [...args], { timeout: options.timeoutMs ?? 10_000, maxBuffer: 32 * 1024 * 1024, windowsHide: true, env }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ stdout: String(stdout), stderr: String(stderr), code });
      });
    });
  },
};
