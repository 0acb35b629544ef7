import { getConnInfo } from '@hono/node-server/conninfo';
import type { MiddlewareHandler } from 'hono';
import { policyFor } from '../domains/index.js';
import { fail } from '../errors/index.js';
import type { FapiContext, FapiEnv } from './context.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const PREFLIGHT_HEADERS = {
  'Access-Control-Allow-Methods': 'GET,POST,PATCH,DELETE,OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type,Authorization',
  'Access-Control-Max-Age': '600',
};

/**
 * Credentialed CORS for allowed origins only; everyone else gets no CORS headers at all.
 * Our own rather than hono/cors: that one reads `c.res` before the handler runs, which makes
 * Hono rebuild every answer as a full Fetch Response (and stream its body) — on the sign-in
 * path that cost more than the CORS decision. Headers set here, before the handler, go into the
 * answer the handler builds, error answers included.
 */
export function fapiCors(): MiddlewareHandler<FapiEnv> {
  return async function cors(c, next) {
    const origin = c.req.header('origin');
    let allowed = false;
    if (origin) {
      const deps = c.var.deps;
      allowed = policyFor(await deps.settings.get(), deps.config.mode).isAllowedOrigin(origin);
    }
    if (c.req.method === 'OPTIONS') {
      const headers: Record<string, string> = { Vary: 'Origin, Access-Control-Request-Headers' };
      if (allowed) Object.assign(headers, { 'Access-Control-Allow-Origin': origin!, 'Access-Control-Allow-Credentials': 'true' }, PREFLIGHT_HEADERS);
      return c.body(null, 204, headers);
    }
    c.header('Vary', 'Origin');
    if (allowed) {
      c.header('Access-Control-Allow-Origin', origin!);
      c.header('Access-Control-Allow-Credentials', 'true');
    }
    await next();
  };
}

/**
 * CSRF: a state-changing call must come from an allowed origin. Browsers always send `Origin`
 * on POST, so a missing one is refused too (server-side callers use the backend API instead).
 */
export function checkOrigin(): MiddlewareHandler<FapiEnv> {
  return async function checkOrigin(c, next) {
    if (!SAFE_METHODS.has(c.req.method)) {
      const origin = c.req.header('origin');
      const deps = c.var.deps;
      const policy = policyFor(await deps.settings.get(), deps.config.mode);
      if (!origin || !policy.isAllowedOrigin(origin)) {
        throw fail('origin_invalid', {
          why: origin ? `Requests from ${origin} are not allowed by this instance.` : 'State-changing requests must carry an Origin header.',
        });
      }
    }
    await next();
  };
}

function clientIp(c: FapiContext): string {
  if (c.var.deps.config.trustProxy) {
    const hops = (c.req.header('x-forwarded-for') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    // The last hop is the one our own proxy appended; earlier ones are whatever the client claimed.
    if (hops.length) return hops[hops.length - 1]!;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // not served by @hono/node-server (e.g. app.request in tests)
  }
}

/** Per-IP limit on an unauthenticated endpoint group; 429 `too_many_requests` with Retry-After. */
export function rateLimit(group: string): MiddlewareHandler<FapiEnv> {
  return async function rateLimit(c, next) {
    const limiter = c.var.deps.rateLimiter;
    if (limiter && c.req.method === 'POST') {
      const result = await limiter.hit(`${group}:${clientIp(c)}`, c.var.deps.clock.now());
      if (!result.allowed) {
        c.header('Retry-After', String(result.retryAfter));
        throw fail('too_many_requests', { why: `Too many requests; try again in ${result.retryAfter} seconds.`, retryAfter: result.retryAfter });
      }
    }
    await next();
  };
}
