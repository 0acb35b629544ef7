/**
 * Sessions as the backend API manages them: list (by user, client, status), read, revoke, and
 * mint a token for one (server-side tests). A revoked session answers `signed_out` at the
 * browser's next `/tokens`; a token minted before stays valid offline until it expires (its
 * lifetime, `tokenSeconds`, 60 s by default): app servers verify tokens without calling us.
 */
import { emitSession } from '../webhooks/events.js';
import { type AuditContext, audit } from '../audit/index.js';
import type { Deps } from '../deps.js';
import { fail } from '../errors/index.js';
import { abandonAt, isLive } from '../sessions/lifetimes.js';
import type { InstanceSettings } from '../settings/index.js';
import * as clients from '../store/clients.js';
import { type Page, toPage } from '../store/pagination.js';
import type { SessionRow, SessionStatus } from '../store/schema.js';
import * as sessions from '../store/sessions.js';

/** A session as the backend API shows it: an `active` row past its lifetimes reads as `expired`. */
export type SessionView = SessionRow & { abandon_at: number };

function view(s: SessionRow, settings: InstanceSettings, now: number): SessionView {
  const status = s.status === 'active' && !isLive(s, now, settings) ? 'expired' : s.status;
  return { ...s, status, abandon_at: abandonAt(s, settings) };
}

const sessionNotFound = () => fail('resource_not_found', { subject: 'session', why: 'No session with that id exists.' });

export async function listSessions(
  deps: Deps,
  o: { userId?: string; clientId?: string; status?: SessionStatus; startingAfter?: string; limit: number },
): Promise<Page<SessionView>> {
  const settings = await deps.settings.get();
  const now = deps.clock.now();
  return deps.store.db.transaction().execute(async (trx) => {
    const cursor = o.startingAfter ? await sessions.byId(trx, o.startingAfter) : null;
    if (o.startingAfter && !cursor) throw fail('form_param_format_invalid', { param: 'starting_after', why: 'starting_after must be the id of a session in the list.' });
    const filter = { ...(o.userId && { userId: o.userId }), ...(o.clientId && { clientId: o.clientId }), ...(o.status && { status: o.status }) };
    const rows = await sessions.page(trx, { ...filter, after: cursor ?? null, limit: o.limit });
    return toPage(
      rows.map((s) => view(s, settings, now)),
      o.limit,
      await sessions.count(trx, filter),
    );
  });
}

export async function getSession(deps: Deps, id: string): Promise<SessionView> {
  const s = await sessions.byId(deps.store.db, id);
  if (!s) throw sessionNotFound();
  return view(s, await deps.settings.get(), deps.clock.now());
}

/** Revokes the session if it is still active; a session already over is answered as it is. */
export async function revokeSession(deps: Deps, ctx: AuditContext, id: string): Promise<SessionView> {
  const settings = await deps.settings.get();
  const now = deps.clock.now();
  const row = await deps.store.db.transaction().execute(async (trx) => {
    const s = await sessions.byId(trx, id);
    if (!s) throw sessionNotFound();
    const [revoked] = await sessions.revoke(trx, { ids: [id] }, now);
    if (!revoked) return s;
    await clients.clearActiveSessionIfIn(trx, s.client_id, [s.id], now);
    await audit(trx, now, 'session.revoked', { userId: s.user_id, clientId: s.client_id, data: { session_id: s.id }, ctx });
    await emitSession(trx, now, 'session.revoked', revoked);
    return revoked;
  });
  return view(row, settings, now);
}

/** A fresh session token for a live session (no `azp`: no browser asked for it). */
export async function mintToken(deps: Deps, id: string): Promise<string> {
  const settings = await deps.settings.get();
  const now = deps.clock.now();
  const s = await sessions.byId(deps.store.db, id);
  if (!s) throw sessionNotFound();
  if (!isLive(s, now, settings)) throw fail('session_not_active', { why: `Session ${id} is ${view(s, settings, now).status}; tokens are minted for active sessions only.` });
  return (await deps.tokens.mint({ sessionId: s.id, userId: s.user_id, azp: null, lifetimeSeconds: settings.tokenSeconds, nowMs: now, limited: Boolean(s.limited) })).jwt;
}
