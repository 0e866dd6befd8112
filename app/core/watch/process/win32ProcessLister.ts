import { windowsCommand, type CommandRunner } from '../commandRunner.ts';
import { nameMatches, type ProcessLister, type ProcessSnapshot } from './processSnapshot.ts';
import { parseGetProcessJson, parseTasklistCsv } from './tasklistCsv.ts';

/**
 * Windows probe. `tasklist /v` reports "Not Responding" (Windows' own IsHungAppWindow, ~5 s);
 * PowerShell's Get-Process adds the start time and the Responding flag in one call. Where the
 * responsiveness probe (WM_NULL through koffi) runs, it answers "hung?" with a latency, so the
 * lister drops /v: plain tasklist does not walk every window on the desktop each second.
 */
export class Win32ProcessLister implements ProcessLister {
  private readonly runner: CommandRunner;
  private method: 'tasklist' | 'tasklist-brief' | 'powershell';
  constructor(runner: CommandRunner, method: 'tasklist' | 'tasklist-brief' | 'powershell' = 'tasklist') {
    this.runner = runner;
    this.method = method;
  }

  /** The responsiveness probe is running: status from tasklist /v is no longer needed. */
  leaveHangsToTheProbe(): void {
    if (this.method === 'tasklist') this.method = 'tasklist-brief';
  }

  static tasklistArgs(brief = false): string[] {
    return brief ? ['/fo', 'csv', '/nh'] : ['/v', '/fo', 'csv', '/nh'];
  }

  /**
   * A fixed script: the process names travel as data in an environment variable, never spliced
   * into the script text, so no name can become PowerShell code.
   */
  static readonly POWERSHELL_SCRIPT =
    "$names = $env:LIFEBOAT_PROCESS_NAMES -split '\\|' | Where-Object { $_ -ne '' }; " +
    'Get-Process -Name $names -ErrorAction SilentlyContinue | ' +
    'Select-Object Id,ProcessName,Responding,WorkingSet64,TotalProcessorTime,StartTime | ConvertTo-Json -Compress';

  static powershellArgs(): string[] {
    return ['-NoProfile', '-NonInteractive', '-Command', Win32ProcessLister.POWERSHELL_SCRIPT];
  }

  static powershellEnv(names: readonly string[]): Record<string, string> {
    return { LIFEBOAT_PROCESS_NAMES: names.map((n) => n.replace(/\.exe$/i, '')).join('|') };
  }

  async list(names: readonly string[]): Promise<ProcessSnapshot[]> {
    if (this.method === 'powershell') {
      const result = await this.runner.run(windowsCommand('powershell'), Win32ProcessLister.powershellArgs(), { timeoutMs: 5000, env: Win32ProcessLister.powershellEnv(names) });
      return parseGetProcessJson(result.stdout).filter((s) => nameMatches(s.name, names));
    }
    const result = await this.runner.run(windowsCommand('tasklist'), Win32ProcessLister.tasklistArgs(this.method === 'tasklist-brief'), { timeoutMs: 5000 });
    return parseTasklistCsv(result.stdout).filter((s) => nameMatches(s.name, names));
  }
}
