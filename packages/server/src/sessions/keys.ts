/**
 * Session-token signing keys. The first process to start creates an ES256 key in the `current`
 * slot (a unique column, so two processes racing insert one key between them); rotation moves it
 * to `previous`, which the JWKS keeps publishing so tokens signed a moment ago still verify.
 */
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Store } from '../store/db.js';
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
    const current = await this.store.db.selectFrom('signing_keys').select(['kid', 'alg']).where('slot', '=', 'current').executeTakeFirst();
    if (current?.alg === this.alg) return;
    if (current) {
      await this.rotate();
      return;
    }
    const row = await this.newKeyRow('current');
    await this.store.db.insertInto('signing_keys').values(row).onConflict((oc) => oc.column('slot').doNothing()).execute();
  }

  async current(): Promise<ActiveKey> {
    const now = this.clock.now();
    if (this.active && now - this.active.loadedAt < RELOAD_MS) return this.active.key;
    const row = await this.store.db.selectFrom('signing_keys').selectAll().where('slot', '=', 'current').executeTakeFirst();
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
    const rows = await this.store.db
      .selectFrom('signing_keys')
      .select(['public_jwk'])
      .where('slot', 'in', ['current', 'previous'])
      // 'current' sorts before 'previous': the signing key comes first.
      .orderBy('slot', 'asc')
      .execute();
    const value = { keys: rows.map((r) => JSON.parse(r.public_jwk) as JWK) };
    this.jwks = { value, loadedAt: now };
    return value;
  }

  /** current → previous, previous → retired, new key → current; one transaction. */
  async rotate(): Promise<string> {
    const row = await this.newKeyRow('current');
    await this.store.db.transaction().execute(async (trx) => {
      await trx.updateTable('signing_keys').set({ slot: null }).where('slot', '=', 'previous').execute();
      await trx.updateTable('signing_keys').set({ slot: 'previous' }).where('slot', '=', 'current').execute();
      await trx.insertInto('signing_keys').values(row).execute();
      await audit(trx, this.clock.now(), 'signing_key.rotated', { data: { kid: row.kid } });
    });
    this.active = null;
    this.jwks = null;
    return row.kid;
  }

  private async newKeyRow(slot: 'current') {
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
