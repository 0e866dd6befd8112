import type { FromWatcher } from '../../common/watcherChannel.ts';

/** Electron's end of a utilityProcess channel, as the child sees it (process.parentPort). */
export interface ElectronParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  postMessage(message: unknown): void;
}

/** The part of `process` the watcher's channel uses: Node's IPC (fork) or Electron's parentPort. */
export interface ChannelProcess {
  parentPort?: ElectronParentPort;
  send?: (message: unknown, callback?: (error: Error | null) => void) => boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'disconnect', listener: () => void): unknown;
}

/** The watcher's end of the channel to the note side. */
export interface ParentChannel {
  readonly kind: 'node-ipc' | 'electron-utility';
  send(message: FromWatcher): void;
  onMessage(listener: (raw: unknown) => void): void;
  /** The note side is gone (its end closed): the watcher has nobody to watch for. */
  onDisconnect(listener: () => void): void;
}

/**
 * Finds how this process was started: by Electron's utilityProcess.fork (process.parentPort) in
 * the tray app, or by child_process.fork (process.send) headless. Null when neither: the watcher
 * entry was run by hand.
 */
export function parentChannel(proc: ChannelProcess = process as unknown as ChannelProcess): ParentChannel | null {
  const port = proc.parentPort;
  if (port) {
    return {
      kind: 'electron-utility',
      send: (message) => port.postMessage(message),
      onMessage: (listener) => void port.on('message', (event) => listener(event.data)),
      // Electron ends a utility process together with its parent: there is no disconnect to hear.
      onDisconnect: () => {},
    };
  }
  const send = proc.send;
  if (typeof send !== 'function') return null;
  return {
    kind: 'node-ipc',
    send: (message) => {
      // A closed channel (the note side exiting) makes send throw; the disconnect handler ends the watcher.
      try {
        send.call(proc, message);
      } catch {
        // nobody is listening any more
      }
    },
    onMessage: (listener) => void proc.on('message', listener),
    onDisconnect: (listener) => void proc.on('disconnect', listener),
  };
}
