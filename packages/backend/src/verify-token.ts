/**
 * Session-token verification for app servers: no call to Latchkey per request. The JWKS is
 * fetched once and cached by jose (refetched when a token names an unknown key, i.e. after a
 * rotation), and the checks are the ones a session token needs: signature, issuer, expiry with
 * small clock skew, and the authorized party (`azp`) when the app lists its origins.
 */
import { createRemoteJWKSet, errors as joseErrors, type JWTPayload, jwtVerify } from 'jose';

export interface SessionClaims extends JWTPayload {
  sid: string;
  sub: string;
  azp?: string;
  v?: number;
}

export interface VerifierOptions {
  /** Where Latchkey serves its keys, e.g. `https://auth.example.com/.well-known/jwks.json`. */
  jwksUrl: string;
  /** Expected `iss` (Latchkey's public URL). */
  issuer?: string;
  /** Origins allowed to have minted the token (`azp`); omit to accept any. */
  authorizedParties?: string[];
  /** Seconds of clock skew tolerated. Default 5. */
  clockSkewSeconds?: number;
  /**
   * After a token names an unknown key, the JWKS is fetched again at most this often (ms). Short,
   * so a key rotation is picked up within a second; non-zero, so made-up key ids cannot make us
   * hammer the JWKS endpoint. Default 1000.
   */
  jwksCooldownMs?: number;
}

export type TokenErrorCode = 'token_missing' | 'token_invalid' | 'token_expired' | 'token_not_active_yet' | 'token_invalid_authorized_party';

export class TokenVerificationError extends Error {
  override readonly name = 'TokenVerificationError';
  constructor(
    readonly code: TokenErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * @example
 * const verify = createTokenVerifier({ jwksUrl: 'http://localhost:4000/.well-known/jwks.json' });
 * const claims = await verify(bearerToken); // claims.sub is the user id
 */
export function createTokenVerifier(o: VerifierOptions): (token: string | null | undefined) => Promise<SessionClaims> {
  const jwks = createRemoteJWKSet(new URL(o.jwksUrl), { cooldownDuration: o.jwksCooldownMs ?? 1000, cacheMaxAge: 10 * 60_000 });
  return async function verifyToken(token) {
    if (!token) throw new TokenVerificationError('token_missing', 'No session token was sent.');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        algorithms: ['ES256', 'RS256'],
        issuer: o.issuer,
        clockTolerance: o.clockSkewSeconds ?? 5,
        requiredClaims: ['sub', 'sid', 'exp', 'iat'],
      }));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw new TokenVerificationError('token_expired', 'The session token has expired.');
      if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === 'nbf') {
        throw new TokenVerificationError('token_not_active_yet', 'The session token is not valid yet.');
      }
      throw new TokenVerificationError('token_invalid', `The session token is invalid: ${(err as Error).message}`);
    }
    if (o.authorizedParties && (typeof payload.azp !== 'string' || !o.authorizedParties.includes(payload.azp))) {
      throw new TokenVerificationError('token_invalid_authorized_party', `The token was minted for ${String(payload.azp)}.`);
    }
    return payload as SessionClaims;
  };
}

/** The token of a request: `Authorization: Bearer …`, else the `__session` cookie (same-site apps). */
export function sessionTokenFromRequest(req: Request): string | null {
  const auth = req.headers.get('authorization');
  if (auth?.toLowerCase().startsWith('bearer ')) return auth.slice(7).trim() || null;
  const cookie = req.headers.get('cookie') ?? '';
  const m = cookie.match(/(?:^|;\s*)__session=([^;]+)/);
  return m ? decodeURIComponent(m[1]!) : null;
}

/** For fetch-style handlers: the verified claims of the request, or null when signed out/invalid. */
export async function authenticateRequest(
  req: Request,
  verify: (token: string | null | undefined) => Promise<SessionClaims>,
): Promise<{ signedIn: true; claims: SessionClaims } | { signedIn: false; reason: TokenErrorCode }> {
  try {
    return { signedIn: true, claims: await verify(sessionTokenFromRequest(req)) };
  } catch (err) {
    if (err instanceof TokenVerificationError) return { signedIn: false, reason: err.code };
    throw err;
  }
}
