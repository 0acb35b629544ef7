/**
 * Credentialed CORS for allowed origins only; everyone else gets no CORS headers at all.
 *
 * Our own rather than hono/cors: that one reads `c.res` before the handler runs, which makes Hono
 * rebuild every answer as a full Fetch Response (and stream its body) — on the sign-in path that
 * cost more than the CORS decision. Headers set here, before the handler, go into the answer the
 * handler builds, error answers included.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { instancePolicy } from '../../http/instance.js';

export interface CorsOptions {
  /** May this origin read our answers (with credentials)? Default: the instance's allowed origins. */
  isAllowedOrigin?: (origin: string, c: Context) => boolean | Promise<boolean>;
}

const PREFLIGHT_HEADERS = {
  'Access-Control-Allow-Methods': 'GET,POST,PATCH,DELETE,OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type,Authorization',
  'Access-Control-Max-Age': '600',
};

const instanceAllows = async (origin: string, c: Context) => (await instancePolicy(c)).isAllowedOrigin(origin);

export function cors(o: CorsOptions = {}): MiddlewareHandler {
  const isAllowedOrigin = o.isAllowedOrigin ?? instanceAllows;
  return async function cors(c, next) {
    const origin = c.req.header('origin');
    const allowed = origin ? await isAllowedOrigin(origin, c) : false;
    if (c.req.method === 'OPTIONS') {
      // Answered here: a preflight never reaches a route (and so never needs one).
      const headers: Record<string, string> = { Vary: 'Origin, Access-Control-Request-Headers' };
      if (allowed) Object.assign(headers, { 'Access-Control-Allow-Origin': origin!, 'Access-Control-Allow-Credentials': 'true' }, PREFLIGHT_HEADERS);
      return c.body(null, 204, headers);
    }
    // Vary even when refused: a shared cache must not serve one origin's answer to another.
    c.header('Vary', 'Origin');
    if (allowed) {
      c.header('Access-Control-Allow-Origin', origin!);
      c.header('Access-Control-Allow-Credentials', 'true');
    }
    await next();
  };
}
