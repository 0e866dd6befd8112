import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

export type StaticLookup = { found: true; body: Buffer; contentType: string } | { found: false; status: 400 | 404 };

/**
 * A file of the built renderer for a URL path, or why not. The resolved path must stay inside
 * the static folder: "..", encoded slashes and NUL bytes cannot reach anything else.
 */
export async function lookupStatic(staticDir: string, urlPath: string): Promise<StaticLookup> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { found: false, status: 400 };
  }
  if (decoded.includes('\0')) return { found: false, status: 400 };
  const root = resolve(staticDir);
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const path = resolve(root, relative);
  if (!path.startsWith(root + sep)) return { found: false, status: 404 };
  try {
    const info = await stat(path);
    if (!info.isFile()) return { found: false, status: 404 };
    return { found: true, body: await readFile(path), contentType: CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream' };
  } catch {
    return { found: false, status: 404 };
  }
}
