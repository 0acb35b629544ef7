/**
 * Compact JWS signing with node:crypto, synchronously. A session token is minted on nearly every
 * sign-in and page load; jose signs through WebCrypto, whose async job and key wrapping cost
 * several times the signature itself. The header is fixed per key, so it is encoded once.
 * Verified against jose in jwt.test.ts.
 */
import { createPrivateKey, sign, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';

export type SigningAlg = 'ES256' | 'RS256';

export interface JwtSigner {
  readonly kid: string;
  readonly alg: SigningAlg;
  sign(claims: Record<string, unknown>): string;
}

export function jwtSigner(privateJwk: JWK, kid: string, alg: SigningAlg): JwtSigner {
  const key: KeyObject = createPrivateKey({ key: privateJwk as JsonWebKey, format: 'jwk' });
  const header = Buffer.from(JSON.stringify({ alg, kid, typ: 'JWT' })).toString('base64url');
  // JWS (RFC 7518 §3.4) wants ECDSA signatures as the raw r‖s pair, not DER.
  const options = alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' as const } : key;
  return {
    kid,
    alg,
    sign(claims) {
      const input = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
      return `${input}.${sign('sha256', Buffer.from(input), options).toString('base64url')}`;
    },
  };
}
