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
  plugins: [react()],
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
