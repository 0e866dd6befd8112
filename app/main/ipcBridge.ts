import { API_NAMES, IPC_EVENT_CHANNEL, ipcChannel, type ApiResult, type ExportedFile, type LifeboatEvent } from '../common/api.ts';
import { dispatchApiCall, type ApiHandlers } from '../core/api/apiBackend.ts';
import type { IpcPort, WindowsPort } from './electronPorts.ts';
import { isTrustedRendererUrl, type TrustedRenderer } from './trustedRenderer.ts';

export const FORBIDDEN_SENDER: ApiResult<never> = {
  ok: false,
  error: { code: 'FORBIDDEN_SENDER', message: 'refused: this call did not come from the Lifeboat window' },
};

/** For the log: where a refused call came from, without path or query (they could carry anything). */
function originOf(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'file:') return 'a file:// page';
    return parsed.origin === 'null' ? `${parsed.protocol}//${parsed.host}` : parsed.origin;
  } catch {
    return 'an unknown frame';
  }
}

export interface IpcBridgeDeps {
  ipc: IpcPort;
  windows: Pick<WindowsPort, 'send'>;
  handlers: ApiHandlers;
  events: { subscribe(listener: (event: LifeboatEvent) => void): () => void };
  trusted: TrustedRenderer;
  /**
   * The desktop app's save dialog: asks where to put an exported file and writes it there.
   * Resolves to the path, or null when the GP cancelled. Without it the renderer downloads.
   */
  saveFile?: (file: { fileName: string; mimeType: string; bytes: Buffer }) => Promise<string | null>;
  log?: (line: string) => void;
}

/**
 * An export the desktop app saves itself: the file goes from main to the disk, not through the
 * renderer, and the renderer learns only where it went (or that the GP cancelled).
 */
async function saveExport(result: ApiResult<unknown>, saveFile: NonNullable<IpcBridgeDeps['saveFile']>): Promise<ApiResult<unknown>> {
  if (!result.ok) return result;
  const file = result.value as ExportedFile;
  if (file.data === null) return result;
  try {
    const savedTo = await saveFile({ fileName: file.fileName, mimeType: file.mimeType, bytes: Buffer.from(file.data, 'base64') });
    return { ok: true, value: { ...file, data: null, savedTo } satisfies ExportedFile };
  } catch (err) {
    return { ok: false, error: { code: 'NOT_SAVED', message: `the file was not saved: ${err instanceof Error ? err.message.split('\n')[0] : 'unknown error'}` } };
  }
}

/**
 * One ipcMain handler per LifeboatApi call: the sender must be our renderer, the argument is
 * validated with the call's zod schema (dispatchApiCall), and the answer is always an ApiResult.
 * Live events go to the window on IPC_EVENT_CHANNEL. Returns the event unsubscribe.
 */
export function registerIpcBridge(deps: IpcBridgeDeps): () => void {
  const log = deps.log ?? (() => {});
  for (const name of API_NAMES) {
    deps.ipc.handle(ipcChannel(name), async (senderUrl, arg) => {
      if (!isTrustedRendererUrl(senderUrl, deps.trusted)) {
        log(`ipc: refused ${name} from ${originOf(senderUrl)}`);
        return FORBIDDEN_SENDER;
      }
      const result = await dispatchApiCall(deps.handlers, name, arg);
      return name === 'exportFile' && deps.saveFile ? saveExport(result, deps.saveFile) : result;
    });
  }
  return deps.events.subscribe((event) => deps.windows.send(IPC_EVENT_CHANNEL, event));
}
