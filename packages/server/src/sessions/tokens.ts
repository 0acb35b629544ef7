/**
 * Session tokens: short-lived JWTs that app servers verify without calling us (JWKS). Claims
 * follow Clerk's v2 session token: `sid`, `sub`, `iss`, `azp` (the origin that asked), `iat`,
 * `nbf`, `exp`, `v`, and `sts: "pending"` for a session signed in with a recovery code that has
 * not yet added a passkey (Clerk's claim for a session with tasks left): app servers treat such a
 * token as signed out (docs/recovery.md).
 */
import type { SigningKeys } from './keys.js';

/** Tolerates a few seconds of clock skew between us and app servers. */
const NBF_SKEW_SECONDS = 5;

interface Minted {
  jwt: string;
  expiresAt: number;
  kid: string;
}

export interface TokenInput {
  sessionId: string;
  userId: string;
  azp: string | null;
  lifetimeSeconds: number;
  nowMs: number;
  /** A limited (recovery) session: the token says `sts: "pending"`. */
  limited?: boolean;
}

/** What a token is minted for: the session's id, user and whether it is limited. */
type TokenSession = { id: string; user_id: string; limited?: number };

/** A cached token is handed out again only while at least this much of its life is left. */
const MIN_REMAINING_MS = 20_000;
const CACHE_LIMIT = 10_000;
/** A token at most this old counts as fresh. */
const FRESH_MS = 2_000;

export class SessionTokens {
  /** Recent tokens per session and origin, for the `last_active_token` embedded in session objects. */
  private readonly recent = new Map<string, Minted>();

  constructor(
    private readonly keys: SigningKeys,
    private readonly issuer: string,
  ) {}

  async mint(t: TokenInput): Promise<Minted> {
    const key = await this.keys.current();
    const iat = Math.floor(t.nowMs / 1000);
    const exp = iat + t.lifetimeSeconds;
    const claims: Record<string, unknown> = { sid: t.sessionId, v: 2 };
    if (t.limited) claims.sts = 'pending';
    if (t.azp) claims.azp = t.azp;
    claims.sub = t.userId;
    claims.iss = this.issuer;
    claims.iat = iat;
    claims.nbf = iat - NBF_SKEW_SECONDS;
    claims.exp = exp;
    return { jwt: key.sign(claims), expiresAt: exp * 1000, kid: key.kid };
  }

  /** A token for the session, reusing a recent one: client objects embed one per live session. */
  async cached(s: TokenSession, lifetimeSeconds: number, azp: string | null, nowMs: number): Promise<string> {
    // The limit is part of the key: once lifted, a cached `pending` token is not handed out again.
    const key = `${s.id} ${azp ?? ''}${s.limited ? ' pending' : ''}`;
    const hit = this.recent.get(key);
    if (hit && hit.expiresAt - nowMs > MIN_REMAINING_MS) return hit.jwt;
    const minted = await this.mint({ sessionId: s.id, userId: s.user_id, azp, lifetimeSeconds, nowMs, limited: Boolean(s.limited) });
    this.remember(key, minted);
    return minted.jwt;
  }

  /**
   * A fresh token (the `/tokens` endpoint), remembered for later client objects. "Fresh" means
   * minted within the last FRESH_MS: right after a sign-in the SDK asks for the token that the
   * sign-in's answer already carried, and re-signing identical claims a moment later buys nothing.
   */
  async fresh(s: TokenSession, lifetimeSeconds: number, azp: string | null, nowMs: number): Promise<string> {
    const key = `${s.id} ${azp ?? ''}${s.limited ? ' pending' : ''}`;
    const hit = this.recent.get(key);
    // …and signed with the current key: after a rotation, fresh means the new key.
    if (hit && hit.expiresAt - nowMs >= lifetimeSeconds * 1000 - FRESH_MS && hit.kid === (await this.keys.current()).kid) return hit.jwt;
    const minted = await this.mint({ sessionId: s.id, userId: s.user_id, azp, lifetimeSeconds, nowMs, limited: Boolean(s.limited) });
    this.remember(key, minted);
    return minted.jwt;
  }

  private remember(key: string, value: Minted): void {
    // Insertion-ordered Map: dropping the first key evicts the oldest entry.
    if (this.recent.size >= CACHE_LIMIT) this.recent.delete(this.recent.keys().next().value!);
    this.recent.delete(key);
    this.recent.set(key, value);
  }
}
