/**
 * The page a session token is minted for (its `azp`), decided once per request. Browsers send
 * `Origin` on cross-origin requests and on every POST, but not on a same-origin GET — and
 * `GET /v1/client` at page load is where an app served from the frontend API's own origin gets
 * its first token. There the `Referer` (sent same-origin under the default referrer policy) names
 * the page.
 *
 * Only an allowed origin (the instance's CSRF and CORS allowlist) may become `azp`: app servers
 * may check `azp` to refuse tokens minted for other sites, so a token must never name a site the
 * caller merely claimed (`Origin: https://evil.example` on a GET). Otherwise the token is minted
 * without `azp`, as when neither header is sent — refusing would break a page load over a header.
 */
import type { MiddlewareHandler } from 'hono';
import { policyFor } from '../domains/index.js';
import type { FapiContext, FapiEnv } from './context.js';

/** The origin the request claims to come from: `Origin`, else the `Referer`'s origin. */
export function claimedOrigin(c: FapiContext): string | null {
  const origin = c.req.header('origin');
  if (origin) return origin;
  const referer = c.req.header('referer');
  if (!referer) return null;
  try {
    const o = new URL(referer).origin;
    return o === 'null' ? null : o;
  } catch {
    return null;
  }
}

export function tokenAzp(): MiddlewareHandler<FapiEnv> {
  return async function tokenAzp(c, next) {
    const claimed = claimedOrigin(c);
    let azp: string | null = null;
    if (claimed) {
      const deps = c.var.deps;
      if (policyFor(await deps.settings.get(), deps.config.mode).isAllowedOrigin(claimed)) azp = claimed;
    }
    c.set('azp', azp);
    await next();
  };
}
