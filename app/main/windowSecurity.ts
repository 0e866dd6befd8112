import { isTrustedRendererUrl, type TrustedRenderer } from './trustedRenderer.ts';

/**
 * The security settings of Lifeboat's window, as plain data and pure decisions; the Electron
 * adapter applies them (and checks this shape against Electron.WebPreferences at compile time).
 */
export interface SecureWebPreferences {
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  webviewTag: false;
  experimentalFeatures: false;
  navigateOnDragDrop: false;
  safeDialogs: true;
  devTools: boolean;
  preload: string;
}

export function secureWebPreferences(preloadPath: string, options: { devTools: boolean }): SecureWebPreferences {
  return {
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    devTools: options.devTools,
    preload: preloadPath,
  };
}

export interface CspOptions {
  /** Development only: the Vite server, whose HMR needs inline script/style and a websocket. */
  devServerOrigin?: string | null;
  /**
   * A <meta> CSP cannot carry frame-ancestors (browsers ignore it there and warn). Pages loaded
   * from file:// get no response headers, so the built index.html carries the policy as a meta
   * tag (scripts/build-electron.js puts it there); http pages also get it as a header.
   */
  forMetaTag?: boolean;
}

/**
 * Nothing but our own files: no inline or eval'd script, no remote anything, no plugins, no
 * frames, no forms posting anywhere, no <base> rewriting.
 */
export function contentSecurityPolicy(options: CspOptions = {}): string {
  const dev = options.devServerOrigin ? new URL(options.devServerOrigin) : null;
  const ws = dev ? ` ${dev.protocol === 'https:' ? 'wss:' : 'ws:'}//${dev.host}` : '';
  const directives = [
    "default-src 'none'",
    `script-src 'self'${dev ? " 'unsafe-inline'" : ''}`,
    `style-src 'self'${dev ? " 'unsafe-inline'" : ''}`,
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${ws}`,
    "manifest-src 'self'",
    "object-src 'none'",
    "frame-src 'none'",
    "worker-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ];
  if (!options.forMetaTag) directives.push("frame-ancestors 'none'");
  return directives.join('; ');
}

/** Response headers with our CSP replacing any the response carried. */
export function withContentSecurityPolicy(headers: Record<string, string | string[]> | undefined, csp: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'content-security-policy') continue;
    out[name] = Array.isArray(value) ? value : [value];
  }
  out['Content-Security-Policy'] = [csp];
  return out;
}

/**
 * will-navigate: the renderer is a single page that routes by hash (which does not fire
 * will-navigate), so any real navigation is a link or script trying to leave: deny all.
 */
export const allowNavigation = (_url: string): boolean => false;

/** setWindowOpenHandler: no new windows, ever (no links to open, no popups). */
export const windowOpenDecision = (): { action: 'deny' } => ({ action: 'deny' });

/**
 * Web permissions: only the clipboard write behind "Copy to clinical system", and only for our
 * own page. Camera, microphone, notifications-from-the-page, geolocation and the rest: denied.
 */
export function allowPermission(permission: string, requestingUrl: string | undefined, trusted: TrustedRenderer): boolean {
  return permission === 'clipboard-sanitized-write' && requestingUrl !== undefined && isTrustedRendererUrl(requestingUrl, trusted);
}
