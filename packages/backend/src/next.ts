/**
 * Next.js (App Router), without a dependency on `next`: everything here takes and returns
 * Web-standard `Request`/`Response`, which is what Next passes to route handlers and `middleware.ts`.
 *
 * Route handlers (`app/api/me/route.ts`):
 *
 *   export const GET = withAuth(verify, (req, claims, auth) => Response.json({ userId: auth.userId }));
 *   // or: const auth = await authenticateRequest(req, verify);
 *
 * `middleware.ts` (gates whole paths before any page renders):
 *
 *   export default latchkeyMiddleware(verify, { protect: ['/dashboard', '/api/private'], signInUrl: '/sign-in' });
 *
 * Returning nothing lets Next continue to the page or handler. The middleware does not forward the
 * user to the handler (that would need `NextResponse`); handlers call `authenticateRequest` again,
 * which costs no network call (the key set is cached).
 */
import { unauthorized, type Verify } from './middleware.js';
import { authenticateRequest } from './verify-token.js';

export interface NextMiddlewareOptions {
  /** Paths that need a session: a prefix (`/dashboard` covers `/dashboard/…`), a pattern, or a test. */
  protect: (string | RegExp)[] | ((req: Request) => boolean);
  /** Where signed-out page requests are sent (with `redirect_url`); without it they get 401 too. */
  signInUrl?: string;
}

function isProtected(req: Request, protect: NextMiddlewareOptions['protect']): boolean {
  if (typeof protect === 'function') return protect(req);
  const path = new URL(req.url).pathname;
  return protect.some((p) => (typeof p === 'string' ? path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`) : p.test(path)));
}

/** A page navigation (HTML wanted) rather than an API call. */
function wantsPage(req: Request): boolean {
  return req.method === 'GET' && (req.headers.get('accept') ?? '').includes('text/html');
}

export function latchkeyMiddleware(verify: Verify, options: NextMiddlewareOptions) {
  return async function latchkeyNextMiddleware(req: Request): Promise<Response | undefined> {
    if (!isProtected(req, options.protect)) return undefined;
    const auth = await authenticateRequest(req, verify);
    if (auth.signedIn) return undefined;
    if (options.signInUrl && wantsPage(req)) {
      const target = new URL(options.signInUrl, req.url);
      target.searchParams.set('redirect_url', req.url);
      return Response.redirect(target, 307);
    }
    return Response.json(unauthorized(auth.reason), { status: 401 });
  };
}
