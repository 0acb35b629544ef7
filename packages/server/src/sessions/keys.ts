/**
 * Session-token signing keys. The first process to start creates an ES256 key in the `current`
 * slot (a unique column, so two processes racing insert one key between them); rotation moves it
 * to `previous`, which the JWKS keeps publishing so tokens signed a moment ago still verify.
 */
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Store } from '../store/db.js';
import * as signingKeys from '../store/signing-keys.js';
import type { Clock } from '../util/time.js';
import { audit } from '../audit/index.js';

import { jwtSigner, type JwtSigner, type SigningAlg } from './jwt.js';

export type { SigningAlg } from './jwt.js';
export type ActiveKey = JwtSigner;

/** Other processes may rotate; re-read the slot this often. */
const RELOAD_MS = 30_000;

export class SigningKeys {
  private active: { key: ActiveKey; loadedAt: number } | null = null;
  private jwks: { value: { keys: JWK[] }; loadedAt: number } | null = null;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly alg: SigningAlg = 'ES256',
  ) {}

  /**
   * Creates the first key if there is none, and rotates when the configured algorithm changed
   * (the old key stays published as `previous`, so tokens already out keep verifying).
   * Safe to call from many processes at once.
   */
  async ensureKey(): Promise<void> {
    const current = await signingKeys.current(this.store.db);
    if (current?.alg === this.alg) return;
    if (current) {
      await this.rotate();
      return;
    }
    const row = await this.newKeyRow('current');
    await signingKeys.insertFirst(this.store.db, row);
  }

  async current(): Promise<ActiveKey> {
    const now = this.clock.now();
    if (this.active && now - this.active.loadedAt < RELOAD_MS) return this.active.key;
    const row = await signingKeys.current(this.store.db);
    if (!row) throw new Error('No signing key: ensureKey() must run at start-up');
    if (this.active?.key.kid !== row.kid) {
      this.active = { key: jwtSigner(JSON.parse(row.private_jwk) as JWK, row.kid, row.alg as SigningAlg), loadedAt: now };
    } else {
      this.active.loadedAt = now;
    }
    return this.active.key;
  }

  /** The public keys of the current and previous slots. */
  async publicJwks(): Promise<{ keys: JWK[] }> {
    const now = this.clock.now();
    if (this.jwks && now - this.jwks.loadedAt < RELOAD_MS) return this.jwks.value;
    const value = { keys: (await signingKeys.publishedPublicKeys(this.store.db)).map((jwk) => JSON.parse(jwk) as JWK) };
    this.jwks = { value, loadedAt: now };
    return value;
  }

  /** current → previous, previous → retired, new key → current; one transaction. */
  async rotate(): Promise<string> {
    const row = await this.newKeyRow('current');
    await this.store.db.transaction().execute(async (trx) => {
      await signingKeys.rotateTo(trx, row);
      await audit(trx, this.clock.now(), 'signing_key.rotated', { data: { kid: row.kid } });
    });
    this.active = null;
    this.jwks = null;
    return row.kid;
  }

  private async newKeyRow(slot: 'current'): Promise<signingKeys.SigningKeyRow> {
    const { privateKey, publicKey } = await generateKeyPair(this.alg, { extractable: true, modulusLength: 2048 });
    const kid = `ins_${randomBytes(12).toString('base64url')}`;
    const pub = { ...(await exportJWK(publicKey)), kid, alg: this.alg, use: 'sig' };
    const priv = { ...(await exportJWK(privateKey)), kid, alg: this.alg };
    return {
      kid,
      alg: this.alg,
      private_jwk: JSON.stringify(priv),
      public_jwk: JSON.stringify(pub),
      slot,
      created_at: this.clock.now(),
    };
  }
}
