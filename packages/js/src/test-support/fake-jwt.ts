import { bytesToBase64url } from '../webauthn/base64url.js';

/** An unsigned JWT for tests: the SDK only reads `exp` to schedule refreshes. */
export function fakeJwt(claims: Record<string, unknown>): string {
  const part = (o: unknown): string => bytesToBase64url(new TextEncoder().encode(JSON.stringify(o)));
  return `${part({ alg: 'ES256' })}.${part(claims)}.sig`;
}

/** A token valid for `seconds` more. */
export function jwtValidFor(seconds: number): string {
  return fakeJwt({ exp: Math.floor(Date.now() / 1000) + seconds });
}
