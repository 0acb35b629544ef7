import { describe, expect, it } from 'vitest';
import { fakeJwt } from '../test-support/fake-jwt.js';
import { isTokenFresh, jwtExpiry, msUntilRefresh } from './jwt.js';

describe('jwt helpers', () => {
  const now = 1_700_000_000_000;

  it('reads exp, or null for malformed tokens', () => {
    expect(jwtExpiry(fakeJwt({ exp: 1_700_000_060 }))).toBe(1_700_000_060);
    expect(jwtExpiry('nope')).toBeNull();
    expect(jwtExpiry('a.!!!.c')).toBeNull();
    expect(jwtExpiry(fakeJwt({ sub: 'u' }))).toBeNull();
  });

  it('counts a token stale 10 s before exp', () => {
    expect(isTokenFresh(fakeJwt({ exp: now / 1000 + 60 }), now)).toBe(true);
    expect(isTokenFresh(fakeJwt({ exp: now / 1000 + 10 }), now)).toBe(false);
    expect(isTokenFresh('garbage', now)).toBe(false);
  });

  it('schedules the refresh at exp minus the leeway', () => {
    expect(msUntilRefresh(fakeJwt({ exp: now / 1000 + 60 }), now)).toBe(50_000);
    expect(msUntilRefresh(fakeJwt({ exp: now / 1000 - 5 }), now)).toBe(0);
  });
});
