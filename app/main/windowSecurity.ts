import { isTrustedRendererUrl, type TrustedRenderer } from './trustedRenderer.ts';

/**
 * The security settings of Lifeboat's window, as a type with literal values: the Electron adapter
 * writes them out in the BrowserWindow call itself (so Electronegativity can read them) and
 * `satisfies` this type, so the compiler refuses any other value.
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
  /** Middle-click would open links in a new window; nothing here needs it. */
  disableBlinkFeatures: 'Auxclick';
  devTools: boolean;
  preload: string;
}

/**
 * Identity: the compiler holds the window options written at the BrowserWindow call to
 * SecureWebPreferences, and a static checker still reads them there as plain values.
 */
export function checkedWindowOptions<T extends { webPreferences: SecureWebPreferences }>(options: T): T {
  return options;
}

export { contentSecurityPolicy, type CspOptions } from '../common/contentSecurityPolicy.ts';

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
