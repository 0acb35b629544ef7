/**
 * Fixed-window rate limits for unauthenticated endpoints, per client IP and endpoint group.
 * Counters live in process memory, or in Redis when REDIS_URL is set so that every server
 * process shares them.
 */
import { Redis } from 'ioredis';
import type { RateLimitConfig } from '../config/index.js';

export interface RateLimitResult {
  allowed: boolean;
  /** Seconds until the window resets (for Retry-After). */
  retryAfter: number;
}

export interface RateLimiter {
  hit(key: string, nowMs: number): Promise<RateLimitResult>;
  close(): Promise<void>;
}

export function memoryRateLimiter(cfg: RateLimitConfig): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  const windowMs = cfg.windowSeconds * 1000;
  let lastSweep = 0;
  return {
    async hit(key, now) {
      // Drop finished windows now and then so the map does not grow with every IP ever seen.
      if (now - lastSweep > windowMs) {
        for (const [k, w] of windows) if (now - w.start >= windowMs) windows.delete(k);
        lastSweep = now;
      }
      let w = windows.get(key);
      if (!w || now - w.start >= windowMs) windows.set(key, (w = { start: now, count: 0 }));
      w.count += 1;
      return { allowed: w.count <= cfg.max, retryAfter: Math.max(1, Math.ceil((w.start + windowMs - now) / 1000)) };
    },
    async close() {},
  };
}

/**
 * While Redis is unreachable, counting falls back to this process's memory (and says so once),
 * so an outage of the counter store neither fails every sign-in nor switches limits off.
 */
export function redisRateLimiter(
  cfg: RateLimitConfig,
  url: string,
  prefix = 'latchkey:rl',
  onFallback: (err: Error) => void = () => {},
): RateLimiter {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 1000, connectTimeout: 2000 });
  redis.on('error', () => {}); // reported through onFallback when a request is affected
  const fallback = memoryRateLimiter(cfg);
  const windowMs = cfg.windowSeconds * 1000;
  let warned = false;
  return {
    async hit(key, now) {
      const bucket = Math.floor(now / windowMs);
      const redisKey = `${prefix}:${key}:${bucket}`;
      try {
        const [[, count]] = (await redis.multi().incr(redisKey).pexpire(redisKey, windowMs).exec()) as [[null, number]];
        warned = false;
        const resetAt = (bucket + 1) * windowMs;
        return { allowed: count <= cfg.max, retryAfter: Math.max(1, Math.ceil((resetAt - now) / 1000)) };
      } catch (err) {
        if (!warned) onFallback(err as Error);
        warned = true;
        return fallback.hit(key, now);
      }
    },
    async close() {
      redis.disconnect();
    },
  };
}
