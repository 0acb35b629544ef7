/**
 * Thin adapters of `authenticateRequest` for common servers. They depend on no framework package:
 * each takes the few members of the framework's objects it uses, so any version fits.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { authenticateRequest, type RequestAuth, type SessionClaims, type TokenErrorCode } from './verify-token.js';

export type Verify = (token: string | null | undefined) => Promise<SessionClaims>;
/** What the adapters attach to a request (`c.get('auth')`, `req.auth`): see `RequestAuth`. */
export type AuthState = RequestAuth;

export const unauthorized = (reason: TokenErrorCode) => ({
  errors: [{ code: 'authentication_invalid', message: 'Sign in to use this endpoint.', long_message: `Session token refused: ${reason}.`, meta: {} }],
});

/**
 * Hono: `app.use('/api/*', honoAuth(verify))`, then `c.get('auth')` in handlers. With
 * `{ required: true }` a request without a valid token is answered 401 before the handler runs.
 */
export function honoAuth(verify: Verify, options: { required?: boolean } = {}) {
  return async function latchkeyAuth(
    c: { req: { raw: Request }; set(key: 'auth', value: AuthState): void; json(body: unknown, status: 401): Response },
    next: () => Promise<void>,
  ): Promise<Response | void> {
    const auth = await authenticateRequest(c.req.raw, verify);
    if (!auth.signedIn && options.required) return c.json(unauthorized(auth.reason), 401);
    c.set('auth', auth);
    await next();
  };
}

/** Node's `http` and Express/Connect: sets `req.auth`; with `{ required: true }` answers 401 itself. */
export function nodeAuth(verify: Verify, options: { required?: boolean } = {}) {
  return function latchkeyAuth(
    req: { headers: IncomingHttpHeaders; auth?: AuthState },
    res: { statusCode: number; setHeader(name: string, value: string): unknown; end(body: string): unknown },
    next: (err?: unknown) => void,
  ): void {
    const headers = new Headers();
    for (const name of ['authorization', 'cookie'] as const) {
      const v = req.headers[name];
      if (typeof v === 'string') headers.set(name, v);
    }
    authenticateRequest(new Request('http://localhost/', { headers }), verify).then((auth) => {
      if (!auth.signedIn && options.required) {
        res.statusCode = 401;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(unauthorized(auth.reason)));
        return;
      }
      req.auth = auth;
      next();
    }, next);
  }
}

/** Fetch-style handlers (`(req: Request) => Response`, e.g. Next.js route handlers on Node.js): 401 unless signed in. */
export function withAuth(
  verify: Verify,
  handler: (req: Request, claims: SessionClaims, auth: Extract<RequestAuth, { signedIn: true }>) => Response | Promise<Response>,
) {
  return async function latchkeyAuth(req: Request): Promise<Response> {
    const auth = await authenticateRequest(req, verify);
    if (!auth.signedIn) return Response.json(unauthorized(auth.reason), { status: 401 });
    return handler(req, auth.claims, auth);
  };
}
