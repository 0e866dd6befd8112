export const PAGES = ['status', 'note', 'recovery', 'incidents', 'practice', 'settings'] as const;
export type Page = (typeof PAGES)[number];

export interface Route {
  page: Page;
  params: URLSearchParams;
}

/**
 * "#/recovery?draft=ID" → { page: 'recovery', params }. Accepts every route app/main opens
 * (see app/main/windowRoutes.ts); anything else is the Status page.
 */
export function parseRoute(hash: string): Route {
  const body = hash.replace(/^#\/?/, '');
  const q = body.indexOf('?');
  const path = (q < 0 ? body : body.slice(0, q)).replace(/\/+$/, '');
  const params = new URLSearchParams(q < 0 ? '' : body.slice(q + 1));
  const page = (PAGES as readonly string[]).includes(path) ? (path as Page) : 'status';
  return { page, params };
}

export function routeHref(page: Page, params: Record<string, string> = {}): string {
  const query = new URLSearchParams(params).toString();
  return `#/${page}${query ? `?${query}` : ''}`;
}

export const PAGE_TITLES: Record<Page, string> = {
  status: 'Status',
  note: 'Note',
  recovery: 'Recover notes',
  incidents: 'Incidents',
  practice: 'Practice',
  settings: 'Settings',
};
