/**
 * Per-IP limit on an unauthenticated endpoint group: 429 `too_many_requests` with `Retry-After`.
 * Only POSTs count: they are what costs (a ceremony, a row); GETs of the client and environment
 * are cheap and polled by SDKs. The counting itself is rate-limit/ (memory or Redis).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { fail } from '../../errors/index.js';
import { instanceDeps } from '../../http/instance.js';
import { runtimeOf } from '../../http/runtime.js';
import type { RateLimiter } from '../../rate-limit/index.js';

export interface RateLimitOptions {
  /** Counts the hits; `null` switches limits off. Default: the instance's limiter. */
  limiter?: RateLimiter | null;
  /** Take the client IP from the last `X-Forwarded-For` hop. Default: the instance's configuration. */
  trustProxy?: boolean;
  /** Milliseconds now. Default: the instance's clock. */
  now?: () => number;
}

/** The caller's IP: our own proxy's last `X-Forwarded-For` hop when trusted, else the peer address. */
export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const hops = (c.req.header('x-forwarded-for') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    // The last hop is the one our own proxy appended; earlier ones are whatever the client claimed.
    if (hops.length) return hops[hops.length - 1]!;
  }
  return runtimeOf(c).clientAddress(c);
}

export function rateLimit(group: string, o: RateLimitOptions = {}): MiddlewareHandler {
  if (!/^[a-z_]+$/.test(group)) throw new Error(`rateLimit: group must be snake_case letters (it is part of the counter key), got "${group}"`);
  return async function rateLimit(c, next) {
    const deps = o.limiter === undefined || o.trustProxy === undefined || o.now === undefined ? instanceDeps(c) : null;
    const limiter = o.limiter === undefined ? deps!.rateLimiter : o.limiter;
    if (limiter && c.req.method === 'POST') {
      const ip = clientIp(c, o.trustProxy ?? deps!.config.trustProxy);
      const result = await limiter.hit(`${group}:${ip}`, o.now ? o.now() : deps!.clock.now());
      if (!result.allowed) {
        c.header('Retry-After', String(result.retryAfter));
        throw fail('too_many_requests', { why: `Too many requests; try again in ${result.retryAfter} seconds.`, retryAfter: result.retryAfter });
      }
    }
    await next();
  };
}
