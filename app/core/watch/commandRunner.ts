import { execFile } from 'node:child_process';

export interface CommandResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

/** Runs a system command (tasklist, PowerShell, wevtutil). An interface so Windows probes are testable here. */
export interface CommandRunner {
  run(file: string, args: readonly string[], options?: { timeoutMs?: number }): Promise<CommandResult>;
}

export const execFileRunner: CommandRunner = {
  run(file, args, options = {}) {
    return new Promise((resolve) => {
      execFile(file, [...args], { timeout: options.timeoutMs ?? 10_000, maxBuffer: 32 * 1024 * 1024, windowsHide: true }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ stdout: String(stdout), stderr: String(stderr), code });
      });
    });
  },
};
