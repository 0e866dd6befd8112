import type { LifeboatApi } from '../../../app/common/api.ts';
import { failure, isApiResult } from './apiResult.ts';
import { CALL_NAMES } from './callNames.ts';
import { createHttpApi, type EventSourceLike, type FetchLike } from './httpTransport.ts';

/** What the page offers: the Electron preload's window.lifeboat, or the browser's fetch and EventSource. */
export interface TransportHost {
  lifeboat?: LifeboatApi | undefined;
  fetch: FetchLike;
  openEvents: (url: string) => EventSourceLike;
  /** The serve bridge's token (see sessionToken.ts); unused with the preload. */
  token?: string | null;
}

/**
 * Screens may rely on one promise: every call resolves to an ApiResult. A rejected IPC call or a
 * malformed answer becomes an error result here instead of an exception in a click handler.
 */
export function guardApi(inner: LifeboatApi): LifeboatApi {
  const api: Record<string, unknown> = {};
  for (const name of CALL_NAMES) {
    const call = inner[name] as (arg: unknown) => Promise<unknown>;
    api[name] = async (arg: unknown) => {
      try {
        const result = await call(arg);
        return isApiResult(result) ? result : failure('BAD_ANSWER', 'Lifeboat gave an answer this screen does not understand.');
      } catch (err) {
        return failure('TRANSPORT', err instanceof Error ? err.message : 'Lifeboat could not be reached.');
      }
    };
  }
  api.onEvent = inner.onEvent.bind(inner);
  return api as LifeboatApi;
}

/** Electron when the preload is there, the serve bridge otherwise; the screens never know which. */
export function pickTransport(host: TransportHost): LifeboatApi {
  return guardApi(host.lifeboat ?? createHttpApi({ fetch: host.fetch, openEvents: host.openEvents, token: host.token ?? null }));
}
