/**
 * Schema migrations, one list for both engines. Kysely's Migrator records what ran in
 * `kysely_migration` and, on PostgreSQL, holds an advisory lock, so several processes starting
 * at once run each migration exactly once.
 */
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import type { Engine } from './db.js';

function migrations(engine: Engine): Record<string, Migration> {
  const binary = engine === 'postgres' ? sql`bytea` : sql`blob`;
  const ms = 'bigint' as const;
  return {
    '0001_initial': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('users')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('user_handle', 'text', (c) => c.notNull().unique())
          .addColumn('created_at', ms, (c) => c.notNull())
          .addColumn('updated_at', ms, (c) => c.notNull())
          .addColumn('last_sign_in_at', ms)
          .execute();
        await db.schema
          .createTable('identifiers')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('value', 'text', (c) => c.notNull())
          .addColumn('normalized', 'text', (c) => c.notNull())
          .addColumn('created_at', ms, (c) => c.notNull())
          .addUniqueConstraint('identifiers_type_normalized_unique', ['type', 'normalized'])
          .execute();
        await db.schema.createIndex('identifiers_user_id').on('identifiers').column('user_id').execute();
        await db.schema
          .createTable('passkeys')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('credential_id', 'text', (c) => c.notNull().unique())
          .addColumn('public_key', binary, (c) => c.notNull())
          .addColumn('alg', 'integer', (c) => c.notNull())
          .addColumn('counter', ms, (c) => c.notNull())
          .addColumn('transports', 'text', (c) => c.notNull())
          .addColumn('aaguid', 'text', (c) => c.notNull())
          .addColumn('backup_eligible', 'integer', (c) => c.notNull())
          .addColumn('backup_state', 'integer', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('provider_name', 'text', (c) => c.notNull())
          .addColumn('last_used_at', ms)
          .addColumn('created_at', ms, (c) => c.notNull())
          .addColumn('updated_at', ms, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('passkeys_user_id').on('passkeys').column('user_id').execute();
        await db.schema
          .createTable('clients')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('sign_in_id', 'text')
          .addColumn('sign_up_id', 'text')
          .addColumn('last_active_session_id', 'text')
          .addColumn('created_at', ms, (c) => c.notNull())
          .addColumn('updated_at', ms, (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('challenges')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('client_id', 'text', (c) => c.notNull())
          .addColumn('resource_id', 'text', (c) => c.notNull())
          .addColumn('user_id', 'text')
          .addColumn('challenge', 'text', (c) => c.notNull())
          .addColumn('allow_credentials', 'text')
          .addColumn('context', 'text')
          .addColumn('expires_at', ms, (c) => c.notNull())
          .addColumn('created_at', ms, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('challenges_resource_id').on('challenges').column('resource_id').execute();
        await db.schema.createIndex('challenges_expires_at').on('challenges').column('expires_at').execute();
        await db.schema
          .createTable('sessions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('client_id', 'text', (c) => c.notNull())
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('last_active_at', ms, (c) => c.notNull())
          .addColumn('expire_at', ms, (c) => c.notNull())
          .addColumn('created_at', ms, (c) => c.notNull())
          .addColumn('updated_at', ms, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('sessions_client_id').on('sessions').column('client_id').execute();
        await db.schema.createIndex('sessions_user_id').on('sessions').column('user_id').execute();
        for (const table of ['sign_ins', 'sign_ups'] as const) {
          let t = db.schema
            .createTable(table)
            .addColumn('id', 'text', (c) => c.primaryKey())
            .addColumn('client_id', 'text', (c) => c.notNull())
            .addColumn('status', 'text', (c) => c.notNull());
          t =
            table === 'sign_ins'
              ? t.addColumn('identifier', 'text').addColumn('user_id', 'text')
              : t.addColumn('username', 'text').addColumn('email_address', 'text').addColumn('created_user_id', 'text');
          await t
            .addColumn('verification_status', 'text')
            .addColumn('verification_nonce', 'text')
            .addColumn('verification_attempts', 'integer', (c) => c.notNull().defaultTo(0))
            .addColumn('verification_expire_at', ms)
            .addColumn('created_session_id', 'text')
            .addColumn('created_at', ms, (c) => c.notNull())
            .addColumn('updated_at', ms, (c) => c.notNull())
            .addColumn('abandon_at', ms, (c) => c.notNull())
            .execute();
          await db.schema.createIndex(`${table}_client_id`).on(table).column('client_id').execute();
        }
        await db.schema
          .createTable('signing_keys')
          .addColumn('kid', 'text', (c) => c.primaryKey())
          .addColumn('alg', 'text', (c) => c.notNull())
          .addColumn('private_jwk', 'text', (c) => c.notNull())
          .addColumn('public_jwk', 'text', (c) => c.notNull())
          .addColumn('slot', 'text', (c) => c.unique())
          .addColumn('created_at', ms, (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('settings')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .addColumn('updated_at', ms, (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('secrets')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .addColumn('created_at', ms, (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('audit_events')
          .addColumn('id', engine === 'postgres' ? 'bigserial' : 'integer', (c) =>
            engine === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
          )
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('user_id', 'text')
          .addColumn('client_id', 'text')
          .addColumn('data', 'text', (c) => c.notNull())
          .addColumn('created_at', ms, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('audit_events_created_at').on('audit_events').column('created_at').execute();
      },
    },
    '0002_room_for_in_place_updates': {
      // Every sign-in updates its passkey (counter, last use) and its user (last sign-in). On
      // PostgreSQL an update stays on the row's page, without touching any index ("HOT"), only if
      // the page has room: at a million users, full pages made ~40 % of these updates rewrite
      // index entries and more than doubled the WAL per sign-in (bench/scale). SQLite updates in
      // place anyway.
      async up(db: Kysely<unknown>) {
        if (engine !== 'postgres') return;
        await sql`ALTER TABLE users SET (fillfactor = 90)`.execute(db);
        await sql`ALTER TABLE passkeys SET (fillfactor = 90)`.execute(db);
      },
    },
    '0003_drop_unused_client_id_indexes': {
      // Sign-ins and sign-ups are only ever read by their id (with the client checked in the same
      // condition); the client_id indexes served no query, yet every sign-in wrote a randomly
      // placed page of one.
      async up(db: Kysely<unknown>) {
        await db.schema.dropIndex('sign_ins_client_id').ifExists().execute();
        await db.schema.dropIndex('sign_ups_client_id').ifExists().execute();
      },
    },
    '0004_one_verification_mechanism': {
      // The three ceremonies kept their challenge three ways (inside the sign-in's options JSON,
      // and in a `challenges` table for sign-up and added passkeys, with a dead `sign_in` kind and
      // `allow_credentials` column). Now each ceremony's row carries the same verification
      // columns, the challenge in its own column; a passkey being added gets a row of its own.
      // Ceremonies in flight during the upgrade are carried over, so no user has to start again.
      async up(db: Kysely<unknown>) {
        const q = db as Kysely<any>;
        await db.schema.alterTable('sign_ins').addColumn('verification_challenge', 'text').execute();
        await db.schema.alterTable('sign_ups').addColumn('verification_challenge', 'text').execute();
        await db.schema.alterTable('sign_ups').addColumn('user_handle', 'text').execute();
        await db.schema
          .createTable('passkey_registrations')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('client_id', 'text', (c) => c.notNull())
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('verification_status', 'text')
          .addColumn('verification_challenge', 'text')
          .addColumn('verification_nonce', 'text')
          .addColumn('verification_attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('verification_expire_at', ms)
          .addColumn('created_at', ms, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('passkey_registrations_expire_at').on('passkey_registrations').column('verification_expire_at').execute();

        const pendingSignIns = await q
          .selectFrom('sign_ins')
          .select(['id', 'verification_nonce'])
          .where('verification_status', '=', 'unverified')
          .execute();
        for (const row of pendingSignIns as { id: string; verification_nonce: string | null }[]) {
          const challenge = challengeOf(row.verification_nonce);
          if (challenge) await q.updateTable('sign_ins').set({ verification_challenge: challenge }).where('id', '=', row.id).execute();
        }
        const pending = (await q.selectFrom('challenges').selectAll().execute()) as {
          kind: string;
          client_id: string;
          resource_id: string;
          user_id: string | null;
          challenge: string;
          context: string | null;
          expires_at: number;
          created_at: number;
        }[];
        for (const c of pending) {
          if (c.kind === 'sign_up') {
            const userHandle = (JSON.parse(c.context ?? '{}') as { userHandle?: string }).userHandle ?? null;
            await q
              .updateTable('sign_ups')
              .set({ verification_challenge: c.challenge, user_handle: userHandle })
              .where('id', '=', c.resource_id)
              .execute();
          } else if (c.kind === 'passkey_registration' && c.user_id) {
            await q
              .insertInto('passkey_registrations')
              .values({
                id: c.resource_id,
                client_id: c.client_id,
                user_id: c.user_id,
                verification_status: 'unverified',
                verification_challenge: c.challenge,
                verification_nonce: null,
                verification_attempts: 0,
                verification_expire_at: Number(c.expires_at),
                created_at: Number(c.created_at),
              })
              .execute();
          }
        }
        await db.schema.dropTable('challenges').execute();
      },
    },
    '0005_jwt_templates': {
      // Named recipes for tokens handed to third parties (session.getToken({ template })):
      // custom claims with shortcodes, a lifetime, a clock skew, and the instance key or a
      // per-template HS256 secret (kept as is: the app needs it to verify, so it cannot be hashed).
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('jwt_templates')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull().unique())
          .addColumn('claims', 'text', (c) => c.notNull())
          .addColumn('lifetime_seconds', 'integer', (c) => c.notNull())
          .addColumn('allowed_clock_skew_seconds', 'integer', (c) => c.notNull())
          .addColumn('signing_algorithm', 'text', (c) => c.notNull())
          .addColumn('signing_key', 'text')
          .addColumn('created_at', ms, (c) => c.notNull())
          .addColumn('updated_at', ms, (c) => c.notNull())
          .execute();
      },
    },
    '0006_secret_keys_and_audit': {
      // The backend API: secret keys (only their SHA-256 stored), who did what in the audit log
      // (actor, IP, user agent) with indexes for its filters, and what the user routes change
      // (ban, metadata). 0005 is JWT templates (issue 14); the two do not touch the same tables.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('secret_keys')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('mode', 'text', (c) => c.notNull())
          .addColumn('key_hash', 'text', (c) => c.notNull().unique())
          .addColumn('key_hint', 'text', (c) => c.notNull())
          .addColumn('created_at', ms, (c) => c.notNull())
          .addColumn('last_used_at', ms)
          .addColumn('revoked_at', ms)
          .execute();
        await db.schema.alterTable('audit_events').addColumn('actor_type', 'text').execute();
        await db.schema.alterTable('audit_events').addColumn('actor_id', 'text').execute();
        await db.schema.alterTable('audit_events').addColumn('ip', 'text').execute();
        await db.schema.alterTable('audit_events').addColumn('user_agent', 'text').execute();
        await db.schema.createIndex('audit_events_user_id_created_at').on('audit_events').columns(['user_id', 'created_at']).execute();
        await db.schema.createIndex('audit_events_type_created_at').on('audit_events').columns(['type', 'created_at']).execute();
        await db.schema.alterTable('users').addColumn('banned', 'integer', (c) => c.notNull().defaultTo(0)).execute();
        await db.schema.alterTable('users').addColumn('public_metadata', 'text', (c) => c.notNull().defaultTo('{}')).execute();
        await db.schema.alterTable('users').addColumn('private_metadata', 'text', (c) => c.notNull().defaultTo('{}')).execute();
        // Listing users pages by (created_at, id); the sweep finds old rows by their deadlines.
        await db.schema.createIndex('users_created_at_id').on('users').columns(['created_at', 'id']).execute();
        await db.schema.createIndex('sessions_status').on('sessions').column('status').execute();
        await db.schema.createIndex('sessions_expire_at').on('sessions').column('expire_at').execute();
        await db.schema.createIndex('sign_ins_abandon_at').on('sign_ins').column('abandon_at').execute();
        await db.schema.createIndex('sign_ups_abandon_at').on('sign_ups').column('abandon_at').execute();
      },
    },
    '0007_outbox_and_webhooks': {
      // A durable outbox: a message is written in the transaction of the change it reports, so it
      // exists exactly when the change does, and is delivered later by a dispatcher (any process).
      // Generic by `topic`: webhook deliveries now, emails later. Claims are leases
      // (`locked_until`), so a process that dies mid-delivery loses nothing.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('outbox')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('topic', 'text', (c) => c.notNull())
          .addColumn('payload', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('available_at', ms, (c) => c.notNull())
          .addColumn('locked_until', ms)
          .addColumn('claim_token', 'text')
          .addColumn('last_error', 'text')
          .addColumn('created_at', ms, (c) => c.notNull())
          .addColumn('updated_at', ms, (c) => c.notNull())
          .execute();
        // The dispatcher's claim reads pending messages in due order.
        await db.schema.createIndex('outbox_pending_due').on('outbox').columns(['status', 'available_at']).execute();
        await db.schema
          .createTable('webhook_endpoints')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('url', 'text', (c) => c.notNull())
          .addColumn('description', 'text', (c) => c.notNull())
          .addColumn('event_types', 'text', (c) => c.notNull())
          .addColumn('secret', 'text', (c) => c.notNull())
          .addColumn('created_at', ms, (c) => c.notNull())
          .addColumn('updated_at', ms, (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('webhook_deliveries')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('endpoint_id', 'text', (c) => c.notNull().references('webhook_endpoints.id').onDelete('cascade'))
          .addColumn('message_id', 'text', (c) => c.notNull())
          .addColumn('event_type', 'text', (c) => c.notNull())
          .addColumn('attempt', 'integer', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('response_status', 'integer')
          .addColumn('error', 'text')
          .addColumn('created_at', ms, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('webhook_deliveries_endpoint').on('webhook_deliveries').columns(['endpoint_id', 'created_at']).execute();
      },
    },
    '0008_email': {
      // Email verification at sign-up: the code's state lives on the sign-up (its MAC, attempts,
      // expiry), a verified address is marked on its identifier, and every code sent is counted
      // per address and per IP (resend limits that hold across processes, without Redis).
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('sign_ups').addColumn('email_code_mac', 'text').execute();
        await db.schema.alterTable('sign_ups').addColumn('email_verification_status', 'text').execute();
        await db.schema.alterTable('sign_ups').addColumn('email_verification_attempts', 'integer', (c) => c.notNull().defaultTo(0)).execute();
        await db.schema.alterTable('sign_ups').addColumn('email_verification_expire_at', ms).execute();
        await db.schema.alterTable('sign_ups').addColumn('email_code_sent_at', ms).execute();
        await db.schema.alterTable('identifiers').addColumn('verified_at', ms).execute();
        await db.schema
          .createTable('email_sends')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('address', 'text', (c) => c.notNull())
          .addColumn('ip', 'text', (c) => c.notNull())
          .addColumn('created_at', ms, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('email_sends_address').on('email_sends').columns(['address', 'created_at']).execute();
        await db.schema.createIndex('email_sends_ip').on('email_sends').columns(['ip', 'created_at']).execute();
      },
    },
    '0009_drop_sessions_status_index': {
      // 0006's index on `sessions.status` (a column with three values, nearly all rows `active`)
      // led SQLite's planner to read a client's live sessions through it instead of through
      // `sessions_client_id`: every sign-in scanned all active sessions of the instance, and its
      // cost grew with the number of users signed in. No query needs it: the sweep goes by
      // `expire_at`, admin listings by user or client.
      async up(db: Kysely<unknown>) {
        await db.schema.dropIndex('sessions_status').ifExists().execute();
      },
    },
    '0010_administrators': {
      // Dashboard administrators, apart from the app's users: their passkeys (RP ID = the server's
      // own host), one-time setup/invite links, dashboard sessions and pending ceremonies. Every
      // token is stored as its SHA-256 only; a link or cookie read from a backup signs no one in.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('administrators')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('user_handle', 'text', (c) => c.notNull().unique())
          .addColumn('created_at', ms, (c) => c.notNull())
          .addColumn('last_sign_in_at', ms)
          .execute();
        await db.schema
          .createTable('administrator_passkeys')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('administrator_id', 'text', (c) => c.notNull().references('administrators.id').onDelete('cascade'))
          .addColumn('credential_id', 'text', (c) => c.notNull().unique())
          .addColumn('public_key', binary, (c) => c.notNull())
          .addColumn('alg', 'integer', (c) => c.notNull())
          .addColumn('counter', ms, (c) => c.notNull())
          .addColumn('transports', 'text', (c) => c.notNull())
          .addColumn('aaguid', 'text', (c) => c.notNull())
          .addColumn('backup_eligible', 'integer', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('created_at', ms, (c) => c.notNull())
          .addColumn('last_used_at', ms)
          .execute();
        await db.schema.createIndex('administrator_passkeys_admin').on('administrator_passkeys').column('administrator_id').execute();
        await db.schema
          .createTable('administrator_links')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('created_by', 'text')
          .addColumn('created_at', ms, (c) => c.notNull())
          .addColumn('expire_at', ms, (c) => c.notNull())
          .addColumn('used_at', ms)
          .addColumn('used_by', 'text')
          .execute();
        await db.schema
          .createTable('administrator_sessions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('administrator_id', 'text', (c) => c.notNull().references('administrators.id').onDelete('cascade'))
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('created_at', ms, (c) => c.notNull())
          .addColumn('last_active_at', ms, (c) => c.notNull())
          .addColumn('expire_at', ms, (c) => c.notNull())
          .addColumn('ended_at', ms)
          .addColumn('ip', 'text')
          .addColumn('user_agent', 'text')
          .execute();
        await db.schema
          .createTable('administrator_ceremonies')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('challenge', 'text', (c) => c.notNull())
          .addColumn('user_handle', 'text')
          .addColumn('created_at', ms, (c) => c.notNull())
          .addColumn('expire_at', ms, (c) => c.notNull())
          .addColumn('used_at', ms)
          .execute();
      },
    },
    '0012_email_code_sign_in': {
      // Email-code sign-in (issue 13, item 3): a sign-in's first factor can be an emailed code.
      // Its state shares the verification columns; `verification_strategy` says which factor they
      // hold (a passkey attempt never takes an email code's verification, nor the reverse). The
      // offered email factor (real or decoy) is fixed at creation: `email_address_id` and the
      // masked `safe_identifier`, so the presenter shows it without a query.
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('sign_ins').addColumn('verification_strategy', 'text', (c) => c.notNull().defaultTo('passkey')).execute();
        await db.schema.alterTable('sign_ins').addColumn('email_code_mac', 'text').execute();
        await db.schema.alterTable('sign_ins').addColumn('email_code_sent_at', ms).execute();
        await db.schema.alterTable('sign_ins').addColumn('email_address_id', 'text').execute();
        await db.schema.alterTable('sign_ins').addColumn('safe_identifier', 'text').execute();
      },
    },
    '0013_recovery_codes': {
      // Recovery codes (docs/recovery.md): a user's codes, kept only as MACs, each spent once; the
      // failed recovery attempts, counted per identifier and per IP (limits that hold across
      // processes, without Redis); and the mark on a session signed in with a code, which may only
      // read the profile and add a passkey until it has done so.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('recovery_codes')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('mac', 'text', (c) => c.notNull())
          .addColumn('used_at', ms)
          .addColumn('created_at', ms, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('recovery_codes_user_id').on('recovery_codes').column('user_id').execute();
        await db.schema
          .createTable('recovery_attempts')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('subject', 'text', (c) => c.notNull())
          .addColumn('ip', 'text', (c) => c.notNull())
          .addColumn('created_at', ms, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('recovery_attempts_subject').on('recovery_attempts').columns(['subject', 'created_at']).execute();
        await db.schema.createIndex('recovery_attempts_ip').on('recovery_attempts').columns(['ip', 'created_at']).execute();
        await db.schema.alterTable('sessions').addColumn('limited', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      },
    },
    '0014_conditional_registration': {
      // Automatic passkey upgrade (docs/recovery.md): a passkey being added remembers whether the
      // browser was asked to create it conditionally, without a prompt. Such a credential may come
      // without user presence or verification, which only that registration accepts.
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('passkey_registrations').addColumn('conditional', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      },
    },
  };
}

/** The challenge inside stored request options (how 0001–0003 kept a sign-in's challenge). */
function challengeOf(nonce: string | null): string | null {
  try {
    const challenge = (JSON.parse(nonce ?? 'null') as { challenge?: unknown } | null)?.challenge;
    return typeof challenge === 'string' ? challenge : null;
  } catch {
    return null;
  }
}

class InlineProvider implements MigrationProvider {
  constructor(private readonly engine: Engine) {}
  async getMigrations() {
    return migrations(this.engine);
  }
}

/** Brings the schema up to date; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<any>, engine: Engine): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new InlineProvider(engine) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    // The cause keeps the driver's error code (ECONNREFUSED, 3D000…) for start-up messages.
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
