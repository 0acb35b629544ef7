/**
 * Clients: one per browser, identified by the `__client` cookie. Only the token's hash is stored;
 * the token is replaced at every sign-in, so a token planted before sign-in (session fixation)
 * is worthless after it.
 */
import type { Deps } from '../deps.js';
import { fail } from '../errors/index.js';
import * as clients from '../store/clients.js';
import type { ClientRow } from '../store/schema.js';
import type { Db } from '../store/types.js';
import { hashToken, newId, newToken } from '../util/ids.js';

/** Who is calling, as the HTTP layer found it: the browser's client (if any) and its headers. */
export interface Caller {
  client: ClientRow | null;
  /** The request's `Origin`. */
  origin: string | null;
  /** The origin a session token minted for this request names in `azp` (null: none). */
  azp: string | null;
  userAgent: string | undefined;
  /** The client's IP (for the audit log). */
  ip: string | null;
}

/** What a flow gives the HTTP layer besides its result: the new cookie token, if it changed. */
export interface CookieChange {
  cookie?: string;
}

/** The client a cookie token names, or null. */
export async function identifyClient(deps: Deps, token: string | undefined): Promise<ClientRow | null> {
  if (!token || token.length > 128) return null;
  return (await clients.byTokenHash(deps.store.db, hashToken(token))) ?? null;
}

/** The caller's client; a request without one is signed out. */
export function requireClient(caller: Caller): ClientRow {
  if (!caller.client) throw fail('signed_out');
  return caller.client;
}

/** A new client's row and cookie token, not yet written; `signInId` points it at the sign-in created with it. */
export function newClient(now: number, o: { signInId?: string } = {}): { client: ClientRow; token: string } {
  const token = newToken();
  const client: ClientRow = {
    id: newId('client'),
    token_hash: hashToken(token),
    sign_in_id: o.signInId ?? null,
    sign_up_id: null,
    last_active_session_id: null,
    created_at: now,
    updated_at: now,
  };
  return { client, token };
}

/** A new client, written in `db`. */
export async function createClient(db: Db, now: number, o: { signInId?: string } = {}): Promise<{ client: ClientRow; token: string }> {
  const made = newClient(now, o);
  await clients.insert(db, made.client);
  return made;
}

/**
 * The caller's client, or one created now (in `db`, the flow's transaction) for a browser that
 * has none — with `cookie`, the token the answer must set. A new client has no sessions to read.
 */
export async function clientOrNew(
  db: Db,
  caller: Caller,
  now: number,
  o: { signInId?: string } = {},
): Promise<{ client: ClientRow; cookie?: string }> {
  if (caller.client) return { client: caller.client };
  const made = await createClient(db, now, o);
  return { client: made.client, cookie: made.token };
}

/** A new cookie token and the hash the client row stores, for a caller that writes it itself. */
export function newClientToken(): { token: string; hash: string } {
  const token = newToken();
  return { token, hash: hashToken(token) };
}

/** Issues a fresh cookie token for the client and makes `sessionId` its active session. */
export async function rotateClientToken(db: Db, clientId: string, sessionId: string, now: number): Promise<{ client: ClientRow; token: string }> {
  const token = newToken();
  const client = await clients.rotateToken(db, { id: clientId, tokenHash: hashToken(token), sessionId, now });
  return { client, token };
}
