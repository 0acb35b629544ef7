/**
 * `Cache-Control: no-store` on every frontend API answer. Nearly all of them carry the client
 * (sessions, the user, a fresh session token) or a token itself: no shared proxy or browser
 * cache may keep one, or hand one browser's client to another. Set before the handler runs so
 * error answers carry it too.
 */
import type { MiddlewareHandler } from 'hono';

export function noStore(): MiddlewareHandler {
  return async function noStore(c, next) {
    c.header('Cache-Control', 'no-store');
    await next();
  };
}
