/** One session of the browser: make it active, mint its token, end it (sessions/ holds the session rules). */
import { requireClient, type Caller } from './index.js';
import { type Answer, finish, type LiveSession, readSnapshot } from './snapshot.js';
import type { Deps } from '../deps.js';
import { JwtTemplates } from '../jwt-templates/service.js';
import * as clients from '../store/clients.js';
import type { SessionRow } from '../store/schema.js';
import { abandonAt } from '../sessions/lifetimes.js';
import { fail } from '../errors/index.js';
import { endSessions, markActive, requireLiveSession } from '../sessions/sessions.js';

/** A session as it left the request: its row, and (if it is still live) a token for it. */
export interface SessionResult {
  session: LiveSession;
  token: string | null;
}

/** `POST …/sessions/{sid}/touch`: the session becomes the client's active one. */
export async function touchSession(deps: Deps, caller: Caller, sessionId: string): Promise<Answer<SessionResult>> {
  const client = requireClient(caller);
  const settings = await deps.settings.get();
  const now = deps.clock.now();
  const done = await deps.store.db.transaction().execute(async (trx) => {
    const session = await requireLiveSession(trx, { clientId: client.id, sessionId, now, lifetimes: settings });
    const touched = await markActive(trx, session, now, true);
    await clients.setActiveSession(trx, client.id, session.id, now);
    return { session: touched, rows: await readSnapshot(trx, { clientId: client.id, settings, now }) };
  });
  const answer = await finish(deps, caller.azp, { result: null, rows: done.rows }, settings, now);
  const token = await deps.tokens.cached(done.session, settings.tokenSeconds, caller.azp, now);
  return { ...answer, result: { session: withAbandon(done.session, settings), token } };
}

/** `POST …/sessions/{sid}/tokens`: a fresh session token (activity recorded at most once a minute). */
export async function mintSessionToken(deps: Deps, caller: Caller, sessionId: string): Promise<string> {
  const client = requireClient(caller);
  const settings = await deps.settings.get();
  const now = deps.clock.now();
  // No transaction: one read and at most one single-statement write (the activity, once a
  // minute). On PostgreSQL that saves the BEGIN and COMMIT round trips on the most frequent call.
  const db = deps.store.db;
  const session = await markActive(db, await requireLiveSession(db, { clientId: client.id, sessionId, now, lifetimes: settings }), now, false);
  return deps.tokens.fresh(session, settings.tokenSeconds, caller.azp, now);
}

/** `POST …/sessions/{sid}/tokens/{template}`: a JWT template's token for the live session. */
export async function mintTemplateToken(deps: Deps, caller: Caller, sessionId: string, template: string): Promise<string> {
  const client = requireClient(caller);
  const settings = await deps.settings.get();
  const now = deps.clock.now();
  const db = deps.store.db;
  const session = await markActive(db, await requireLiveSession(db, { clientId: client.id, sessionId, now, lifetimes: settings }), now, false);
  // A template token goes to a third party, which cannot tell a recovery session from a full one.
  if (session.limited) throw fail('session_recovery_limited');
  return new JwtTemplates(deps).mint(template, session, caller.azp, now);
}

/** `GET …/sessions/{sid}` (`session.reload()`): the live session; reading it is not activity. */
export async function readSession(deps: Deps, caller: Caller, sessionId: string): Promise<Answer<SessionResult>> {
  const client = requireClient(caller);
  const settings = await deps.settings.get();
  const now = deps.clock.now();
  const done = await deps.store.db.transaction().execute(async (trx) => {
    const session = await requireLiveSession(trx, { clientId: client.id, sessionId, now, lifetimes: settings });
    return { session, rows: await readSnapshot(trx, { clientId: client.id, settings, now }) };
  });
  const answer = await finish(deps, caller.azp, { result: null, rows: done.rows }, settings, now);
  const token = await deps.tokens.cached(done.session, settings.tokenSeconds, caller.azp, now);
  return { ...answer, result: { session: withAbandon(done.session, settings), token } };
}

/** `POST …/sessions/{sid}/end` (and `…/remove`): signs this one session out. */
export async function endSession(deps: Deps, caller: Caller, sessionId: string): Promise<Answer<SessionResult>> {
  const client = requireClient(caller);
  const settings = await deps.settings.get();
  const now = deps.clock.now();
  const done = await deps.store.db.transaction().execute(async (trx) => {
    const session = await requireLiveSession(trx, { clientId: client.id, sessionId, now, lifetimes: settings });
    await endSessions(trx, client.id, [session.id], now, caller);
    return { session: { ...session, status: 'ended' as const, updated_at: now }, rows: await readSnapshot(trx, { clientId: client.id, settings, now }) };
  });
  const answer = await finish(deps, caller.azp, { result: null, rows: done.rows }, settings, now);
  return { ...answer, result: { session: withAbandon(done.session, settings), token: null } };
}

function withAbandon(s: SessionRow, settings: Parameters<typeof abandonAt>[1]): LiveSession {
  return { ...s, abandon_at: abandonAt(s, settings) };
}
