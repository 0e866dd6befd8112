import { win32 } from 'node:path';
import { systemClock } from '../../../common/clock.ts';
import { diagnostic, type DiagnosticSink } from '../../../common/diagnostic.ts';
import type { CommandRunner } from '../commandRunner.ts';
import { LinuxProcLister } from './linuxProcLister.ts';
import type { ProcessExitWatch } from './processExits.ts';
import type { ProcessLister, ProcessSnapshot } from './processSnapshot.ts';
import type { SessionScope } from './sessionScope.ts';
import { Win32ProcessLister } from './win32ProcessLister.ts';

export interface PlatformProcessWatching {
  lister: ProcessLister;
  /** Null where the OS cannot announce exits (old Linux kernels): the poll notices them. */
  exits: ProcessExitWatch | null;
  /** Which evidence is this session's (Windows); null where there are no desktop sessions to tell apart. */
  scope: SessionScope | null;
}

interface PlatformOptions {
  platform: NodeJS.Platform;
  runner: CommandRunner;
  onDiagnostic: DiagnosticSink;
  env?: Readonly<Record<string, string | undefined>>;
  now?: () => number;
}

/**
 * How this machine's clinical client processes are listed and their exits heard, spawning nothing
 * at steady state:
 * - Windows: Toolhelp, sessions and a wait on each client's process handle through koffi
 *   (win32/), loaded on first use so koffi costs nothing elsewhere. Should the API fail, tasklist
 *   (or PowerShell) takes over with a diagnostic: a process spawn per poll, but still watching.
 * - Linux: /proc, with pidfd_open(2) for exits where the kernel has it.
 */
export async function platformProcessWatching(options: PlatformOptions): Promise<PlatformProcessWatching> {
  if (options.platform === 'win32') {
    try {
      const env = options.env ?? process.env;
      const machineWerRoot = win32.join(env['ProgramData'] ?? env['PROGRAMDATA'] ?? 'C:\\ProgramData', 'Microsoft', 'Windows', 'WER');
      const { createWin32ProcessWatching } = await import('./win32/createWin32ProcessWatching.ts');
      const native = createWin32ProcessWatching({ onDiagnostic: options.onDiagnostic, machineWerRoot, now: options.now ?? (() => systemClock.now()) });
      return { lister: new FallbackLister(native.lister, () => new Win32ProcessLister(options.runner), options.onDiagnostic), exits: native.exits, scope: native.scope };
    } catch (error) {
      options.onDiagnostic(diagnostic('process', 'process-listing-fallback', `process watching through the Windows API is unavailable (${(error as Error).message}); using tasklist`));
      return { lister: new Win32ProcessLister(options.runner), exits: null, scope: null };
    }
  }
  const lister = new LinuxProcLister();
  try {
    const { createPidfdExitWatch } = await import('./linux/pidfdExitWatch.ts');
    return { lister, exits: createPidfdExitWatch(options.platform), scope: null };
  } catch {
    return { lister, exits: null, scope: null };
  }
}

/** The native lister until it fails once; then the fallback for good, said once. */
class FallbackLister implements ProcessLister {
  private current: ProcessLister;
  private fellBack = false;
  private readonly fallback: () => ProcessLister;
  private readonly onDiagnostic: DiagnosticSink;

  constructor(primary: ProcessLister, fallback: () => ProcessLister, onDiagnostic: DiagnosticSink) {
    this.current = primary;
    this.fallback = fallback;
    this.onDiagnostic = onDiagnostic;
  }

  /** The tasklist fallback learns hang states from /v unless the probe runs. */
  leaveHangsToTheProbe(): void {
    if (this.current instanceof Win32ProcessLister) this.current.leaveHangsToTheProbe();
  }

  async list(names: readonly string[]): Promise<ProcessSnapshot[]> {
    try {
      return await this.current.list(names);
    } catch (error) {
      if (this.fellBack) throw error;
      this.fellBack = true;
      this.onDiagnostic(diagnostic('process', 'process-listing-fallback', `process listing through the Windows API failed (${(error as Error).message}); using tasklist from now on`));
      this.current = this.fallback();
      return this.current.list(names);
    }
  }
}

/**
 * The platform's lister and exit watch behind the two interfaces the process watcher takes, made on
 * the first listing (the Windows half is a dynamic import). Exit watches are only asked for once a
 * listing has found the process, so by then they exist.
 */
export class PlatformProcesses implements ProcessLister, ProcessExitWatch {
  readonly name = 'platform';
  private readonly options: PlatformOptions;
  private pending: Promise<PlatformProcessWatching> | null = null;
  private resolved: PlatformProcessWatching | null = null;

  constructor(options: PlatformOptions) {
    this.options = options;
  }

  async list(names: readonly string[]): Promise<ProcessSnapshot[]> {
    this.pending ??= platformProcessWatching(this.options).then((w) => (this.resolved = w));
    return (await this.pending).lister.list(names);
  }

  /** Null until the first listing, and where the platform has no sessions to tell apart. */
  sessionScope(): SessionScope | null {
    return this.resolved?.scope ?? null;
  }

  leaveHangsToTheProbe(): void {
    const lister = this.resolved?.lister as { leaveHangsToTheProbe?: () => void } | undefined;
    lister?.leaveHangsToTheProbe?.();
  }

  watch(pid: number, onExit: (exitCode: number | null) => void): boolean {
    return this.resolved?.exits?.watch(pid, onExit) ?? false;
  }

  async unwatch(pid: number): Promise<void> {
    await this.resolved?.exits?.unwatch(pid);
  }

  async close(): Promise<void> {
    await this.pending?.catch(() => null);
    await this.resolved?.exits?.close();
  }
}
