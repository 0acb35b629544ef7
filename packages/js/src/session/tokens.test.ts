import { describe, expect, it, vi } from 'vitest';
import { jwtValidFor } from '../test-support/fake-jwt.js';
import { TokenCache } from './tokens.js';

const fresh = (): string => jwtValidFor(60);
const stale = (): string => jwtValidFor(5);

describe('TokenCache', () => {
  it('serves a primed fresh token without a request', async () => {
    const fetch = vi.fn(async () => fresh());
    const cache = new TokenCache(fetch);
    const jwt = fresh();
    cache.prime('sess_1', jwt);
    expect(await cache.get('sess_1')).toBe(jwt);
    expect(fetch).not.toHaveBeenCalled();
  });

  it('ignores stale primes and fetches instead; skipCache always fetches', async () => {
    const minted = fresh();
    const fetch = vi.fn(async () => minted);
    const cache = new TokenCache(fetch);
    cache.prime('sess_1', stale());
    expect(await cache.get('sess_1')).toBe(minted);
    expect(await cache.get('sess_1', { skipCache: true })).toBe(minted);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('shares one request between concurrent callers', async () => {
    const fetch = vi.fn(async () => fresh());
    const cache = new TokenCache(fetch);
    const [a, b] = await Promise.all([cache.get('sess_1'), cache.get('sess_1')]);
    expect(a).toBe(b);
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});
