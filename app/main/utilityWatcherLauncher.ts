import { lineSplitter, type WatcherLauncher } from '../core/runtime/watcherLauncher.ts';
import type { UtilityProcessPort } from './electronPorts.ts';

/**
 * The tray app's watcher: the same entry as the headless one (out/main/watcher.cjs), started with
 * Electron's utilityProcess.fork instead of child_process.fork (which in Electron would need
 * ELECTRON_RUN_AS_NODE, a fuse Lifeboat switches off). The watcher finds its channel on
 * process.parentPort (app/core/runtime/parentChannel.ts).
 */
export function utilityWatcherLauncher(port: UtilityProcessPort, entry: string): WatcherLauncher {
  return () => {
    const child = port.fork(entry, [], { serviceName: 'Lifeboat watcher', stdio: 'pipe' });
    let exit: { code: number | null; signal: string | null } | null = null;
    const onExit: Array<(e: { code: number | null; signal: string | null }) => void> = [];
    child.on('exit', (code) => {
      exit = { code, signal: null };
      for (const listener of onExit.splice(0)) listener(exit);
    });
    return {
      get pid() {
        return child.pid;
      },
      // Electron throws on a message to a process that has gone; the exit listener has it covered.
      send: (message) => {
        if (exit === null) child.postMessage(message);
      },
      onMessage: (listener) => void child.on('message', listener),
      onExit: (listener) => {
        if (exit !== null) listener(exit);
        else onExit.push(listener);
      },
      onStderr: (listener) => {
        const lines = lineSplitter(listener);
        child.stderr?.setEncoding('utf8');
        child.stderr?.on('data', (chunk: string | Buffer) => lines(String(chunk)));
      },
      kill: () => void child.kill(),
    };
  };
}
