import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  allowNavigation,
  allowPermission,
  contentSecurityPolicy,
  windowOpenDecision,
  withContentSecurityPolicy,
} from '../../../app/main/windowSecurity.ts';
import { saveDialogFilter, WINDOW_BACKGROUND, windowBackground } from '../../../app/main/windowTheme.ts';

const trusted = {};

describe('window security', () => {
  it('has a strict CSP: nothing inline, nothing remote, no frames, objects, forms or base rewriting', () => {
    const csp = contentSecurityPolicy();
    const directives = Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
    expect(directives['default-src']).toBe("'none'");
    expect(directives['script-src']).toBe("'self'");
    expect(directives['style-src']).toBe("'self'");
    expect(directives['connect-src']).toBe("'self'");
    expect(directives['object-src']).toBe("'none'");
    expect(directives['base-uri']).toBe("'none'");
    expect(directives['form-action']).toBe("'none'");
    expect(directives['frame-ancestors']).toBe("'none'");
    expect(csp).not.toMatch(/unsafe-(inline|eval)|https?:|\*/);
    expect(contentSecurityPolicy({ forMetaTag: true })).not.toContain('frame-ancestors');
  });

  it('is in the source index.html itself, exactly, as a meta tag', () => {
    const html = readFileSync(join(import.meta.dirname, '..', '..', '..', 'renderer', 'index.html'), 'utf8');
    const metas = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]+)" \/>/g)].map((m) => m[1]);
    expect(metas).toEqual([contentSecurityPolicy({ forMetaTag: true })]);
  });

  it('relaxes only for the development server, and only toward it', () => {
    const dev = contentSecurityPolicy({ devServerOrigin: 'http://localhost:5173' });
    expect(dev).toContain("script-src 'self' 'unsafe-inline'");
    expect(dev).toContain("connect-src 'self' ws://localhost:5173");
    expect(dev).not.toContain('unsafe-eval');
  });

  it('puts our CSP on every response, replacing whatever the response said', () => {
    const headers = withContentSecurityPolicy({ 'content-security-policy': ["default-src *"], 'Content-Type': 'text/html' }, "default-src 'none'");
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': ["default-src 'none'"] });
    expect(withContentSecurityPolicy(undefined, 'x')).toEqual({ 'Content-Security-Policy': ['x'] });
  });

  it('denies every navigation and every new window', () => {
    expect(allowNavigation('https://evil.example/')).toBe(false);
    expect(allowNavigation('file:///etc/passwd')).toBe(false);
    expect(allowNavigation('app://lifeboat/index.html')).toBe(false);
    expect(windowOpenDecision()).toEqual({ action: 'deny' });
  });

  it('grants only clipboard writing, and only to our page', () => {
    const ours = 'app://lifeboat/index.html#/note';
    expect(allowPermission('clipboard-sanitized-write', ours, trusted)).toBe(true);
    expect(allowPermission('clipboard-sanitized-write', 'https://evil.example/', trusted)).toBe(false);
    expect(allowPermission('clipboard-sanitized-write', undefined, trusted)).toBe(false);
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'unknown']) expect(allowPermission(p, ours, trusted)).toBe(false);
  });
});

describe('window theme and save dialog', () => {
  it('paints the window in the page colour of the OS theme before the page has loaded', () => {
    expect(windowBackground(true)).toBe(WINDOW_BACKGROUND.dark);
    expect(windowBackground(false)).toBe(WINDOW_BACKGROUND.light);
    // The same colours as the page's --page in styles.css, light and dark.
    const css = readFileSync(new URL('../../../renderer/src/styles.css', import.meta.url), 'utf8');
    expect(css).toContain(`--page: ${WINDOW_BACKGROUND.light};`);
    expect(css).toContain(`--page: ${WINDOW_BACKGROUND.dark};`);
  });

  it('offers the exported file’s own type in the save dialog', () => {
    expect(saveDialogFilter('lifeboat-report-2026-01-05-to-2026-02-01.html')).toEqual({ name: 'Web page (report)', extensions: ['html'] });
    expect(saveDialogFilter('lifeboat-evidence-2026-01-05-crash-emisweb.zip')).toEqual({ name: 'Zip archive (evidence pack)', extensions: ['zip'] });
    expect(saveDialogFilter('noext')).toEqual({ name: 'File', extensions: ['*'] });
  });
});
