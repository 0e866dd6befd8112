/** Process listing and exit events over one set of kernel32 bindings. Throws Win32UnavailableError off Windows. */
import { loadWin32Api } from '../../../capture/win32/loadWin32Api.ts';
import { SessionProcessLister } from '../processTable.ts';
import { HandleWaiter } from './handleWaiter.ts';
import { Win32ExitWatch } from './win32ExitWatch.ts';
import { Win32ProcessTable } from './win32ProcessTable.ts';

export function createWin32ProcessWatching(onDiagnostic: (message: string) => void): { lister: SessionProcessLister; exits: Win32ExitWatch } {
  const api = loadWin32Api('process watching through kernel32');
  return {
    lister: new SessionProcessLister(new Win32ProcessTable(api)),
    exits: new Win32ExitWatch(api, new HandleWaiter(api, (message) => onDiagnostic(`process exit wait: ${message}`))),
  };
}
