/**
 * The client cookie: which browser is calling. The middleware resolves the cookie's token to
 * the browser's client (through the clients flow, never the store) before the route runs;
 * `setClientCookie` writes a new token when a flow created or rotated it. Its name is
 * `__Host-client` over https and `__client` over plain http (names.ts says why).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { identifyClient } from '../../clients/index.js';
import type { Deps } from '../../deps.js';
import type { ClientRow } from '../../clients/snapshot.js';
import { clientCookieName, clientTokenOf, HOST_CLIENT_COOKIE, LEGACY_CLIENT_COOKIE } from './names.js';

const COOKIE_MAX_AGE_S = 365 * 24 * 3600;

export type ClientCookieEnv = { Variables: { deps: Deps; client: ClientRow | null } };

export function clientCookie(): MiddlewareHandler<ClientCookieEnv> {
  return async function clientCookie(c, next) {
    c.set('client', await identifyClient(c.var.deps, clientTokenOf(getCookie(c))));
    await next();
  };
}

export function setClientCookie(c: Context, token: string, config: { mode: string; publicUrl: string }): void {
  const name = clientCookieName(config.publicUrl);
  setCookie(c, name, token, {
    httpOnly: true,
    sameSite: 'Lax',
    // Secure outside development and whenever served over https (a `__Host-` cookie requires it);
    // in development over http, browsers treat localhost as secure anyway.
    secure: config.mode !== 'development' || name === HOST_CLIENT_COOKIE,
    path: '/',
    maxAge: COOKIE_MAX_AGE_S,
  });
  // Moving to the `__Host-` name: expire the old cookie in the same answer.
  if (name === HOST_CLIENT_COOKIE && getCookie(c, LEGACY_CLIENT_COOKIE) !== undefined) deleteCookie(c, LEGACY_CLIENT_COOKIE, { path: '/' });
}
