/**
 * Sessions: a user signed in on a client. A session is live while its status is `active`, its
 * absolute lifetime has not run out and it was used within the idle timeout — checked on every
 * read, so an expired session is refused even before anything marks it expired.
 */
import type { Kysely, Transaction } from 'kysely';
import { errors } from '../errors/index.js';
import type { InstanceSettings } from '../settings/index.js';
import { prepared } from '../store/prepared.js';
import type { Database, SessionRow } from '../store/schema.js';
import { newId } from '../util/ids.js';
import { audit } from '../audit/index.js';

type Db = Kysely<Database> | Transaction<Database>;
type Lifetimes = Pick<InstanceSettings, 'sessionIdleSeconds' | 'sessionMaxSeconds'>;

/** Token mints count as activity, but write it at most this often (one write per minute, not per token). */
export const ACTIVITY_WRITE_INTERVAL_MS = 60_000;

const insertSession = prepared<SessionRow>((db, p) =>
  db.insertInto('sessions').values({
    id: p('id'),
    client_id: p('client_id'),
    user_id: p('user_id'),
    status: p('status'),
    last_active_at: p('last_active_at'),
    expire_at: p('expire_at'),
    created_at: p('created_at'),
    updated_at: p('updated_at'),
  }),
);
const activeSessionsOfClient = prepared<{ clientId: string }, SessionRow>((db, p) =>
  db.selectFrom('sessions').selectAll().where('client_id', '=', p('clientId')).where('status', '=', 'active').orderBy('created_at', 'asc'),
);
const sessionOfClient = prepared<{ id: string; clientId: string }, SessionRow>((db, p) =>
  db.selectFrom('sessions').selectAll().where('id', '=', p('id')).where('client_id', '=', p('clientId')),
);

export function isLive(s: SessionRow, now: number, lifetimes: Lifetimes): boolean {
  return s.status === 'active' && now < s.expire_at && now - s.last_active_at < lifetimes.sessionIdleSeconds * 1000;
}

/** When an idle session ends: the earlier of its idle deadline and its absolute expiry. */
export function abandonAt(s: SessionRow, lifetimes: Lifetimes): number {
  return Math.min(s.expire_at, s.last_active_at + lifetimes.sessionIdleSeconds * 1000);
}

export async function createSession(
  db: Db,
  o: { clientId: string; userId: string; now: number; lifetimes: Lifetimes },
): Promise<SessionRow> {
  const session: SessionRow = {
    id: newId('sess'),
    client_id: o.clientId,
    user_id: o.userId,
    status: 'active',
    last_active_at: o.now,
    expire_at: o.now + o.lifetimes.sessionMaxSeconds * 1000,
    created_at: o.now,
    updated_at: o.now,
  };
  await insertSession.run(db, session);
  await audit(db, o.now, 'session.created', { userId: o.userId, clientId: o.clientId, data: { session_id: session.id } });
  return session;
}

export async function liveSessionsOfClient(db: Db, clientId: string, now: number, lifetimes: Lifetimes): Promise<SessionRow[]> {
  const rows = await activeSessionsOfClient.all(db, { clientId });
  return rows.filter((s) => isLive(s, now, lifetimes));
}

/** The client's session `sessionId`, which must be live; otherwise the caller is signed out. */
export async function requireLiveSession(
  db: Db,
  o: { clientId: string; sessionId: string; now: number; lifetimes: Lifetimes },
): Promise<SessionRow> {
  const s = await sessionOfClient.first(db, { id: o.sessionId, clientId: o.clientId });
  if (!s || !isLive(s, o.now, o.lifetimes)) {
    if (s?.status === 'active') {
      await db.updateTable('sessions').set({ status: 'expired', updated_at: o.now }).where('id', '=', s.id).execute();
    }
    throw errors.signedOut();
  }
  return s;
}

export async function markActive(db: Db, s: SessionRow, now: number, force: boolean): Promise<SessionRow> {
  if (!force && now - s.last_active_at < ACTIVITY_WRITE_INTERVAL_MS) return s;
  await db.updateTable('sessions').set({ last_active_at: now, updated_at: now }).where('id', '=', s.id).execute();
  return { ...s, last_active_at: now, updated_at: now };
}

export async function endSessions(db: Db, clientId: string, sessionIds: string[], now: number): Promise<void> {
  if (sessionIds.length === 0) return;
  await db
    .updateTable('sessions')
    .set({ status: 'ended', updated_at: now })
    .where('client_id', '=', clientId)
    .where('id', 'in', sessionIds)
    .execute();
  const client = await db.selectFrom('clients').select('last_active_session_id').where('id', '=', clientId).executeTakeFirst();
  if (client?.last_active_session_id && sessionIds.includes(client.last_active_session_id)) {
    await db.updateTable('clients').set({ last_active_session_id: null, updated_at: now }).where('id', '=', clientId).execute();
  }
  for (const id of sessionIds) await audit(db, now, 'session.ended', { clientId, data: { session_id: id } });
}
