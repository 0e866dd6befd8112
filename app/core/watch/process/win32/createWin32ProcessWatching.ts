/** Process listing and exit events over one set of kernel32 bindings. Throws Win32UnavailableError off Windows. */
import { diagnostic, type DiagnosticSink } from '../../../../common/diagnostic.ts';
import { loadWin32Api } from '../../../capture/win32/loadWin32Api.ts';
import { SessionProcessLister } from '../processTable.ts';
import { SessionScope } from '../sessionScope.ts';
import { HandleWaiter } from './handleWaiter.ts';
import { Win32ExitWatch } from './win32ExitWatch.ts';
import { Win32ProcessTable } from './win32ProcessTable.ts';

export function createWin32ProcessWatching(options: { onDiagnostic: DiagnosticSink; machineWerRoot: string; now: () => number }): { lister: SessionProcessLister; exits: Win32ExitWatch; scope: SessionScope } {
  const { onDiagnostic } = options;
  const api = loadWin32Api('process watching through kernel32');
  const scope = new SessionScope({ machineWerRoot: options.machineWerRoot });
  return {
    scope,
    lister: new SessionProcessLister(new Win32ProcessTable(api), { scope, now: options.now }),
    exits: new Win32ExitWatch(api, new HandleWaiter(api, (message) => onDiagnostic(diagnostic('process', 'process-exit-wait-failed', `process exit wait: ${message}`)))),
  };
}
