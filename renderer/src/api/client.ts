import type { LifeboatApi } from '../../../app/common/api.ts';
import type { FetchLike } from './httpTransport.ts';
import { pickTransport } from './transport.ts';

declare global {
  interface Window {
    /** Exposed by the Electron preload (contextBridge); absent in a browser on `lifeboat serve`. */
    lifeboat?: LifeboatApi;
  }
}

/** The one LifeboatApi every screen uses. */
export const api: LifeboatApi = pickTransport({
  lifeboat: window.lifeboat,
  fetch: window.fetch.bind(window) as FetchLike,
  openEvents: (url) => new EventSource(url, { withCredentials: false }),
});
