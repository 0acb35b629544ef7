import { base64urlToBytes } from '../webauthn/base64url.js';

/**
 * Reads a JWT's `exp` (seconds) without verifying it. The browser only needs to know when to
 * refresh; the app server verifies the signature.
 */
export function jwtExpiry(jwt: string): number | null {
  const payload = jwt.split('.')[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(new TextDecoder().decode(base64urlToBytes(payload))) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp : null;
  } catch {
    return null;
  }
}

/** Seconds before `exp` at which a token counts as stale: covers clock skew and the request's flight. */
export const TOKEN_LEEWAY_SECONDS = 10;

/** True when the token is still usable for at least the leeway. */
export function isTokenFresh(jwt: string, nowMs: number = Date.now()): boolean {
  const exp = jwtExpiry(jwt);
  return exp !== null && exp - TOKEN_LEEWAY_SECONDS > nowMs / 1000;
}

/** Milliseconds until the token should be replaced (never negative). */
export function msUntilRefresh(jwt: string, nowMs: number = Date.now()): number {
  const exp = jwtExpiry(jwt);
  if (exp === null) return 0;
  return Math.max(0, (exp - TOKEN_LEEWAY_SECONDS) * 1000 - nowMs);
}
