import type { LifeboatApi } from '../../../app/common/api.ts';
import { FetchEventSource, type StreamingFetch } from './fetchEventSource.ts';
import type { FetchLike } from './httpTransport.ts';
import { takeSessionToken } from './sessionToken.ts';
import { pickTransport } from './transport.ts';

declare global {
  interface Window {
    /** Exposed by the Electron preload (contextBridge); absent in a browser on `lifeboat serve`. */
    lifeboat?: LifeboatApi;
  }
}

/** In a browser on `lifeboat serve`: the token from the printed address (taken before any screen reads the route). */
const token = window.lifeboat
  ? null
  : takeSessionToken({ hash: window.location.hash, storage: window.sessionStorage, dropFragment: () => window.history.replaceState(null, '', window.location.pathname + window.location.search) });

/** The one LifeboatApi every screen uses. */
export const api: LifeboatApi = pickTransport({
  lifeboat: window.lifeboat,
  fetch: window.fetch.bind(window) as FetchLike,
  openEvents: (url) => new FetchEventSource(url, token ? { Authorization: `Bearer ${token}` } : {}, window.fetch.bind(window) as StreamingFetch),
  token,
});
