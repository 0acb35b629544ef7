/**
 * The account portal's one server route: `GET /portal/api/redirect?redirect_url=…` says whether the
 * portal may send the user there after sign-in or sign-up, by the instance's own origin rules
 * (domains/redirect.ts). The page navigates only to the `url` this answers, never to the query
 * string it was given, so an open redirect needs a hole on the server, not just in the page.
 *
 * Answers `{ object: "redirect", url }`, or `form_param_format_invalid` (422) for a URL of the
 * wrong form (`javascript:`, `//host`, backslashes, `user@host`) and `origin_invalid` (400) for an
 * origin the instance does not allow, each with `meta.param_name: "redirect_url"` and a
 * `long_message` the page shows as it is.
 */
import { Hono } from 'hono';
import { policyFor } from '../domains/index.js';
import { checkRedirectUrl } from '../domains/redirect.js';
import { fail } from '../errors/index.js';
import type { FapiEnv } from '../fapi/context.js';
import { noStore } from '../middleware/no-store/index.js';

/** Where the portal is mounted: its pages and this API, whatever else the server hosts. */
export const PORTAL_BASE = '/portal';
/** The portal's pages, under PORTAL_BASE and, on a server that hosts no app, at the root too. */
export const PORTAL_PAGES = ['/sign-in', '/sign-up', '/user'] as const;

const PARAM = 'redirect_url';

export function portalApi(): Hono<FapiEnv> {
  const api = new Hono<FapiEnv>();
  // The answer depends on settings that change at run time; no cache may keep it.
  api.use(noStore());
  api.get('/redirect', async function redirect(c) {
    const given = c.req.queries(PARAM) ?? [];
    if (given.length === 0) throw fail('form_param_missing', { param: PARAM });
    // Two values: servers and pages may pick different ones; refuse rather than guess.
    if (given.length > 1) throw fail('form_param_format_invalid', { param: PARAM, why: 'redirect_url was given more than once.' });
    const { deps } = c.var;
    const policy = policyFor(await deps.settings.get(), deps.config.mode);
    const checked = checkRedirectUrl(given[0]!, { base: deps.config.publicUrl, isAllowedOrigin: policy.isAllowedOrigin });
    if (!checked.ok) throw fail(checked.kind === 'malformed' ? 'form_param_format_invalid' : 'origin_invalid', { param: PARAM, why: checked.problem });
    return c.json({ object: 'redirect', url: checked.url });
  });
  return api;
}
