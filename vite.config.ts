// Builds the renderer (renderer/) into out/renderer. base './' so the same files load from
// file:// in Electron and from / on `lifeboat serve`. No inline script or style ends up in the
// output, so the strict Content-Security-Policy of both needs no exceptions.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('./renderer'),
  base: './',
  plugins: [
    react(),
    {
      // The dev server's hot reload needs inline script; Electron gives it a relaxed CSP header
      // toward the dev server (app/common/contentSecurityPolicy.ts). Builds keep the strict meta.
      name: 'lifeboat-dev-server-csp',
      apply: 'serve',
      transformIndexHtml: (html: string) => html.replace(/<meta\s+http-equiv="Content-Security-Policy"[^>]*>\s*/i, ''),
    },
  ],
  build: {
    outDir: here('./out/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    // The polyfill would be one more script; Chromium (Electron and Debian's) needs none.
    modulePreload: { polyfill: false },
    // Everything as files: data: URLs for assets would widen what the CSP must allow.
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: {
    host: '127.0.0.1',
    // The renderer imports the shared contract from app/common, outside renderer/.
    fs: { allow: [here('.')] },
  },
});
