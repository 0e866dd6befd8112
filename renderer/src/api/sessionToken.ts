/**
 * The per-launch API token of `lifeboat serve`: printed as http://127.0.0.1:PORT/#token=…, so it
 * is never sent to any server (a fragment stays in the browser), kept in this tab's
 * sessionStorage (isolated by origin, port included, and gone with the tab), and sent only as an
 * Authorization header. Never a cookie: browsers send cookies to every port of 127.0.0.1.
 */
export const TOKEN_STORAGE_KEY = 'lifeboat.apiToken';
const TOKEN_FRAGMENT = /^#token=([A-Za-z0-9_-]{20,200})$/;

export interface TokenPlace {
  hash: string;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  /** Rewrites the address without its fragment (no history entry), so the token leaves the address bar. */
  dropFragment(): void;
}

export function takeSessionToken(place: TokenPlace): string | null {
  const match = TOKEN_FRAGMENT.exec(place.hash);
  if (match) {
    place.storage.setItem(TOKEN_STORAGE_KEY, match[1]!);
    place.dropFragment();
    return match[1]!;
  }
  return place.storage.getItem(TOKEN_STORAGE_KEY);
}
