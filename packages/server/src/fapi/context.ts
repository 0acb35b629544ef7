/**
 * Per-request state of the frontend API: who the caller is (the `__client` cookie), which origin
 * asked, and the reply envelope `{ response, client }` that every mutating answer uses.
 */
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { Caller, Deps } from '../deps.js';
import { errors } from '../errors/index.js';
import { createClient, findClientByToken } from '../sessions/clients.js';
import { requireLiveSession } from '../sessions/sessions.js';
import type { Kysely } from 'kysely';
import { prepared } from '../store/prepared.js';
import type { ClientRow, Database, SessionRow, SignInRow } from '../store/schema.js';
import { clientJson } from './serialize.js';

export const CLIENT_COOKIE = '__client';
const clientById = prepared<{ id: string }, ClientRow>((db, p) => db.selectFrom('clients').selectAll().where('id', '=', p('id')));
const COOKIE_MAX_AGE_S = 365 * 24 * 3600;

export type FapiEnv = {
  Variables: {
    deps: Deps;
    client: ClientRow | null;
    traceId: string;
  };
};

export type FapiContext = Context<FapiEnv>;

export function setClientCookie(c: FapiContext, token: string): void {
  const dev = c.var.deps.config.mode === 'development';
  setCookie(c, CLIENT_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    // Secure outside development; in development browsers treat localhost as secure anyway.
    secure: !dev,
    path: '/',
    maxAge: COOKIE_MAX_AGE_S,
  });
}

export async function loadClientFromCookie(c: FapiContext): Promise<ClientRow | null> {
  return findClientByToken(c.var.deps.store.db, getCookie(c, CLIENT_COOKIE));
}

/**
 * The caller's client, created (and its cookie set) on first need — in `db`, which may be a
 * transaction, pointing at the sign-in `o.signInId` if one is being created with it.
 */
export async function ensureCaller(c: FapiContext, db: Kysely<Database> = c.var.deps.store.db, o: { signInId?: string } = {}): Promise<Caller> {
  let client = c.var.client;
  let created = false;
  if (!client) {
    const made = await createClient(db, c.var.deps.clock.now(), o);
    setClientCookie(c, made.token);
    client = made.client;
    created = true;
    c.set('client', client);
  }
  return { clientId: client.id, origin: c.req.header('origin') ?? null, userAgent: c.req.header('user-agent'), newClient: created };
}

/** The caller must already have a client (session endpoints); otherwise they are signed out. */
export function existingCaller(c: FapiContext): Caller {
  const client = c.var.client;
  if (!client) throw errors.signedOut();
  return { clientId: client.id, origin: c.req.header('origin') ?? null, userAgent: c.req.header('user-agent') };
}

/** The session acting in `/v1/me` calls: `_clerk_session_id`, else the client's last active one. */
export async function actingSession(c: FapiContext): Promise<{ caller: Caller; session: SessionRow }> {
  const caller = existingCaller(c);
  const sessionId = c.req.query('_clerk_session_id') || c.var.client!.last_active_session_id;
  if (!sessionId) throw errors.signedOut();
  const deps = c.var.deps;
  const settings = await deps.settings.get();
  const session = await requireLiveSession(deps.store.db, { clientId: caller.clientId, sessionId, now: deps.clock.now(), lifetimes: settings });
  return { caller, session };
}

/**
 * The page a session token is minted for (its `azp`). Browsers send `Origin` on cross-origin
 * requests and on every POST, but not on a same-origin GET — and `GET /v1/client` at page load is
 * where an app served from the frontend API's own origin gets its first token. There the
 * `Referer` (sent same-origin under the default referrer policy) names the page; without either
 * header the token carries no `azp`.
 */
export function tokenOrigin(c: FapiContext): string | null {
  const origin = c.req.header('origin');
  if (origin) return origin;
  const referer = c.req.header('referer');
  if (!referer) return null;
  try {
    const o = new URL(referer).origin;
    return o === 'null' ? null : o;
  } catch {
    return null;
  }
}

/**
 * `{ response, client }` with the client re-read, so it reflects what the request just changed —
 * unless the route passes the client row as it just wrote it (the sign-in path, where every
 * query counts), and the sign-in it points to.
 */
export async function envelope(
  c: FapiContext,
  response: unknown,
  status: 200 | 201 = 200,
  known: { client?: ClientRow; signIn?: SignInRow; sessions?: SessionRow[] } = {},
) {
  const deps = c.var.deps;
  const id = c.var.client?.id;
  const client = known.client ?? (id ? ((await clientById.first(deps.store.db, { id })) ?? null) : null);
  return c.json({ response, client: await clientJson(deps, client, tokenOrigin(c), known) }, status);
}
