import { describe, expect, it } from 'vitest';
import type { Signal } from '../../../../../app/common/signal.ts';
import { SessionProcessLister, type ProcessTable } from '../../../../../app/core/watch/process/processTable.ts';
import { SessionScope } from '../../../../../app/core/watch/process/sessionScope.ts';

/** A Remote Desktop host: three GPs' sessions (2, 3, 5) each running EMIS Web, and services in session 0. */
function rdsHost(ownSession: number | null = 3): ProcessTable {
  const processes = [
    { pid: 4, exeName: 'System', session: 0 },
    { pid: 812, exeName: 'EmisWeb.exe', session: 2 },
    { pid: 1904, exeName: 'EMISWEB.EXE', session: 3 },
    { pid: 2210, exeName: 'EmisWeb.exe', session: 5 },
    { pid: 2300, exeName: 'EmisWeb.exe', session: null }, // exited between the snapshot and the session query
    { pid: 2400, exeName: 'notepad.exe', session: 3 },
  ];
  return {
    currentSession: () => ownSession,
    processes: () => processes.map(({ pid, exeName }) => ({ pid, exeName })),
    sessionOf: (pid) => processes.find((p) => p.pid === pid)?.session ?? null,
    details: (pid) => ({ startedAt: 1_000 + pid, cpuMs: 10, rssBytes: pid * 1024 }),
  };
}

const MACHINE_WER = 'C:\\ProgramData\\Microsoft\\Windows\\WER';
const signal = (source: Signal['source'], extra: Partial<Signal> = {}): Signal => ({ source, kind: 'crash', at: 0, app: 'emisweb.exe', profile: 'emis-web', detail: 'x', ...extra });

describe('process listing on a multi-session host', () => {
  it('lists only the clients in its own session, under the profile spelling of the name', async () => {
    const lister = new SessionProcessLister(rdsHost(3));
    expect(await lister.list(['EmisWeb.exe'])).toEqual([{ pid: 1904, name: 'emisweb.exe', state: 'running', rssBytes: 1904 * 1024, cpuMs: 10, startedAt: 2904 }]);
  });

  it('lists every client when the OS cannot say which session it runs in', async () => {
    const lister = new SessionProcessLister(rdsHost(null));
    expect((await lister.list(['emisweb'])).map((s) => s.pid)).toEqual([812, 1904, 2210, 2300]);
  });
});

describe('which crash evidence is this session’s', () => {
  it('on a single-user PC everything is ours', async () => {
    const scope = new SessionScope({ machineWerRoot: MACHINE_WER });
    const table = rdsHost(3);
    const alone: ProcessTable = { ...table, processes: () => [{ pid: 1904, exeName: 'EmisWeb.exe' }] };
    await new SessionProcessLister(alone, { scope }).list(['EmisWeb.exe']);
    expect(scope.multiSession).toBe(false);
    expect(scope.excludes(signal('wer', { origin: `${MACHINE_WER}\\ReportArchive\\AppCrash_EmisWeb.exe_1\\Report.wer` }))).toBeNull();
    expect(scope.excludes(signal('eventlog', { pid: 999 }))).toBeNull();
  });

  it('on a shared host: our Event Log records and our user store count; other sessions’ records and the machine store do not', async () => {
    let now = 0;
    const scope = new SessionScope({ machineWerRoot: MACHINE_WER });
    await new SessionProcessLister(rdsHost(3), { scope, now: () => now }).list(['EmisWeb.exe']);
    expect(scope.multiSession).toBe(true);
    expect(scope.excludes(signal('eventlog', { pid: 1904 }))).toBeNull();
    expect(scope.excludes(signal('eventlog', { pid: 2210 }))).toMatch(/process 2210, which is not a client in this session/);
    expect(scope.excludes(signal('eventlog'))).toMatch(/without a process id/);
    expect(scope.excludes(signal('wer', { origin: 'C:\\Users\\drsmith\\AppData\\Local\\Microsoft\\Windows\\WER\\ReportQueue\\AppCrash_x\\Report.wer' }))).toBeNull();
    expect(scope.excludes(signal('wer', { origin: `${MACHINE_WER.toUpperCase()}\\ReportQueue\\AppCrash_EmisWeb.exe_2\\Report.wer` }))).toMatch(/machine-wide crash report/);
    expect(scope.excludes(signal('process', { pid: 2210 }))).toBeNull(); // the lister never reports other sessions' processes
    // A client of ours that crashed an hour ago still owns its late Event Log record; after a day, no longer.
    now = 60 * 60_000;
    await new SessionProcessLister({ ...rdsHost(3), processes: () => [{ pid: 2210, exeName: 'EmisWeb.exe' }] }, { scope, now: () => now }).list(['EmisWeb.exe']);
    expect(scope.excludes(signal('eventlog', { pid: 1904 }))).toBeNull();
    now = 26 * 60 * 60_000;
    await new SessionProcessLister({ ...rdsHost(3), processes: () => [] }, { scope, now: () => now }).list(['EmisWeb.exe']);
    expect(scope.excludes(signal('eventlog', { pid: 1904 }))).not.toBeNull();
  });
});
