/**
 * A template token: the rendered custom claims plus the claims Latchkey always sets, signed with
 * the instance's session-token key (verifiable with the JWKS) or, for services that want a shared
 * secret, HS256 with the template's own key.
 */
import { createHmac } from 'node:crypto';
import type { JwtSigner } from '../sessions/jwt.js';
import type { JwtTemplateRow } from '../store/schema.js';
import type { UserClaimData } from '../store/user-claim-data.js';
import { randomBase64url } from '../util/random.js';
import { renderClaims } from './claims.js';

export interface TemplateTokenInput {
  template: JwtTemplateRow;
  user: UserClaimData;
  /** The origin that asked (`azp`), as for session tokens; omitted when unknown. */
  azp: string | null;
  issuer: string;
  nowMs: number;
}

export function templateClaims(t: TemplateTokenInput): Record<string, unknown> {
  const custom = renderClaims(JSON.parse(t.template.claims) as Record<string, unknown>, {
    'user.id': t.user.id,
    'user.username': t.user.username,
    'user.primary_email_address': t.user.primaryEmailAddress,
    // Latchkey has no user metadata yet: the shortcode renders an empty object (docs/clerk-sdk.md).
    'user.public_metadata': {},
  });
  const iat = Math.floor(t.nowMs / 1000);
  return {
    ...custom,
    ...(t.azp ? { azp: t.azp } : {}),
    exp: iat + t.template.lifetime_seconds,
    iat,
    iss: t.issuer,
    jti: randomBase64url(12),
    nbf: iat - t.template.allowed_clock_skew_seconds,
    sub: t.user.id,
  };
}

const HS256_HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

/** HS256 over the UTF-8 bytes of the shared secret, as jose and most JWT libraries read it. */
export function signHs256(claims: Record<string, unknown>, secret: string): string {
  const input = `${HS256_HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

export function signTemplateToken(template: JwtTemplateRow, claims: Record<string, unknown>, instanceKey: JwtSigner): string {
  if (template.signing_algorithm === 'HS256') return signHs256(claims, template.signing_key!);
  return instanceKey.sign(claims);
}
