/**
 * The session-token signing key as a PEM public key, for app servers that verify networklessly
 * with a pasted key instead of the JWKS: `@clerk/backend`'s `verifyToken(token, { jwtKey })`
 * (`CLERK_JWT_KEY`). Clerk's backend accepts RS256 only, and reads the PEM as a 2048-bit RSA
 * key with exponent 65537 — what `LATCHKEY_TOKEN_ALG=RS256` makes (docs/clerk-sdk.md).
 */
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import type { JWK } from 'jose';

export function publicKeyPem(jwk: JWK): string {
  return createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
}
