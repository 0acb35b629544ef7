/**
 * Secret keys: what an app server presents to the backend API (`Authorization: Bearer sk_…`).
 * A key is 256 random bits after a prefix naming the instance's mode (`sk_test_`, `sk_live_`).
 * It is shown once, at creation; only its SHA-256 is stored. A fast hash is right for 256 random
 * bits (nothing to brute-force, unlike a password), and it lets a request find its key through the
 * unique index on the hash; the digests are then compared with `timingSafeEqual`, so no secret is
 * compared byte by byte with early exit.
 *
 * `LATCHKEY_SECRET_KEY` pins one more key for deployments configured by environment: hashed when
 * the process starts, never written to the database, and not revocable except by removing it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { type AuditContext, audit } from '../audit/index.js';
import type { Mode } from '../config/index.js';
import { fail } from '../errors/index.js';
import type { Store } from '../store/db.js';
import type { SecretKeyRow } from '../store/schema.js';
import * as secretKeys from '../store/secret-keys.js';
import { newId } from '../util/ids.js';
import { randomBase64url } from '../util/random.js';
import type { Clock } from '../util/time.js';

/** `sk_test_` or `sk_live_`, then 43 base64url characters (32 bytes). */
export const SECRET_KEY_PATTERN = /^sk_(test|live)_[A-Za-z0-9_-]{32,128}$/;
/** Use is recorded at most this often per key: a busy app server must not write on every call. */
export const LAST_USED_WRITE_INTERVAL_MS = 60_000;
/** The id the audit log names for the environment's pinned key. */
export const PINNED_KEY_ID = 'env:LATCHKEY_SECRET_KEY';

export type KeyMode = 'test' | 'live';

/** Who a backend API call acts as. */
export interface KeyActor {
  id: string;
  name: string;
}

/** Keys made from the command line: an administrator acts (the dashboard passes its own, named one). */
const ADMIN: AuditContext = { actor: { type: 'admin', id: null } };

const digest = (key: string) => createHash('sha256').update(key).digest();
const keyMode = (mode: Mode): KeyMode => (mode === 'production' ? 'live' : 'test');

/** A key as `latchkey keys list` and the dashboard show it: never the key, only its last characters. */
export type SecretKeyInfo = Omit<SecretKeyRow, 'key_hash'>;

export class SecretKeys {
  private readonly pinned: Buffer | null;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly mode: Mode,
    pinnedKey: string | null = null,
  ) {
    this.pinned = pinnedKey ? digest(pinnedKey) : null;
  }

  /** Creates a key; the returned `key` is the only time it exists outside the caller. */
  async create(name: string, ctx: AuditContext = ADMIN): Promise<{ key: string; info: SecretKeyInfo }> {
    const trimmed = name.trim();
    if (!trimmed || trimmed.length > 64) throw fail('form_param_format_invalid', { param: 'name', why: 'A key name is 1–64 characters.' });
    const mode = keyMode(this.mode);
    const key = `sk_${mode}_${randomBase64url(32)}`;
    const now = this.clock.now();
    const row: SecretKeyRow = {
      id: newId('key'),
      name: trimmed,
      mode,
      key_hash: digest(key).toString('base64url'),
      key_hint: key.slice(-4),
      created_at: now,
      last_used_at: null,
      revoked_at: null,
    };
    await this.store.db.transaction().execute(async (trx) => {
      await secretKeys.insert(trx, row);
      await audit(trx, now, 'secret_key.created', { data: { secret_key_id: row.id, name: row.name }, ctx });
    });
    const { key_hash: _, ...info } = row;
    return { key, info };
  }

  async list(): Promise<SecretKeyInfo[]> {
    return (await secretKeys.all(this.store.db)).map(({ key_hash: _, ...info }) => info);
  }

  /** Revokes a key at once; false if there is no such live key. */
  async revoke(id: string, ctx: AuditContext = ADMIN): Promise<boolean> {
    const now = this.clock.now();
    return this.store.db.transaction().execute(async (trx) => {
      const revoked = await secretKeys.revoke(trx, id, now);
      if (revoked) await audit(trx, now, 'secret_key.revoked', { data: { secret_key_id: id }, ctx });
      return revoked;
    });
  }

  /**
   * The key an `Authorization` header presents, or `authentication_invalid` (401) saying why:
   * no bearer, a publishable key, a malformed, unknown or revoked key, or a key of the other mode.
   */
  async authenticate(header: string | undefined): Promise<KeyActor> {
    const presented = header?.startsWith('Bearer ') ? header.slice(7).trim() : null;
    if (!presented) throw fail('secret_key_required');
    if (presented.startsWith('pk_')) {
      throw fail('authentication_invalid', { why: 'That is a publishable key, which is for browsers; the backend API needs a secret key (sk_…).' });
    }
    const m = SECRET_KEY_PATTERN.exec(presented);
    if (!m) throw fail('authentication_invalid', { why: 'The bearer token is not a secret key (sk_test_… or sk_live_…).' });
    if (m[1] !== keyMode(this.mode)) {
      throw fail('authentication_invalid', { why: `This is a ${this.mode} instance; its secret keys start with sk_${keyMode(this.mode)}_.` });
    }
    const hash = digest(presented);
    if (this.pinned && timingSafeEqual(hash, this.pinned)) return { id: PINNED_KEY_ID, name: 'LATCHKEY_SECRET_KEY' };
    const row = await secretKeys.byHash(this.store.db, hash.toString('base64url'));
    // The index found it by hash; compare the digests once more in constant time anyway, so the
    // decision never rests on a byte-by-byte string comparison.
    if (!row || !timingSafeEqual(Buffer.from(row.key_hash, 'base64url'), hash)) {
      throw fail('authentication_invalid', { why: 'This secret key is not known to this instance.' });
    }
    if (row.revoked_at !== null) throw fail('authentication_invalid', { why: 'This secret key has been revoked.' });
    const now = this.clock.now();
    if (row.last_used_at === null || now - row.last_used_at >= LAST_USED_WRITE_INTERVAL_MS) {
      await secretKeys.markUsed(this.store.db, row.id, now, now - LAST_USED_WRITE_INTERVAL_MS);
    }
    return { id: row.id, name: row.name };
  }
}
