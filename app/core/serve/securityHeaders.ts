import type { ServerResponse } from 'node:http';
import { contentSecurityPolicy, securityHeaders } from '../../common/contentSecurityPolicy.ts';

/** The one CSP of Lifeboat's screens (app/common/contentSecurityPolicy.ts), as `lifeboat serve` sends it. */
export const SERVE_CSP = contentSecurityPolicy();

/** Set on every response, refusals included: a 401 page is still a page a browser renders. */
export function applySecurityHeaders(res: ServerResponse, options: { noStore: boolean }): void {
  for (const [name, value] of Object.entries(securityHeaders(options))) res.setHeader(name, value);
}
