// The sandboxed preload: exposes window.lifeboat (LifeboatApi) and nothing else. Bundled into one
// CommonJS file (out/preload/preload.cjs) because a sandboxed preload cannot load modules.
import { contextBridge, ipcRenderer } from 'electron';
import { buildLifeboatApi } from './preloadApi.ts';

const api = buildLifeboatApi({
  invoke: (channel, arg) => ipcRenderer.invoke(channel, arg),
  on: (channel, listener) => {
    const forward = (_event: Electron.IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(channel, forward);
    return () => {
      ipcRenderer.removeListener(channel, forward);
    };
  },
});

contextBridge.exposeInMainWorld('lifeboat', api);
