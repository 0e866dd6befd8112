import { API_NAMES, IPC_EVENT_CHANNEL, ipcChannel, type LifeboatApi, type LifeboatEvent } from '../common/api.ts';

/** What the preload needs from ipcRenderer, and no more. */
export interface PreloadTransport {
  invoke(channel: string, arg: unknown): Promise<unknown>;
  /** Delivers only the payload: never the IpcRendererEvent, whose `sender` is ipcRenderer itself. */
  on(channel: string, listener: (payload: unknown) => void): () => void;
}

/**
 * The object exposed to the renderer as window.lifeboat: one function per API_NAMES entry, each
 * invoking its own channel, and onEvent. Nothing else: no generic invoke, no ipcRenderer.
 * Arguments are validated in main (zod, at the trust boundary), not here.
 */
export function buildLifeboatApi(transport: PreloadTransport): LifeboatApi {
  const api: Record<string, unknown> = {};
  for (const name of API_NAMES) {
    const channel = ipcChannel(name);
    api[name] = (arg: unknown) => transport.invoke(channel, arg);
  }
  api.onEvent = (listener: (event: LifeboatEvent) => void): (() => void) => {
    if (typeof listener !== 'function') throw new TypeError('onEvent needs a listener function');
    return transport.on(IPC_EVENT_CHANNEL, (payload) => listener(payload as LifeboatEvent));
  };
  return Object.freeze(api) as LifeboatApi;
}
