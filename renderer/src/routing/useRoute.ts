import { useEffect, useState } from 'react';
import { parseRoute, type Route } from './route.ts';

/** The current hash route; hash routing works the same from file:// (Electron) and http:// (serve). */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = (): void => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}

/** Rewrites the address without adding history ("#/note?new=1" → "#/note" once the new note exists). */
export function replaceRoute(hash: string): void {
  window.history.replaceState(null, '', hash);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}
