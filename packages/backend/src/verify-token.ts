/**
 * Session-token verification for app servers: no call to Latchkey per request. The JWKS is
 * fetched once and cached (refetched when a token names an unknown key, i.e. after a rotation),
 * and the checks are the ones a session token needs: signature, issuer, expiry with small clock
 * skew, and the authorized party (`azp`) when the app lists its origins.
 *
 * The per-token work is synchronous node:crypto: split the compact JWT, check the header (cached
 * per distinct header segment), pick the `KeyObject` built once per JWKS key, `crypto.verify`, then
 * decode and check the claims. Only fetching the JWKS is asynchronous. What is accepted and refused,
 * and with which code, is what the previous jose-based verifier (`jwtVerify` + `createRemoteJWKSet`)
 * did; `verify-token.differential.test.ts` checks that against jose. One deliberate difference:
 * segments must be canonical unpadded base64url (RFC 7515), where jose also takes `=` padding,
 * embedded whitespace and non-zero trailing bits — so a signature has exactly one spelling.
 */
import { createPublicKey, verify as cryptoVerify, type JsonWebKey, type KeyObject } from 'node:crypto';

export interface SessionClaims {
  /** Session id. */
  sid: string;
  /** User id. */
  sub: string;
  /** The origin that asked for the token. */
  azp?: string;
  /** Claims format version (2). */
  v?: number;
  /** `"pending"`: a recovery session that has not added a passkey (refused unless `treatPendingAsSignedOut: false`). */
  sts?: 'pending';
  iss?: string;
  aud?: string | string[];
  jti?: string;
  nbf?: number;
  exp?: number;
  iat?: number;
  [claim: string]: unknown;
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
  /** A JWKS fetch that has not answered after this long (ms) is abandoned. Default 5000. */
  jwksTimeoutMs?: number;
  /**
   * A token with `sts: "pending"` belongs to a session signed in with a recovery code that has
   * not added a passkey yet: it may only do that. By default it is refused as `session_pending`
   * (signed out); `false` accepts it, for the rare route that must see such sessions.
   */
  treatPendingAsSignedOut?: boolean;
}

export type TokenErrorCode = 'token_missing' | 'token_invalid' | 'token_expired' | 'token_not_active_yet' | 'token_invalid_authorized_party' | 'session_pending';

export class TokenVerificationError extends Error {
  override readonly name = 'TokenVerificationError';
  constructor(
    readonly code: TokenErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The key set is refetched before use once it is this old. */
const JWKS_MAX_AGE_MS = 10 * 60_000;
/** Distinct header segments remembered per verifier (a real deployment has one per signing key). */
const HEADER_CACHE_LIMIT = 64;

type Alg = 'ES256' | 'RS256';

/** A parsed, checked JOSE header: everything the verifier needs from it. */
interface Header {
  readonly alg: Alg;
  /** `undefined` when the header has no `kid`; any other JSON value as sent. */
  readonly kid: unknown;
}

/** One JWKS key usable for an algorithm; `verifyWith` is null when the key cannot verify (see `indexJwks`). */
interface VerificationKey {
  readonly verifyWith: KeyObject | { readonly key: KeyObject; readonly dsaEncoding: 'ieee-p1363' } | null;
  readonly problem: string;
}

/** Several keys of the set fit the token's `alg`/`kid`: refused, as jose does. */
const AMBIGUOUS = Symbol('ambiguous');
/** Returned by the synchronous path when the key set must be (re)fetched first. */
const NEED_KEYS = Symbol('need keys');

type KeyMatch = VerificationKey | typeof AMBIGUOUS | undefined;

interface AlgKeys {
  readonly byKid: Map<string, VerificationKey | typeof AMBIGUOUS>;
  readonly all: VerificationKey[];
}

interface KeyIndex {
  readonly ES256: AlgKeys;
  readonly RS256: AlgKeys;
}

const invalid = (reason: string) => new TokenVerificationError('token_invalid', `The session token is invalid: ${reason}.`);

/** Whole token: three non-empty segments of the base64url alphabet (no padding, no whitespace). */
const COMPACT_JWS = /^[\w-]+\.[\w-]+\.[\w-]+$/;
const B64URL_VALUE = new Int8Array(128).fill(-1);
for (const [i, c] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'].entries()) B64URL_VALUE[c.charCodeAt(0)] = i;

/**
 * Canonical base64url (RFC 4648 §3.5) for a segment of alphabet characters: a length that encodes
 * whole bytes, and zero bits after the last byte.
 */
function canonicalBase64url(s: string, start: number, end: number): boolean {
  const rest = (end - start) & 3;
  if (rest === 0) return true;
  if (rest === 1) return false;
  return (B64URL_VALUE[s.charCodeAt(end - 1)]! & (rest === 2 ? 0x0f : 0x03)) === 0;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** base64url → strict UTF-8 → JSON; a plain object or null. */
function decodeJsonObject(segment: string): Record<string, unknown> | null {
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(Buffer.from(segment, 'base64url')));
  } catch {
    return null;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function parseHeader(segment: string): Header {
  const h = decodeJsonObject(segment);
  if (!h) throw invalid('the header is not a base64url JSON object');
  const crit = h.crit;
  if (crit !== undefined) {
    // RFC 7515 §4.1.11. The only extension jose knows is `b64`, and JWTs cannot use b64: false.
    if (!Array.isArray(crit) || crit.length === 0 || crit.some((p) => typeof p !== 'string' || p.length === 0)) {
      throw invalid('"crit" must be an array of non-empty strings');
    }
    for (const p of crit as string[]) {
      if (p !== 'b64') throw invalid(`the critical header parameter "${p}" is not supported`);
      if (!Object.hasOwn(h, p) || h[p] === undefined) throw invalid(`the critical header parameter "${p}" is missing`);
    }
    if (typeof h.b64 !== 'boolean') throw invalid('"b64" must be a boolean');
    if (!h.b64) throw invalid('JWTs must not use an unencoded payload');
  }
  const alg = h.alg;
  if (typeof alg !== 'string' || !alg) throw invalid('the header has no "alg"');
  if (alg !== 'ES256' && alg !== 'RS256') throw invalid(`the algorithm ${JSON.stringify(alg).slice(0, 40)} is not allowed`);
  return { alg, kid: h.kid };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Object.prototype.toString.call(v) !== '[object Object]') return false;
  const proto = Object.getPrototypeOf(v) as object | null;
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** The algorithm a JWK may verify, under jose's rules for picking a key from a set; null if none. */
function jwkAlgorithm(jwk: Record<string, unknown>): Alg | null {
  const { kty, key_ops: ops, ext, alg, use, crv } = jwk;
  if (ext !== undefined && typeof ext !== 'boolean') return null;
  if (ops !== undefined && !(Array.isArray(ops) && ops.every((op, i) => typeof op === 'string' && ops.indexOf(op) === i) && ops.includes('verify'))) {
    return null;
  }
  if (use !== undefined && use !== 'sig') return null;
  const fits: Alg | null = kty === 'EC' && crv === 'P-256' ? 'ES256' : kty === 'RSA' ? 'RS256' : null;
  return fits && (alg === undefined || alg === fits) ? fits : null;
}

/**
 * Builds a `KeyObject` per usable key, once per fetch. A key that fits an algorithm but cannot be
 * used (not importable, a private key, RSA under 2048 bits, `key_ops` other than `verify`) still
 * counts when matching, and refuses the tokens that pick it, as with jose.
 */
function indexJwks(json: unknown): KeyIndex {
  if (!isPlainObject(json) || !Array.isArray(json.keys) || !json.keys.every(isPlainObject)) throw new Error('the JWKS is malformed');
  const index: KeyIndex = { ES256: { byKid: new Map(), all: [] }, RS256: { byKid: new Map(), all: [] } };
  for (const jwk of json.keys as Record<string, unknown>[]) {
    const alg = jwkAlgorithm(jwk);
    if (!alg) continue;
    let entry: VerificationKey;
    try {
      if (jwk.d !== undefined || jwk.priv !== undefined) throw new Error('the JWKS holds a private key');
      if (Array.isArray(jwk.key_ops) && jwk.key_ops.some((op) => op !== 'verify')) throw new Error('a public key can only verify');
      const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
      if (alg === 'RS256' && !((key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048)) throw new Error('RS256 requires a key of 2048 bits or more');
      entry = { verifyWith: alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key, problem: '' };
    } catch (err) {
      entry = { verifyWith: null, problem: (err as Error).message };
    }
    const keys = index[alg];
    keys.all.push(entry);
    if (typeof jwk.kid === 'string') keys.byKid.set(jwk.kid, keys.byKid.has(jwk.kid) ? AMBIGUOUS : entry);
  }
  return index;
}

function findKey(index: KeyIndex, h: Header): KeyMatch {
  const keys = index[h.alg];
  if (h.kid === undefined) return keys.all.length === 1 ? keys.all[0] : keys.all.length ? AMBIGUOUS : undefined;
  return typeof h.kid === 'string' ? keys.byKid.get(h.kid) : undefined;
}

/** The remote key set: fetched on first use, again when stale, and on unknown keys at most once per cooldown. */
class RemoteKeySet {
  index: KeyIndex | null = null;
  private fetchedAt = 0;
  private attemptedAt = -Infinity;
  private pending: Promise<void> | null = null;

  constructor(
    private readonly url: string,
    private readonly cooldownMs: number,
    private readonly timeoutMs: number,
  ) {}

  isFresh(now: number): boolean {
    return this.index !== null && now < this.fetchedAt + JWKS_MAX_AGE_MS;
  }

  /**
   * May a token naming an unknown key make us fetch again? Yes while a fetch is under way (it waits
   * for that one), else once the cooldown since the last attempt, failed or not, has passed.
   */
  mayRefetch(now: number): boolean {
    return this.pending !== null || now >= this.attemptedAt + this.cooldownMs;
  }

  /** One fetch at a time; callers arriving meanwhile share it. */
  refresh(): Promise<void> {
    this.pending ??= this.load().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  private async load(): Promise<void> {
    this.attemptedAt = Date.now();
    const res = await fetch(this.url, {
      redirect: 'manual',
      signal: AbortSignal.timeout(this.timeoutMs),
      headers: { accept: 'application/json, application/jwk-set+json', 'user-agent': 'latchkey-backend' },
    });
    if (res.status !== 200) {
      await res.body?.cancel();
      throw new Error(`the JWKS endpoint answered ${res.status}`);
    }
    this.index = indexJwks(await res.json());
    this.fetchedAt = Date.now();
  }
}

/**
 * @example
 * const verify = createTokenVerifier({ jwksUrl: 'http://localhost:4000/.well-known/jwks.json' });
 * const claims = await verify(bearerToken); // claims.sub is the user id
 */
export function createTokenVerifier(o: VerifierOptions): (token: string | null | undefined) => Promise<SessionClaims> {
  const url = new URL(o.jwksUrl).href;
  const skew = o.clockSkewSeconds ?? 5;
  if (typeof skew !== 'number' || !Number.isFinite(skew) || skew < 0) throw new TypeError('clockSkewSeconds must be a non-negative number');
  const cooldownMs = o.jwksCooldownMs ?? 1000;
  if (typeof cooldownMs !== 'number' || Number.isNaN(cooldownMs) || cooldownMs < 0) throw new TypeError('jwksCooldownMs must be a non-negative number');
  const timeoutMs = o.jwksTimeoutMs ?? 5_000;
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0) || !Number.isFinite(timeoutMs)) throw new TypeError('jwksTimeoutMs must be a positive number');
  const issuer = o.issuer;
  const parties = o.authorizedParties ? new Set(o.authorizedParties) : null;
  const jwks = new RemoteKeySet(url, cooldownMs, timeoutMs);
  const headerCache = new Map<string, Header>();

  function headerOf(segment: string): Header {
    let h = headerCache.get(segment);
    if (h === undefined) {
      h = parseHeader(segment);
      if (headerCache.size >= HEADER_CACHE_LIMIT) headerCache.clear();
      headerCache.set(segment, h);
    }
    return h;
  }

  /** Everything but the fetch. `refetched`: the key set was just fetched for this token. */
  function verifyNow(token: string, refetched: boolean): SessionClaims | typeof NEED_KEYS {
    if (!COMPACT_JWS.test(token)) throw invalid('not a compact JWS of three base64url segments');
    const dot1 = token.indexOf('.');
    const dot2 = token.indexOf('.', dot1 + 1);
    if (!canonicalBase64url(token, 0, dot1) || !canonicalBase64url(token, dot1 + 1, dot2) || !canonicalBase64url(token, dot2 + 1, token.length)) {
      throw invalid('a segment is not canonical base64url');
    }
    const header = headerOf(token.slice(0, dot1));

    const now = Date.now();
    if (!refetched && !jwks.isFresh(now)) return NEED_KEYS;
    const key = findKey(jwks.index!, header);
    if (key === undefined) {
      if (!refetched && jwks.mayRefetch(now)) return NEED_KEYS;
      throw invalid('no key of the JWKS matches the token');
    }
    if (key === AMBIGUOUS) throw invalid('several keys of the JWKS match the token');
    if (key.verifyWith === null) throw invalid(key.problem);

    let valid: boolean;
    try {
      valid = cryptoVerify('sha256', Buffer.from(token.slice(0, dot2), 'latin1'), key.verifyWith, Buffer.from(token.slice(dot2 + 1), 'base64url'));
    } catch {
      valid = false;
    }
    if (!valid) throw invalid('signature verification failed');

    const claims = decodeJsonObject(token.slice(dot1 + 1, dot2));
    if (!claims) throw invalid('the payload is not a JSON object');
    return checkClaims(claims, Math.floor(now / 1000));
  }

  /** The checks jose's `jwtVerify` made, in its order (which decides the error code), then `azp`. */
  function checkClaims(c: Record<string, unknown>, now: number): SessionClaims {
    if (issuer !== undefined && !Object.hasOwn(c, 'iss')) throw invalid('the "iss" claim is missing');
    for (const claim of ['iat', 'exp', 'sid', 'sub']) {
      if (!Object.hasOwn(c, claim)) throw invalid(`the "${claim}" claim is missing`);
    }
    if (issuer !== undefined && c.iss !== issuer) throw invalid('unexpected "iss" claim value');
    if (typeof c.iat !== 'number') throw invalid('the "iat" claim must be a number');
    const nbf = c.nbf;
    if (nbf !== undefined) {
      // A non-numeric nbf reads as "not active yet": jose reports it against the nbf claim.
      if (typeof nbf !== 'number') throw new TokenVerificationError('token_not_active_yet', 'The session token is not valid yet.');
      if (nbf > now + skew) throw new TokenVerificationError('token_not_active_yet', 'The session token is not valid yet.');
    }
    const exp = c.exp;
    if (typeof exp !== 'number') throw invalid('the "exp" claim must be a number');
    if (exp <= now - skew) throw new TokenVerificationError('token_expired', 'The session token has expired.');
    if (parties && (typeof c.azp !== 'string' || !parties.has(c.azp))) {
      throw new TokenVerificationError('token_invalid_authorized_party', `The token was minted for ${String(c.azp)}.`);
    }
    // Last, so a pending token that is also bad for another reason reports that reason.
    if (c.sts === 'pending' && o.treatPendingAsSignedOut !== false) {
      throw new TokenVerificationError('session_pending', 'The session is pending: it was signed in with a recovery code and must add a passkey first.');
    }
    return c as SessionClaims;
  }

  return async function verifyToken(token) {
    if (!token) throw new TokenVerificationError('token_missing', 'No session token was sent.');
    if (typeof token !== 'string') throw invalid('the token is not a string');
    const claims = verifyNow(token, false);
    if (claims !== NEED_KEYS) return claims;
    try {
      await jwks.refresh();
    } catch (err) {
      throw invalid(`the JWKS could not be fetched (${(err as Error).message})`);
    }
    const retried = verifyNow(token, true);
    if (retried === NEED_KEYS) throw invalid('no key of the JWKS matches the token'); // not reached: refetched
    return retried;
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

/**
 * Who made a request: `userId` and `sessionId` from a verified session token, or why not.
 * `getToken()` answers the verified token itself (to forward to another service of the app), or
 * null when signed out.
 */
export type RequestAuth =
  | { signedIn: true; userId: string; sessionId: string; claims: SessionClaims; getToken: () => Promise<string> }
  | { signedIn: false; userId: null; sessionId: null; reason: TokenErrorCode; getToken: () => Promise<null> };

/** For fetch-style handlers: the request's verified session, or signed out with the reason. */
export async function authenticateRequest(req: Request, verify: (token: string | null | undefined) => Promise<SessionClaims>): Promise<RequestAuth> {
  const token = sessionTokenFromRequest(req);
  try {
    const claims = await verify(token);
    return { signedIn: true, userId: claims.sub, sessionId: claims.sid, claims, getToken: async () => token! };
  } catch (err) {
    if (err instanceof TokenVerificationError) return { signedIn: false, userId: null, sessionId: null, reason: err.code, getToken: async () => null };
    throw err;
  }
}
