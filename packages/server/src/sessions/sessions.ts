/**
 * Sessions: a user signed in on a client. Creating, finding the live one a request acts as,
 * recording activity and ending — each inside the caller's transaction.
 */
import { type AuditContext, audit, auditEvent } from '../audit/index.js';
import * as auditEvents from '../store/audit-events.js';
import type { NewAuditEvent } from '../store/audit-events.js';
import { fail } from '../errors/index.js';
import * as clients from '../store/clients.js';
import type { SessionRow } from '../store/schema.js';
import * as sessions from '../store/sessions.js';
import type { Db } from '../store/types.js';
import { newId } from '../util/ids.js';
import { emitSession, emitSessionsEnded } from '../webhooks/events.js';
import { isLive, type Lifetimes } from './lifetimes.js';

export { abandonAt, isLive } from './lifetimes.js';

/** Token mints count as activity, but write it at most this often (one write per minute, not per token). */
export const ACTIVITY_WRITE_INTERVAL_MS = 60_000;

export interface NewSession {
  clientId: string;
  userId: string;
  now: number;
  lifetimes: Lifetimes;
  /** Who acts, for the audit event (the caller's IP and user agent). */
  ctx?: AuditContext | undefined;
}

/** A new session's row and the audit event that records it, for a caller that writes them itself. */
export function newSession(o: NewSession): { session: SessionRow; event: NewAuditEvent } {
  const session: SessionRow = {
    id: newId('sess'),
    client_id: o.clientId,
    user_id: o.userId,
    status: 'active',
    last_active_at: o.now,
    expire_at: o.now + o.lifetimes.sessionMaxSeconds * 1000,
    created_at: o.now,
    updated_at: o.now,
    limited: 0,
  };
  return { session, event: auditEvent(o.now, 'session.created', { userId: o.userId, clientId: o.clientId, data: { session_id: session.id }, ctx: o.ctx }) };
}

export async function createSession(db: Db, o: NewSession): Promise<SessionRow> {
  const { session, event } = newSession(o);
  await sessions.insert(db, session);
  await auditEvents.append(db, event);
  await emitSession(db, o.now, 'session.created', session);
  return session;
}

export async function liveSessionsOfClient(db: Db, clientId: string, now: number, lifetimes: Lifetimes): Promise<SessionRow[]> {
  return (await sessions.activeOfClient(db, clientId)).filter((s) => isLive(s, now, lifetimes));
}

/** The client's session `sessionId`, which must be live; otherwise the caller is signed out. */
export async function requireLiveSession(db: Db, o: { clientId: string; sessionId: string; now: number; lifetimes: Lifetimes }): Promise<SessionRow> {
  const s = await sessions.ofClient(db, o.clientId, o.sessionId);
  if (!s || !isLive(s, o.now, o.lifetimes)) {
    if (s?.status === 'active') await sessions.markExpired(db, s.id, o.now);
    throw fail('signed_out');
  }
  return s;
}

export async function markActive(db: Db, s: SessionRow, now: number, force: boolean): Promise<SessionRow> {
  if (!force && now - s.last_active_at < ACTIVITY_WRITE_INTERVAL_MS) return s;
  await sessions.touch(db, s.id, now);
  return { ...s, last_active_at: now, updated_at: now };
}

export async function endSessions(db: Db, clientId: string, sessionIds: string[], now: number, ctx?: AuditContext): Promise<void> {
  if (sessionIds.length === 0) return;
  const ended = await sessions.end(db, clientId, sessionIds, now);
  await clients.clearActiveSessionIfIn(db, clientId, sessionIds, now);
  for (const s of ended) await audit(db, now, 'session.ended', { userId: s.user_id, clientId, data: { session_id: s.id }, ctx });
  await emitSessionsEnded(db, now, 'session.ended', sessionIds);
}
