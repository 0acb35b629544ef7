/**
 * The snapshot's session read on PostgreSQL is one statement with JSON aggregates; it must give
 * exactly the rows the separate reads give (sessions.activeOfClient, users.byId,
 * identifiers.ofUser, passkeys.ofUser), with bytea back as bytes and bigints as numbers. Both
 * engines run here: SQLite takes the separate reads, so the two paths are held to one answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshStore, type TestEngine } from '../../test/support/database.js';
import { activeWithOwners } from './client-sessions.js';
import * as identifiers from './identifiers.js';
import { migrateToLatest } from './migrations.js';
import * as passkeys from './passkeys.js';
import type { PasskeyRow, SessionRow } from './schema.js';
import * as sessions from './sessions.js';
import type { Db } from './types.js';
import * as users from './users.js';

const t = 1_800_000_000_000;

function session(id: string, userId: string, o: Partial<SessionRow> = {}): SessionRow {
  return { id, client_id: 'client_1', user_id: userId, status: 'active', last_active_at: t, expire_at: t + 1e9, created_at: t, updated_at: t, limited: 0, ...o };
}

function passkey(id: string, userId: string, createdAt: number, key: number[]): PasskeyRow {
  return {
    id,
    user_id: userId,
    credential_id: `cred_${id}`,
    public_key: Buffer.from(key),
    alg: -7,
    counter: 2 ** 40, // beyond 32 bits: must come back as the same number
    transports: '["internal","hybrid"]',
    aaguid: '00000000-0000-0000-0000-000000000000',
    backup_eligible: 1,
    backup_state: 0,
    name: 'Chrome on Linux',
    provider_name: 'Google Password Manager',
    last_used_at: null,
    created_at: createdAt,
    updated_at: createdAt,
  };
}

/** Two users, one with two sessions; identifiers and passkeys out of insertion order; one ended and one other client's session. */
async function seed(db: Db): Promise<void> {
  for (const id of ['user_a', 'user_b']) {
    await users.insert(db, { id, user_handle: `handle_${id}`, created_at: t, updated_at: t + 5, last_sign_in_at: t + 7, public_metadata: '{"plan":"pro"}' });
  }
  await identifiers.insert(db, { id: 'idn_2', user_id: 'user_a', type: 'email_address', value: 'A@example.com', normalized: 'a@example.com', created_at: t + 2, verified_at: t + 3 });
  await identifiers.insert(db, { id: 'idn_1', user_id: 'user_a', type: 'username', value: 'alice', normalized: 'alice', created_at: t + 1 });
  await passkeys.insert(db, passkey('pk_2', 'user_a', t + 2, [0, 255, 1, 128]));
  await passkeys.insert(db, passkey('pk_1', 'user_a', t + 1, [4, 3, 2, 1, 0]));
  await sessions.insert(db, session('sess_3', 'user_b', { created_at: t + 3 }));
  await sessions.insert(db, session('sess_1', 'user_a', { created_at: t + 1 }));
  await sessions.insert(db, session('sess_2', 'user_a', { created_at: t + 2 }));
  await sessions.insert(db, session('sess_4', 'user_a', { status: 'ended', created_at: t + 4 }));
  await sessions.insert(db, session('sess_5', 'user_a', { client_id: 'client_2', created_at: t + 5 }));
}

/** What the separate reads give, for the sessions `keep` accepts. */
async function separately(db: Db, keep: (s: SessionRow) => boolean) {
  const kept = (await sessions.activeOfClient(db, 'client_1')).filter(keep);
  const owners = new Map();
  for (const s of kept) {
    const user = await users.byId(db, s.user_id);
    owners.set(s.user_id, { user, identifiers: await identifiers.ofUser(db, s.user_id), passkeys: await passkeys.ofUser(db, s.user_id) });
  }
  return { sessions: kept, owners };
}

/** Bytes as plain arrays, so a Buffer and a Uint8Array with the same bytes compare equal. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (v instanceof Uint8Array ? { bytes: [...v] } : v)));
}

describe.each(['sqlite', 'postgres'] as TestEngine[])('a client snapshot’s sessions and owners (%s)', (engine) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const fresh = await freshStore(engine);
    db = fresh.store.db;
    cleanup = fresh.cleanup;
    await migrateToLatest(db, engine);
    await seed(db);
  });
  afterAll(() => cleanup());

  it('gives the rows the separate reads give, oldest session first', async () => {
    const all = await activeWithOwners(db, 'client_1', { keep: () => true });
    expect(all.sessions.map((s) => s.id)).toEqual(['sess_1', 'sess_2', 'sess_3']);
    expect(plain(all)).toEqual(plain(await separately(db, () => true)));
    const a = all.owners.get('user_a')!;
    expect(a.identifiers.map((i) => i.id)).toEqual(['idn_1', 'idn_2']);
    expect(a.passkeys.map((p) => p.id)).toEqual(['pk_1', 'pk_2']);
    expect([...a.passkeys[1]!.public_key]).toEqual([0, 255, 1, 128]);
    expect(a.passkeys[0]!.counter).toBe(2 ** 40);
    expect(all.owners.get('user_b')!.passkeys).toEqual([]);
  });

  it('leaves out the sessions keep refuses, and their owners when no kept session has them', async () => {
    const keep = (s: SessionRow) => s.id !== 'sess_3';
    const some = await activeWithOwners(db, 'client_1', { keep });
    expect(some.sessions.map((s) => s.id)).toEqual(['sess_1', 'sess_2']);
    expect([...some.owners.keys()]).toEqual(['user_a']);
    expect(plain(some)).toEqual(plain(await separately(db, keep)));
  });

  it('uses a user row the caller already holds instead of the stored one', async () => {
    const held = { ...(await users.byId(db, 'user_a'))!, last_sign_in_at: t + 99 };
    const r = await activeWithOwners(db, 'client_1', { keep: () => true, knownUsers: [held] });
    expect(r.owners.get('user_a')!.user.last_sign_in_at).toBe(t + 99);
    expect(r.owners.get('user_b')!.user.last_sign_in_at).toBe(t + 7);
  });

  it('gives nothing for a client without active sessions', async () => {
    expect(await activeWithOwners(db, 'client_none', { keep: () => true })).toEqual({ sessions: [], owners: new Map() });
  });
});
