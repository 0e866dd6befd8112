import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref } from '../../../../renderer/src/routing/route.ts';

describe('hash routes', () => {
  it('accepts every route the Electron main process opens', () => {
    // The list in app/main/windowRoutes.ts.
    expect(parseRoute('#/status').page).toBe('status');
    expect(parseRoute('#/note?new=1')).toMatchObject({ page: 'note' });
    expect(parseRoute('#/note?new=1').params.get('new')).toBe('1');
    expect(parseRoute('#/recovery').page).toBe('recovery');
    expect(parseRoute('#/recovery?draft=abc-123').params.get('draft')).toBe('abc-123');
    expect(parseRoute('#/incidents').page).toBe('incidents');
    expect(parseRoute('#/settings').page).toBe('settings');
  });

  it('sends anything else to Status', () => {
    for (const hash of ['', '#', '#/', '#/nowhere', '#main', '#/../settings']) expect(parseRoute(hash).page, hash).toBe('status');
  });

  it('builds hrefs that parse back', () => {
    const href = routeHref('recovery', { draft: 'a b&c' });
    expect(parseRoute(href).params.get('draft')).toBe('a b&c');
  });
});
