/**
 * The `__client` cookie: which browser is calling. The middleware resolves the cookie's token to
 * the browser's client (through the clients flow, never the store) before the route runs;
 * `setClientCookie` writes a new token when a flow created or rotated it.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { identifyClient } from '../../clients/index.js';
import type { Deps } from '../../deps.js';
import type { ClientRow } from '../../clients/snapshot.js';

export const CLIENT_COOKIE = '__client';
const COOKIE_MAX_AGE_S = 365 * 24 * 3600;

export type ClientCookieEnv = { Variables: { deps: Deps; client: ClientRow | null } };

export function clientCookie(): MiddlewareHandler<ClientCookieEnv> {
  return async function clientCookie(c, next) {
    c.set('client', await identifyClient(c.var.deps, getCookie(c, CLIENT_COOKIE)));
    await next();
  };
}

/** `secure` outside development; in development browsers treat localhost as secure anyway. */
export function setClientCookie(c: Context, token: string, secure: boolean): void {
  setCookie(c, CLIENT_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure,
    path: '/',
    maxAge: COOKIE_MAX_AGE_S,
  });
}
