/**
 * The signed-in user's active sessions on every browser ("active devices", `GET
 * /v1/me/sessions/active`), and ending one of them from here (`POST /v1/me/sessions/{id}/revoke`).
 * Only the user's own sessions are visible: another user's session id is simply not found.
 */
import { audit } from '../audit/index.js';
import { asActingSession } from '../clients/acting-session.js';
import type { Caller } from '../clients/index.js';
import type { Answer, LiveSession } from '../clients/snapshot.js';
import type { Deps } from '../deps.js';
import { fail } from '../errors/index.js';
import * as clients from '../store/clients.js';
import * as sessions from '../store/sessions.js';
import { abandonAt, isLive } from './lifetimes.js';

const notFound = () => fail('resource_not_found', { subject: 'session', why: 'No active session of yours has that id; it may have ended already.' });

/** The user's live sessions on every browser, most recently active first. */
export async function activeSessionsOf(deps: Deps, caller: Caller, sessionId: string | undefined): Promise<Answer<LiveSession[]>> {
  const settings = await deps.settings.get();
  return asActingSession(deps, caller, sessionId, settings, async (trx, session, now) =>
    (await sessions.activeOfUser(trx, session.user_id)).filter((s) => isLive(s, now, settings)).map((s) => ({ ...s, abandon_at: abandonAt(s, settings) })),
  );
}

/** Revokes the user's live session `targetId`, on whichever browser holds it (this one included). */
export async function revokeSessionOf(deps: Deps, caller: Caller, sessionId: string | undefined, targetId: string): Promise<Answer<LiveSession>> {
  const settings = await deps.settings.get();
  return asActingSession(deps, caller, sessionId, settings, async (trx, session, now) => {
    const target = await sessions.ofUser(trx, session.user_id, targetId);
    if (!target || !isLive(target, now, settings)) throw notFound();
    // Compare-and-set: of two concurrent revocations, one ends it and the other finds it gone.
    if ((await sessions.revoke(trx, { ids: [target.id] }, now)).length === 0) throw notFound();
    await clients.forgetActiveSessions(trx, [target.id], now);
    await audit(trx, now, 'session.revoked', { userId: session.user_id, clientId: target.client_id, data: { session_id: target.id, by_session_id: session.id } });
    const revoked = { ...target, status: 'revoked' as const, updated_at: now };
    return { ...revoked, abandon_at: abandonAt(revoked, settings) };
  });
}
