/**
 * CSRF: a state-changing call must come from an allowed origin (400 `origin_invalid`). Browsers
 * always send `Origin` on POST, so a missing one is refused too; server-side callers use the
 * backend API instead. Safe methods pass: they change nothing, and CORS keeps their answers from
 * other sites.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { fail } from '../../errors/index.js';
import { instancePolicy } from '../../http/instance.js';

export interface OriginCheckOptions {
  /** May this origin make state-changing calls? Default: the instance's allowed origins. */
  isAllowedOrigin?: (origin: string, c: Context) => boolean | Promise<boolean>;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const instanceAllows = async (origin: string, c: Context) => (await instancePolicy(c)).isAllowedOrigin(origin);

export function checkOrigin(o: OriginCheckOptions = {}): MiddlewareHandler {
  const isAllowedOrigin = o.isAllowedOrigin ?? instanceAllows;
  return async function checkOrigin(c, next) {
    if (!SAFE_METHODS.has(c.req.method)) {
      const origin = c.req.header('origin');
      if (!origin || !(await isAllowedOrigin(origin, c))) {
        throw fail('origin_invalid', {
          why: origin ? `Requests from ${origin} are not allowed by this instance.` : 'State-changing requests must carry an Origin header.',
        });
      }
    }
    await next();
  };
}
