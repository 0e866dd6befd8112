import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsvLine, parseGetProcessJson, parseTasklistCsv } from '../../../../../app/core/watch/process/tasklistCsv.ts';
import { parseProcStat, procMatches } from '../../../../../app/core/watch/process/linuxProcLister.ts';
import { Win32ProcessLister } from '../../../../../app/core/watch/process/win32ProcessLister.ts';
import { windowsCommand, type CommandRunner } from '../../../../../app/core/watch/commandRunner.ts';
import { ProcessNameSchema } from '../../../../../app/core/config/profiles.ts';

const fixture = (name: string): string => readFileSync(join(import.meta.dirname, '..', '..', '..', '..', 'fixtures', 'process', name), 'utf8');

describe('tasklist /v /fo csv', () => {
  it('splits quoted CSV with doubled quotes and commas', () => {
    expect(parseCsvLine('"a","b ""c"", d","",e')).toEqual(['a', 'b "c", d', '', 'e']);
  });

  it('reads state, memory and CPU, and never keeps the window title', () => {
    const rows = parseTasklistCsv(fixture('tasklist-v-csv.txt'));
    const emis = rows.filter((r) => r.name === 'emisweb.exe');
    expect(emis).toEqual([
      { pid: 4312, name: 'emisweb.exe', state: 'not-responding', rssBytes: 2_912_344 * 1024, cpuMs: 751_000, startedAt: null },
      { pid: 7788, name: 'emisweb.exe', state: 'running', rssBytes: 612_004 * 1024, cpuMs: 41_000, startedAt: null },
    ]);
    expect(JSON.stringify(rows)).not.toMatch(/Jane|943 476/);
  });

  it('lists only the profile executables, through the command runner', async () => {
    const calls: string[][] = [];
    const runner: CommandRunner = {
      run: async (file, args) => {
        calls.push([file, ...args]);
        return { stdout: fixture('tasklist-v-csv.txt'), stderr: '', code: 0 };
      },
    };
    const rows = await new Win32ProcessLister(runner).list(['EmisWeb.exe']);
    expect(rows.map((r) => r.pid)).toEqual([4312, 7788]);
    expect(calls[0]).toEqual([windowsCommand('tasklist'), '/v', '/fo', 'csv', '/nh']);
  });

  it('without /v (where the WM_NULL probe answers "hung?"): memory only, no status, no CPU time', async () => {
    expect(parseTasklistCsv(fixture('tasklist-csv.txt')).filter((r) => r.name === 'emisweb.exe')).toEqual([
      { pid: 4312, name: 'emisweb.exe', state: 'unknown', rssBytes: 2_912_344 * 1024, cpuMs: null, startedAt: null },
      { pid: 7788, name: 'emisweb.exe', state: 'unknown', rssBytes: 612_004 * 1024, cpuMs: null, startedAt: null },
    ]);
    const calls: string[][] = [];
    const runner: CommandRunner = {
      run: async (file, args) => {
        calls.push([file, ...args]);
        return { stdout: fixture(args.includes('/v') ? 'tasklist-v-csv.txt' : 'tasklist-csv.txt'), stderr: '', code: 0 };
      },
    };
    const lister = new Win32ProcessLister(runner);
    await lister.list(['EmisWeb.exe']);
    lister.leaveHangsToTheProbe();
    expect((await lister.list(['EmisWeb.exe'])).map((r) => r.pid)).toEqual([4312, 7788]);
    expect(calls).toEqual([
      [windowsCommand('tasklist'), '/v', '/fo', 'csv', '/nh'],
      [windowsCommand('tasklist'), '/fo', 'csv', '/nh'],
    ]);
  });

  it('tolerates "INFO: No tasks" and empty output', () => {
    expect(parseTasklistCsv('INFO: No tasks are running which match the specified criteria.\r\n')).toEqual([]);
    expect(parseTasklistCsv('')).toEqual([]);
  });
});

describe('Get-Process JSON', () => {
  it('reads Responding, working set and both date styles', () => {
    const rows = parseGetProcessJson(fixture('get-process.json'));
    expect(rows[0]).toMatchObject({ pid: 4312, name: 'emisweb.exe', state: 'not-responding', rssBytes: 2982240256, cpuMs: 751000, startedAt: 1764054061000 });
    expect(rows[1]).toMatchObject({ pid: 7788, state: 'running', startedAt: Date.parse('2025-11-25T09:01:01Z') });
    expect(parseGetProcessJson('')).toEqual([]);
  });

  it('passes process names to PowerShell as data, never inside the script, and runs it by full path', async () => {
    const calls: Array<{ file: string; args: readonly string[]; env: Record<string, string> | undefined }> = [];
    const runner: CommandRunner = {
      run: async (file, args, options) => {
        calls.push({ file, args, env: options?.env });
        return { stdout: '', stderr: '', code: 0 };
      },
    };
    await new Win32ProcessLister(runner, 'powershell').list(['EmisWeb.exe', "o'dd; Remove-Item C:\\ -Recurse.exe"]);
    expect(calls[0]!.file).toMatch(/^[A-Z]:\\Windows\\System32\\WindowsPowerShell\\v1\.0\\powershell\.exe$/i);
    // The script is the same constant whatever the names: nothing of them is in it.
    expect(calls[0]!.args).toEqual(['-NoProfile', '-NonInteractive', '-Command', Win32ProcessLister.POWERSHELL_SCRIPT]);
    expect(Win32ProcessLister.POWERSHELL_SCRIPT).not.toContain('EmisWeb');
    expect(calls[0]!.env).toEqual({ LIFEBOAT_PROCESS_NAMES: "EmisWeb|o'dd; Remove-Item C:\\ -Recurse" });
  });

  it('runs Windows commands from %SystemRoot%, never from PATH or the current folder', () => {
    expect(windowsCommand('tasklist', { SystemRoot: 'C:\\Windows' })).toBe('C:\\Windows\\System32\\tasklist.exe');
    expect(windowsCommand('wevtutil', { SystemRoot: 'D:\\WINDOWS' })).toBe('D:\\WINDOWS\\System32\\wevtutil.exe');
    // A SystemRoot that is not a local drive path is not trusted.
    expect(windowsCommand('tasklist', { SystemRoot: '\\\\evil\\share' })).toBe('C:\\Windows\\System32\\tasklist.exe');
    expect(windowsCommand('tasklist', {})).toBe('C:\\Windows\\System32\\tasklist.exe');
  });

  it('accepts only plain executable names in profiles', () => {
    for (const ok of ['EmisWeb.exe', 'SystmOne.exe', 'Vision 3.exe', 'lifeboat-sim-4242']) expect(ProcessNameSchema.safeParse(ok).success, ok).toBe(true);
    for (const bad of ['..\\evil.exe', 'a/b', '*', "o'dd", 'x;y', '$(calc)', '']) expect(ProcessNameSchema.safeParse(bad).success, bad).toBe(false);
  });
});

describe('/proc', () => {
  it('parses stat lines whose command contains spaces and parentheses', () => {
    const stat = parseProcStat('4242 (my (odd) proc) T 1 2 3 4 5 6 7 8 9 10 150 50 0 0 20 0 1 0 777 1000 2500 0');
    expect(stat).toEqual({ comm: 'my (odd) proc', state: 'T', cpuTicks: 200, startTicks: 777, rssPages: 2500 });
  });

  it('matches comm, argv[0] and the 15-character comm of long names', () => {
    expect(procMatches('EmisWeb.exe', 'EmisWeb', '')).toBe(true);
    expect(procMatches('lifeboat-sim-client', 'lifeboat-sim-cl', '')).toBe(true);
    expect(procMatches('lifeboat-sim-client', 'node', 'lifeboat-sim-client')).toBe(true);
    expect(procMatches('lifeboat-sim-client', 'node', '/usr/bin/node')).toBe(false);
    expect(procMatches('emisweb.exe', 'emiswebhelper', '')).toBe(false);
  });
});
