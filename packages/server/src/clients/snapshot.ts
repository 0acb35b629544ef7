/**
 * A `ClientSnapshot` is everything a frontend-API answer embeds about the browser: the client,
 * its live sessions with their users (identifiers and passkeys), its current sign-in and sign-up,
 * and a session token per live session. Every flow ends by reading one inside its transaction, so
 * the answer shows exactly what the request committed, and the HTTP presenter builds JSON from it
 * without touching the database.
 */
import type { Deps } from '../deps.js';
import { abandonAt, isLive } from '../sessions/lifetimes.js';
import * as clientSessions from '../store/client-sessions.js';
import * as clients from '../store/clients.js';
import * as identifiers from '../store/identifiers.js';
import * as passkeys from '../store/passkeys.js';
import type { ClientRow, IdentifierRow, PasskeyRow, SessionRow, SignInRow, SignUpRow, UserRow } from '../store/schema.js';
import * as sessions from '../store/sessions.js';
import * as signIns from '../store/sign-ins.js';
import * as signUps from '../store/sign-ups.js';
import * as users from '../store/users.js';
import type { Db } from '../store/types.js';
import type { InstanceSettings } from '../settings/index.js';

/** The rows a snapshot holds, for presenters (which import nothing from store/). */
export type { ClientRow, IdentifierRow, PasskeyRegistrationRow, PasskeyRow, SessionRow, SignInRow, SignUpRow, UserRow } from '../store/schema.js';

export interface UserBundle {
  user: UserRow;
  identifiers: IdentifierRow[];
  passkeys: PasskeyRow[];
}

export type LiveSession = SessionRow & { abandon_at: number };

export interface ClientSnapshot {
  client: ClientRow;
  /** Live sessions only, oldest first. */
  sessions: LiveSession[];
  users: ReadonlyMap<string, UserBundle>;
  signIn: SignInRow | null;
  signUp: SignUpRow | null;
  /** A session token per live session, for `last_active_token`. */
  tokens: ReadonlyMap<string, string>;
}

export type SnapshotRows = Omit<ClientSnapshot, 'tokens'>;

/**
 * Reads the snapshot's rows in `db` (the flow's transaction). `known` passes rows the flow has
 * just written or read, so they are not read again: the sign-in path counts every query.
 */
export async function readSnapshot(
  db: Db,
  o: {
    clientId: string;
    settings: InstanceSettings;
    now: number;
    /** `sessions: []`: the flow knows the client has no live sessions (it is new, or it looked). */
    known?: { client?: ClientRow; signIn?: SignInRow; sessions?: []; users?: UserRow[] };
  },
): Promise<SnapshotRows> {
  const known = o.known ?? {};
  const client = known.client ?? (await clients.byId(db, o.clientId));
  if (!client) throw new Error(`client ${o.clientId} vanished during its own request`);
  const keep = (s: SessionRow) => isLive(s, o.now, o.settings);
  const { sessions: kept, owners } = known.sessions
    ? { sessions: [], owners: new Map<string, UserBundle>() }
    : await clientSessions.activeWithOwners(db, client.id, { keep, ...(known.users ? { knownUsers: known.users } : {}) });
  const live = kept.map((s) => ({ ...s, abandon_at: abandonAt(s, o.settings) }));
  const signIn = client.sign_in_id
    ? known.signIn?.id === client.sign_in_id
      ? known.signIn
      : ((await signIns.byId(db, client.sign_in_id)) ?? null)
    : null;
  const signUp = client.sign_up_id ? ((await signUps.byId(db, client.sign_up_id)) ?? null) : null;
  return { client, sessions: live.filter((s) => owners.has(s.user_id)), users: owners, signIn, signUp };
}

/**
 * Adds a session token per live session. Runs after the transaction: the signing key may need a
 * read of its own, which must not wait on the transaction's connection.
 */
export async function withTokens(deps: Deps, rows: SnapshotRows, azp: string | null, settings: InstanceSettings, now: number): Promise<ClientSnapshot> {
  const tokens = new Map<string, string>();
  for (const s of rows.sessions) tokens.set(s.id, await deps.tokens.cached(s, settings.tokenSeconds, azp, now));
  return { ...rows, tokens };
}

/** A user's bundle read on its own (`GET /v1/me`). */
export async function readUser(db: Db, userId: string): Promise<UserBundle> {
  const user = await users.byId(db, userId);
  if (!user) throw new Error(`user ${userId} not found`);
  return { user, identifiers: await identifiers.ofUser(db, userId), passkeys: await passkeys.ofUser(db, userId) };
}

/** What every frontend-API flow returns: its result, the client as it now is, and a new cookie. */
export interface Answer<R> {
  result: R;
  snapshot: ClientSnapshot | null;
  /** A new `__client` cookie token, when the flow created or rotated the client's. */
  cookie?: string;
}

/** Completes an answer once the transaction has committed: tokens for the snapshot's sessions. */
export async function finish<R>(
  deps: Deps,
  azp: string | null,
  done: { result: R; rows: SnapshotRows | null; cookie?: string },
  settings: InstanceSettings,
  now: number,
): Promise<Answer<R>> {
  // The flow has committed: messages it wrote to the outbox (webhooks) can go now.
  deps.dispatcher.kick();
  const answer: Answer<R> = { result: done.result, snapshot: done.rows ? await withTokens(deps, done.rows, azp, settings, now) : null };
  if (done.cookie) answer.cookie = done.cookie;
  return answer;
}
