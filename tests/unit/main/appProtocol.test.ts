import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../../app/common/contentSecurityPolicy.ts';
import { APP_SCHEME_PRIVILEGES, appProtocolResponse, rendererUrl } from '../../../app/main/appProtocol.ts';
import { ROUTES } from '../../../app/main/windowRoutes.ts';
import { cleanupTempDirs, tempDir } from '../../fixtures/vault/vaultTestKit.ts';

afterAll(cleanupTempDirs);

function builtRenderer(): string {
  const dir = tempDir('lifeboat-renderer-');
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Lifeboat</title>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, '..', 'secret.txt'), 'not the renderer');
  return dir;
}

describe('the app:// scheme that serves the Electron renderer', () => {
  const dir = builtRenderer();

  it('opens routes at app://lifeboat/index.html', () => {
    expect(rendererUrl(ROUTES.recovery)).toBe('app://lifeboat/index.html#/recovery');
    expect(rendererUrl(ROUTES.newNote)).toBe('app://lifeboat/index.html#/note?new=1');
  });

  it('answers with the file and the strict CSP as a response header (file:// could carry none)', async () => {
    const page = await appProtocolResponse({ url: 'app://lifeboat/index.html', method: 'GET' }, dir);
    expect(page.status).toBe(200);
    expect(page.headers['Content-Type']).toMatch(/^text\/html/);
    expect(page.headers['Content-Security-Policy']).toBe(contentSecurityPolicy());
    expect(page.headers['X-Content-Type-Options']).toBe('nosniff');
    expect(page.body?.toString()).toContain('<title>Lifeboat</title>');
    const script = await appProtocolResponse({ url: 'app://lifeboat/assets/app.js', method: 'GET' }, dir);
    expect(script.headers['Content-Type']).toMatch(/^text\/javascript/);
  });

  it('reaches nothing outside the built renderer, on no other host, by no other method', async () => {
    for (const url of ['app://lifeboat/../secret.txt', 'app://lifeboat/%2e%2e/secret.txt', 'app://lifeboat/assets/..%2f..%2fsecret.txt', 'app://other/index.html', 'app://lifeboat/missing.js', 'file:///etc/passwd', 'not a url']) {
      const answer = await appProtocolResponse({ url, method: 'GET' }, dir);
      expect(answer.status, url).not.toBe(200);
      expect(answer.body, url).toBeNull();
      expect(answer.headers['Content-Security-Policy'], url).toBe(contentSecurityPolicy());
    }
    expect((await appProtocolResponse({ url: 'app://lifeboat/index.html', method: 'POST' }, dir)).status).toBe(405);
  });

  it('is registered as a standard, secure scheme that bypasses nothing', () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({ standard: true, secure: true, bypassCSP: false, corsEnabled: false, supportFetchAPI: false, allowServiceWorkers: false });
  });
});
