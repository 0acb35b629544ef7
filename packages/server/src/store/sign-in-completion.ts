/**
 * The writes that complete a passkey sign-in, after the assertion verified: the counter's
 * compare-and-set, the user's last sign-in, the new session and its audit events, the sign-in
 * marked complete and the client's cookie token rotated. All but the counter happen only if the
 * compare-and-set wins (of two valid assertions racing, one signs in) and the user is not banned
 * (the user row's update is conditional on `banned = 0`, so it is where a ban and a sign-in
 * racing meet: see admin/users.ts).
 *
 * On PostgreSQL they are one statement — data-modifying CTEs, each later write conditioned on the
 * counter's — so a sign-in pays one round trip for six writes. SQLite runs in process, where a
 * round trip costs nothing and writable CTEs do not exist: there they run one after another.
 */
import { PostgresAdapter, sql } from 'kysely';
import * as auditEvents from './audit-events.js';
import type { NewAuditEvent } from './audit-events.js';
import * as clients from './clients.js';
import * as outbox from './outbox.js';
import * as passkeys from './passkeys.js';
import type { ClientRow, SessionRow } from './schema.js';
import * as sessions from './sessions.js';
import * as signIns from './sign-ins.js';
import type { Db } from './types.js';
import * as users from './users.js';

export interface SignInCompletion {
  passkey: { id: string; expected: number; counter: number; backupState: boolean };
  userId: string;
  session: SessionRow;
  /** The session's audit event and the sign-in's. */
  events: NewAuditEvent[];
  /** The `session.created` webhook event, written for each subscribed endpoint. */
  sessionWebhook: outbox.WebhookFanOut;
  signInId: string;
  client: { id: string; tokenHash: string };
  now: number;
}

/** The client row as rotated, or null when the counter moved under us or the user is banned (no session). */
export async function complete(db: Db, c: SignInCompletion): Promise<ClientRow | null> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return completeInOneStatement(db, c);
  const advanced = await passkeys.advanceCounter(db, { id: c.passkey.id, expected: c.passkey.expected, counter: c.passkey.counter, backupState: c.passkey.backupState, now: c.now });
  if (!advanced) return null;
  if (!(await users.markSignedIn(db, c.userId, c.now))) return null;
  await sessions.insert(db, c.session);
  await auditEvents.appendAll(db, c.events);
  await outbox.fanOut(db, c.sessionWebhook);
  await signIns.complete(db, { id: c.signInId, userId: c.userId, sessionId: c.session.id, strategy: 'passkey', now: c.now });
  return clients.rotateToken(db, { id: c.client.id, tokenHash: c.client.tokenHash, sessionId: c.session.id, now: c.now });
}

async function completeInOneStatement(db: Db, c: SignInCompletion): Promise<ClientRow | null> {
  const s = c.session;
  // One VALUES row per audit event, every column cast: the statement's parameters are untyped.
  const eventRows = sql.join(
    c.events.map(
      (e) =>
        sql`(${e.type}::text, ${e.user_id}::text, ${e.client_id}::text, ${e.data}::text, ${e.created_at}::bigint, ${e.actor_type}::text, ${e.actor_id}::text, ${e.ip}::text, ${e.user_agent}::text)`,
    ),
  );
  const result = await sql<ClientRow & { outbox_inserted: number | string }>`
    with pk as (
      update passkeys set counter = ${c.passkey.counter}, backup_state = ${c.passkey.backupState ? 1 : 0},
        last_used_at = ${c.now}, updated_at = ${c.now}
      where id = ${c.passkey.id} and counter = ${c.passkey.expected}
      returning id
    ), usr as (
      update users set last_sign_in_at = ${c.now}, updated_at = ${c.now}
      where id = ${c.userId} and banned = 0 and exists (select 1 from pk)
      returning id
    ), sess as (
      insert into sessions (id, client_id, user_id, status, last_active_at, expire_at, created_at, updated_at)
      select ${s.id}::text, ${s.client_id}::text, ${s.user_id}::text, ${s.status}::text, ${s.last_active_at}::bigint,
        ${s.expire_at}::bigint, ${s.created_at}::bigint, ${s.updated_at}::bigint
      where exists (select 1 from usr)
      returning id
    ), evt as (
      insert into audit_events (type, user_id, client_id, data, created_at, actor_type, actor_id, ip, user_agent)
      select * from (values ${eventRows}) as e(type, user_id, client_id, data, created_at, actor_type, actor_id, ip, user_agent)
      where exists (select 1 from usr)
      returning id
    ), wh as (
      insert into outbox (${outbox.OUTBOX_COLUMNS}) ${outbox.fanOutSelect(c.sessionWebhook, sql`exists (select 1 from usr)`)}
      returning id
    ), sia as (
      update sign_ins set status = 'complete', user_id = ${c.userId}, verification_status = 'verified',
        created_session_id = ${s.id}, updated_at = ${c.now}
      where id = ${c.signInId} and exists (select 1 from usr)
      returning id
    )
    update clients set token_hash = ${c.client.tokenHash}, last_active_session_id = ${s.id}, updated_at = ${c.now}
    where id = ${c.client.id} and exists (select 1 from usr)
    returning clients.*, (select count(*) from wh) as outbox_inserted`.execute(db);
  const row = result.rows[0];
  if (!row) return null;
  const { outbox_inserted: written, ...client } = row;
  outbox.noteInserted(Number(written));
  return client;
}
