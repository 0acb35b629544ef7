/**
 * CSRF for the dashboard: its API answers only its own pages. A state-changing request must carry
 * `Origin` equal to the server's own origin; any request that names another origin (`Origin`, or
 * the browser's `Sec-Fetch-Site` other than `same-origin`) is refused with 400 `origin_invalid`.
 * The session cookie is SameSite=Strict as well: this check does not rely on it, nor it on this.
 */
import type { MiddlewareHandler } from 'hono';
import { fail } from '../../errors/index.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function sameOrigin(origin: string): MiddlewareHandler {
  return async function sameOrigin(c, next) {
    const sent = c.req.header('origin');
    if (sent !== undefined && sent !== origin) {
      throw fail('origin_invalid', { why: `The dashboard API answers only its own pages (${origin}), not ${sent}.` });
    }
    if (sent === undefined && !SAFE_METHODS.has(c.req.method)) {
      throw fail('origin_invalid', { why: 'State-changing dashboard requests must carry an Origin header.' });
    }
    // `none`: typed into the address bar, which no other site can make a browser do.
    const site = c.req.header('sec-fetch-site');
    if (site !== undefined && site !== 'same-origin' && site !== 'none') {
      throw fail('origin_invalid', { why: `The dashboard API answers only its own pages (Sec-Fetch-Site: ${site}).` });
    }
    await next();
  };
}
