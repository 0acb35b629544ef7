/**
 * Bulk-loads a Latchkey PostgreSQL database with N users, generated inside PostgreSQL
 * (`INSERT … SELECT generate_series(…)`), so a million users take about a minute rather than the
 * hours sign-up over HTTP would. Every user has a username identifier and 1–3 passkeys, and —
 * unless `history` is off — the rows one past sign-in left behind (its client, session and
 * completed sign-in): Latchkey keeps those, so they grow with the user base too.
 *
 * Ids, user handles, credential ids and token hashes are SHA-256 of the row's number, base64url:
 * unique, random-looking (so they land all over the indexes, as real random ids do) and
 * deterministic. Row sizes follow what sign-up writes: `user_`/`pk_`/… + 16 random bytes, 32-byte
 * user handles, credential ids of 16/20/32/64 bytes by provider, a real 77-byte COSE ES256 key
 * (the same one for every filler passkey), AAGUIDs, provider names, transports JSON.
 *
 * The measured users — the ones the load driver signs in — come from the bench with real ES256
 * key pairs and are spliced into the series at evenly spaced positions, so their rows sit all
 * over the heap and indexes like anyone else's, not together in the last pages.
 *
 * Indexes and constraints are dropped before the load and rebuilt after it with the exact
 * definitions the migrations made (read back from the catalog): a B-tree built from sorted input
 * costs a fraction of millions of random insertions, and no FK check runs row by row. The work
 * is spread over two connections.
 */
import type pg from 'pg';

export interface MeasuredRow {
  /** 1-based position in the series. */
  g: number;
  userId: string;
  userHandle: string;
  username: string;
  passkeyId: string;
  credentialId: string;
  /** COSE_Key bytes of the credential's public key. */
  publicKey: Uint8Array;
}

export interface LoadReport {
  /** Wall-clock seconds per phase, in order. */
  steps: Record<string, number>;
  /** Seconds per statement (statements of a phase run two at a time). */
  statements: Record<string, number>;
  totalSeconds: number;
  rows: Record<string, number>;
  /** Table and index bytes after the load. */
  bytes: Record<string, { table: number; indexes: number }>;
}

/** Tables the load fills; their indexes and constraints are rebuilt after it. */
export const LOADED_TABLES = ['users', 'identifiers', 'passkeys', 'clients', 'sessions', 'sign_ins'] as const;

/** What each hash is for: the kind goes into the hashed number, so every (kind, row) differs. */
export const K = {
  user: 1,
  handle: 2,
  idn: 3,
  name: 4,
  count: 5,
  pk: 6,
  cred: 7,
  cred2: 8,
  client: 9,
  token: 10,
  session: 11,
  signIn: 12,
  challenge: 13,
} as const;

const DAY_MS = 86_400_000;
const PARALLEL = 2;

export async function bulkLoad(
  connect: () => Promise<pg.Client>,
  o: {
    n: number;
    measured: MeasuredRow[];
    fillerPublicKey: Uint8Array;
    history: boolean;
    now: number;
    /** Experiment: a fillfactor for users and passkeys (the migrations set none, i.e. 100). */
    fillfactor?: number;
    log?: (s: string) => void;
  },
): Promise<LoadReport> {
  const t0 = performance.now();
  const steps: Record<string, number> = {};
  const statements: Record<string, number> = {};
  const conns: pg.Client[] = [];
  try {
    for (let i = 0; i < PARALLEL; i++) {
      const c = await connect();
      conns.push(c);
      // This session only: nothing here outlives the load.
      await c.query(`SET maintenance_work_mem = '256MB'`);
      await c.query(`SET work_mem = '64MB'`);
      await c.query(`SET synchronous_commit = off`);
    }
    const db = conns[0]!;
    const phase = async (name: string, jobs: [string, string, unknown[]?][]) => {
      const s = performance.now();
      await runQueue(conns, jobs, (job, seconds) => (statements[`${name}: ${job}`] = seconds));
      steps[name] = (performance.now() - s) / 1000;
      o.log?.(`    ${name}: ${steps[name]!.toFixed(1)} s`);
    };

    const tables = [...LOADED_TABLES];
    const saved = await saveSchema(db, tables);
    const fks = saved.constraints.filter((c) => c.type === 'f');
    const keys = saved.constraints.filter((c) => c.type !== 'f');
    await phase('drop foreign keys', fks.map((c) => [c.name, `ALTER TABLE ${c.table} DROP CONSTRAINT ${c.name}`]));
    await phase('drop indexes', [
      ...keys.map((c): [string, string] => [c.name, `ALTER TABLE ${c.table} DROP CONSTRAINT ${c.name}`]),
      ...saved.indexes.map((i): [string, string] => [i.name, `DROP INDEX ${i.name}`]),
    ]);

    if (o.fillfactor) {
      for (const t of ['users', 'passkeys']) await db.query(`ALTER TABLE ${t} SET (fillfactor = ${Number(o.fillfactor)})`);
    }

    // The measured users, where every connection can join them in.
    await db.query(`DROP TABLE IF EXISTS bench_measured`);
    await db.query(`CREATE UNLOGGED TABLE bench_measured (
                      g bigint PRIMARY KEY, user_id text, user_handle text, username text, passkey_id text, credential_id text, public_key bytea)`);
    const m = o.measured;
    await db.query(
      `INSERT INTO bench_measured SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bytea[])`,
      [
        m.map((r) => r.g),
        m.map((r) => r.userId),
        m.map((r) => r.userHandle),
        m.map((r) => r.username),
        m.map((r) => r.passkeyId),
        m.map((r) => r.credentialId),
        m.map((r) => Buffer.from(r.publicKey)),
      ],
    );
    await db.query(`ANALYZE bench_measured`);

    // Longest first, so the two connections finish together.
    const inserts = insertStatements(o);
    await phase('insert rows', inserts);
    // Primary keys and unique constraints come back as their index first, then the constraint
    // takes that index over (USING INDEX): index builds take a SHARE lock, so two can run on one
    // table at once, where ADD CONSTRAINT would lock the table for the whole build.
    await phase(
      'build indexes',
      [...keys.map((c): [string, string] => [c.name, c.indexDef!]), ...saved.indexes.map((i): [string, string] => [i.name, i.def])].sort(
        (a, b) => weight(b[1], o) - weight(a[1], o),
      ),
    );
    await phase(
      'primary keys and unique constraints',
      keys.map((c) => [c.name, `ALTER TABLE ${c.table} ADD CONSTRAINT ${c.name} ${c.type === 'p' ? 'PRIMARY KEY' : 'UNIQUE'} USING INDEX ${c.name}`]),
    );
    await phase(
      'foreign keys',
      saved.constraints.filter((c) => c.type === 'f').map((c) => [c.name, `ALTER TABLE ${c.table} ADD CONSTRAINT ${c.name} ${c.def}`]),
    );
    // Fresh planner statistics, and the load's dirty pages written out, so the measured run
    // starts from a database in its steady state. (No VACUUM: the hot path has no index-only
    // scans for a visibility map to help, and the index builds have already set hint bits.)
    await phase('analyze', tables.map((t) => [t, `ANALYZE ${t}`]));
    await phase('checkpoint', [['checkpoint', 'CHECKPOINT']]);
    await db.query('DROP TABLE bench_measured');

    const rows: Record<string, number> = {};
    const bytes: LoadReport['bytes'] = {};
    for (const t of tables) {
      const r = await db.query(`SELECT reltuples::bigint AS n, pg_table_size($1) AS t, pg_indexes_size($1) AS i FROM pg_class WHERE oid = $1::regclass`, [t]);
      rows[t] = Number(r.rows[0].n);
      bytes[t] = { table: Number(r.rows[0].t), indexes: Number(r.rows[0].i) };
    }
    return { steps, statements, totalSeconds: (performance.now() - t0) / 1000, rows, bytes };
  } finally {
    for (const c of conns) await c.end().catch(() => {});
  }
}

/** Runs the jobs in order on whichever connection is free. */
async function runQueue(conns: pg.Client[], jobs: [string, string, unknown[]?][], done: (name: string, seconds: number) => void): Promise<void> {
  let next = 0;
  await Promise.all(
    conns.map(async (c) => {
      while (next < jobs.length) {
        const [name, text, values] = jobs[next++]!;
        const s = performance.now();
        await c.query(text, values);
        done(name, (performance.now() - s) / 1000);
      }
    }),
  );
}

/** Rough cost of building an index, to start the big ones first: rows of its table. */
function weight(sql: string, o: { n: number }): number {
  return / ON public\.passkeys /.test(sql) ? 2 * o.n : o.n;
}

/** The INSERT … SELECT statements, the heaviest first. */
function insertStatements(o: { n: number; fillerPublicKey: Uint8Array; history: boolean; now: number }): [string, string, unknown[]][] {
  // `g` is the user's number; `m` the measured user at g, if any. Subqueries end in OFFSET 0 so
  // PostgreSQL computes each hash once instead of inlining it at every use.
  const series = `generate_series(1, $1::bigint) AS s(g) LEFT JOIN bench_measured m USING (g)`;
  const userId = `coalesce(m.user_id, 'user_' || ${b64u(`substr(${h(K.user, 'g')}, 1, 16)`, 16)})`;
  // Accounts created over the last three years; a user's rows share the creation time.
  const createdAt = `($2::bigint - (g * 2654435761 % ${3 * 365 * DAY_MS}))`;
  const lastSeen = `($2::bigint - (g * 40503 % ${60 * DAY_MS}))`;
  const params = [o.n, o.now];
  const out: [string, string, unknown[]][] = [];

  // Providers, by a byte of the passkey's hash: synced passkeys (iCloud Keychain, Google Password
  // Manager: backup eligible, counter 0) and device-bound ones (Windows Hello, a YubiKey: counters
  // that move). Credential id lengths are what those authenticators issue. The measured passkey
  // is what sign-up stores for a software authenticator: no AAGUID, not backup eligible, counter
  // 0, named "Passkey" (no user agent).
  const prov = `get_byte(hp, 31)`;
  const col = (measured: string, icloud: string, google: string, hello: string, yubikey: string) =>
    `CASE WHEN mk THEN ${measured} WHEN ${prov} < 100 THEN ${icloud} WHEN ${prov} < 180 THEN ${google} WHEN ${prov} < 220 THEN ${hello} ELSE ${yubikey} END`;
  const pkNumber = `(g * 4 + k)`;
  out.push([
    'passkeys',
    `INSERT INTO passkeys (id, user_id, credential_id, public_key, alg, counter, transports, aaguid, backup_eligible, backup_state,
                           name, provider_name, last_used_at, created_at, updated_at)
     SELECT CASE WHEN mk THEN m_pk ELSE 'pk_' || ${b64u('substr(hp, 1, 16)', 16)} END,
            uid,
            ${col('m_cred', b64u('substr(hc, 1, 20)', 20), b64u('substr(hc, 1, 16)', 16), b64u('hc', 32), b64u(`hc || ${h(K.cred2, pkNumber)}`, 64))},
            CASE WHEN mk THEN m_key ELSE $3::bytea END,
            -7,
            ${col('0', '0', '0', '(g % 500)', '(g % 300 + 7)')},
            ${col(`'["internal","hybrid"]'`, `'["hybrid","internal"]'`, `'["hybrid","internal"]'`, `'["internal"]'`, `'["nfc","usb"]'`)},
            ${col(
              `'00000000-0000-0000-0000-000000000000'`,
              `'fbfc3007-154e-4ecc-8c0b-6e020557d7bd'`,
              `'ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4'`,
              `'08987058-cadc-4b81-b6e1-30de50dcbe96'`,
              `'cb69481e-8ff7-4039-93ec-0a2729a154a8'`,
            )},
            ${col('0', '1', '1', '0', '0')},
            ${col('0', '1', '1', '0', '0')},
            ${col(`'Passkey'`, `'iCloud Keychain'`, `'Google Password Manager'`, `'Windows Hello'`, `'YubiKey 5 Series with NFC'`)},
            ${col(`'Passkey'`, `'iCloud Keychain'`, `'Google Password Manager'`, `'Windows Hello'`, `'YubiKey 5 Series with NFC'`)},
            CASE WHEN g % 7 = 0 THEN NULL ELSE ${lastSeen} END,
            created + (k - 1)::bigint * 37 * ${DAY_MS},
            created + (k - 1)::bigint * 37 * ${DAY_MS}
     FROM (SELECT u.*, k, (k = 1 AND u.mg IS NOT NULL) AS mk, ${h(K.pk, pkNumber)} AS hp, ${h(K.cred, pkNumber)} AS hc
           FROM (SELECT g, m.g AS mg, m.passkey_id AS m_pk, m.credential_id AS m_cred, m.public_key AS m_key,
                        ${userId} AS uid, ${createdAt} AS created, 1 + get_byte(${h(K.count, 'g')}, 0) % 3 AS passkeys
                 FROM ${series} OFFSET 0) u
           CROSS JOIN LATERAL generate_series(1, u.passkeys) AS p(k)
           OFFSET 0) x`,
    [...params, Buffer.from(o.fillerPublicKey)],
  ]);

  // One past sign-in per user: the browser's client (its token rotated at sign-in), the session
  // it made (mostly over by now) and the completed sign-in. Latchkey never deletes these rows.
  const clientId = `'client_' || ${b64u(`substr(${h(K.client, 'g')}, 1, 16)`, 16)}`;
  const sessionId = `'sess_' || ${b64u(`substr(${h(K.session, 'g')}, 1, 16)`, 16)}`;
  const signInId = `'sia_' || ${b64u(`substr(${h(K.signIn, 'g')}, 1, 16)`, 16)}`;
  if (o.history) {
    out.push([
      'sign_ins',
      `INSERT INTO sign_ins (id, client_id, status, identifier, user_id, verification_status, verification_nonce, verification_attempts,
                             verification_expire_at, created_session_id, created_at, updated_at, abandon_at)
       SELECT ${signInId}, ${clientId}, 'complete', NULL, ${userId}, 'verified',
              '{"challenge":"' || ${b64u(h(K.challenge, 'g'), 32)} ||
                '","rpId":"localhost","allowCredentials":[],"timeout":300000,"userVerification":"preferred"}',
              1, ${lastSeen} + 300000, ${sessionId}, ${lastSeen} - 30000, ${lastSeen}, ${lastSeen} + ${DAY_MS}
       FROM ${series}`,
      params,
    ]);
    out.push([
      'sessions',
      `INSERT INTO sessions (id, client_id, user_id, status, last_active_at, expire_at, created_at, updated_at)
       SELECT ${sessionId}, ${clientId}, ${userId},
              CASE g % 4 WHEN 0 THEN 'active' WHEN 1 THEN 'ended' ELSE 'expired' END,
              ${lastSeen} + (g % 3600) * 1000, ${lastSeen} + ${7 * DAY_MS}, ${lastSeen}, ${lastSeen} + (g % 3600) * 1000
       FROM ${series}`,
      params,
    ]);
  }
  out.push([
    'identifiers',
    `INSERT INTO identifiers (id, user_id, type, value, normalized, created_at)
     SELECT id, user_id, 'username', name, lower(name), created_at
     FROM (SELECT 'idn_' || ${b64u(`substr(${h(K.idn, 'g')}, 1, 16)`, 16)} AS id, ${userId} AS user_id,
                  coalesce(m.username, ${sqlUsername('g')}) AS name, ${createdAt} AS created_at
           FROM ${series} OFFSET 0) x`,
    params,
  ]);
  out.push([
    'users',
    `INSERT INTO users (id, user_handle, created_at, updated_at, last_sign_in_at)
     SELECT ${userId}, coalesce(m.user_handle, ${b64u(h(K.handle, 'g'), 32)}),
            ${createdAt}, ${createdAt} + (g % 90) * ${DAY_MS},
            CASE WHEN m.g IS NULL AND g % 10 = 0 THEN NULL ELSE ${lastSeen} END
     FROM ${series}`,
    params,
  ]);
  if (o.history) {
    out.push([
      'clients',
      `INSERT INTO clients (id, token_hash, sign_in_id, sign_up_id, last_active_session_id, created_at, updated_at)
       SELECT ${clientId}, ${b64u(h(K.token, 'g'), 32)}, NULL, NULL, ${sessionId}, ${lastSeen} - 40000, ${lastSeen}
       FROM generate_series(1, $1::bigint) AS s(g)`,
      params,
    ]);
  }
  return out;
}

/** 32 pseudo-random bytes for (kind, row number `n`): SHA-256 of the 8-byte big-endian n·16 + kind. */
function h(kind: number, n: string): string {
  return `sha256(int8send((${n}) * 16 + ${kind}))`;
}

/**
 * `bytes` (an SQL bytea of `length` bytes) as unpadded base64url, as Buffer#toString('base64url')
 * writes it. left() cuts the padding (the length is known); PostgreSQL's base64 breaks lines
 * every 76 characters, so longer values lose the newline first. (replace() here is several
 * times cheaper than translate(), which matters at millions of rows.)
 */
function b64u(bytes: string, length: number): string {
  let s = `encode(${bytes}, 'base64')`;
  if (length > 57) s = `replace(${s}, E'\\n', '')`;
  return `left(replace(replace(${s}, '+', '-'), '/', '_'), ${Math.ceil((length * 4) / 3)})`;
}

/** The generated username of user `g` (SQL), e.g. `user_3fa9c21e_123`; JS twin: `usernameOf()` in run.ts. */
function sqlUsername(g: string): string {
  return `'user_' || left(encode(${h(K.name, g)}, 'hex'), 8) || '_' || ${g}`;
}

interface SavedSchema {
  /** `indexDef`: for primary keys and unique constraints, the CREATE INDEX behind them. */
  constraints: { table: string; name: string; type: 'p' | 'u' | 'f'; def: string; indexDef: string | null }[];
  indexes: { name: string; def: string }[];
}

/** Primary keys, unique and foreign-key constraints, and plain indexes, as SQL to recreate them. */
async function saveSchema(db: pg.Client, tables: string[]): Promise<SavedSchema> {
  const rels = `ARRAY[${tables.map((t) => `'public.${t}'::regclass`).join(', ')}]`;
  const constraints = await db.query(
    `SELECT conrelid::regclass::text AS table, quote_ident(conname) AS name, contype AS type, pg_get_constraintdef(oid) AS def,
            CASE WHEN contype IN ('p', 'u') THEN pg_get_indexdef(conindid) END AS "indexDef"
     FROM pg_constraint
     WHERE contype IN ('p', 'u', 'f') AND (conrelid = ANY(${rels}) OR confrelid = ANY(${rels}))
     ORDER BY oid`,
  );
  const indexes = await db.query(
    `SELECT indexrelid::regclass::text AS name, pg_get_indexdef(indexrelid) AS def
     FROM pg_index i
     WHERE indrelid = ANY(${rels}) AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u'))
     ORDER BY indexrelid`,
  );
  return { constraints: constraints.rows, indexes: indexes.rows };
}
