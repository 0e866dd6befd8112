import type { CommandRunner } from '../commandRunner.ts';
import { nameMatches, type ProcessLister, type ProcessSnapshot } from './processSnapshot.ts';
import { parseGetProcessJson, parseTasklistCsv } from './tasklistCsv.ts';

/**
 * Windows probe. `tasklist /v` reports "Not Responding" (Windows' own IsHungAppWindow, ~5 s);
 * PowerShell's Get-Process adds the start time and the Responding flag in one call.
 */
export class Win32ProcessLister implements ProcessLister {
  private readonly runner: CommandRunner;
  private readonly method: 'tasklist' | 'powershell';
  constructor(runner: CommandRunner, method: 'tasklist' | 'powershell' = 'tasklist') {
    this.runner = runner;
    this.method = method;
  }

  static tasklistArgs(): string[] {
    return ['/v', '/fo', 'csv', '/nh'];
  }

  static powershellArgs(names: readonly string[]): string[] {
    const list = names.map((n) => `'${n.replace(/\.exe$/i, '').replace(/'/g, "''")}'`).join(',');
    const script =
      `Get-Process -Name ${list} -ErrorAction SilentlyContinue | ` +
      'Select-Object Id,ProcessName,Responding,WorkingSet64,TotalProcessorTime,StartTime | ConvertTo-Json -Compress';
    return ['-NoProfile', '-NonInteractive', '-Command', script];
  }

  async list(names: readonly string[]): Promise<ProcessSnapshot[]> {
    if (this.method === 'powershell') {
      const result = await this.runner.run('powershell.exe', Win32ProcessLister.powershellArgs(names), { timeoutMs: 5000 });
      return parseGetProcessJson(result.stdout).filter((s) => nameMatches(s.name, names));
    }
    const result = await this.runner.run('tasklist.exe', Win32ProcessLister.tasklistArgs(), { timeoutMs: 5000 });
    return parseTasklistCsv(result.stdout).filter((s) => nameMatches(s.name, names));
  }
}
