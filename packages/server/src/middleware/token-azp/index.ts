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
import type { Context, MiddlewareHandler } from 'hono';
import { instancePolicy } from '../../http/instance.js';

export interface TokenAzpOptions {
  /** May this origin be a token's `azp`? Default: the instance's allowed origins. */
  isAllowedOrigin?: (origin: string, c: Context) => boolean | Promise<boolean>;
}

type AzpEnv = { Variables: { azp?: string | null } };

/** The origin the request claims to come from: `Origin`, else the `Referer`'s origin. */
export function claimedOrigin(c: Context): string | null {
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

const instanceAllows = async (origin: string, c: Context) => (await instancePolicy(c)).isAllowedOrigin(origin);

/** Sets `c.var.azp`: the claimed origin when it is allowed, otherwise null. */
export function tokenAzp(o: TokenAzpOptions = {}): MiddlewareHandler<AzpEnv> {
  const isAllowedOrigin = o.isAllowedOrigin ?? instanceAllows;
  return async function tokenAzp(c, next) {
    const claimed = claimedOrigin(c);
    c.set('azp', claimed && (await isAllowedOrigin(claimed, c)) ? claimed : null);
    await next();
  };
}
