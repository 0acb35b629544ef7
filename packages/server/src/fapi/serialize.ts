/**
 * Resource shapes of the frontend API (snake_case, Unix-ms timestamps), as DESIGN.md fixes them.
 * `loadClient` gathers what a client object embeds — sessions → user → passkeys — because every
 * mutating answer carries the whole client and the SDK relies on it to stay current.
 */
import type { Deps } from '../deps.js';
import { abandonAt, liveSessionsOfClient } from '../sessions/sessions.js';
import type { InstanceSettings } from '../settings/index.js';
import { prepared } from '../store/prepared.js';
import type { ClientRow, IdentifierRow, PasskeyRow, SessionRow, SignInRow, SignUpRow, UserRow } from '../store/schema.js';

export function verificationJson(
  status: string | null,
  nonce: string | null,
  attempts: number,
  expireAt: number | null,
) {
  if (!status) return null;
  return { object: 'verification', status, strategy: 'passkey', nonce, attempts, expire_at: expireAt, error: null };
}

export function passkeyJson(p: PasskeyRow) {
  return {
    object: 'passkey',
    id: p.id,
    name: p.name,
    provider_name: p.provider_name,
    verification: verificationJson('verified', null, 1, null),
    last_used_at: p.last_used_at,
    backed_up: p.backup_state === 1,
    created_at: p.created_at,
    updated_at: p.updated_at,
  };
}

export function signInJson(s: SignInRow) {
  return {
    object: 'sign_in',
    id: s.id,
    status: s.status,
    identifier: s.identifier,
    supported_identifiers: ['email_address', 'username', 'passkey'],
    supported_first_factors: s.status === 'needs_identifier' ? [] : [{ strategy: 'passkey' }],
    supported_second_factors: null,
    first_factor_verification: verificationJson(
      s.verification_status,
      s.verification_nonce,
      s.verification_attempts,
      s.verification_expire_at,
    ),
    second_factor_verification: null,
    user_data: null,
    created_session_id: s.created_session_id,
    abandon_at: s.abandon_at,
  };
}

export function signUpJson(s: SignUpRow) {
  const missing = s.status === 'complete' ? [] : ['passkey'];
  return {
    object: 'sign_up',
    id: s.id,
    status: s.status,
    username: s.username,
    email_address: s.email_address,
    required_fields: [],
    optional_fields: ['username', 'email_address'],
    missing_fields: [],
    unverified_fields: missing,
    verifications: {
      passkey: verificationJson(s.verification_status, s.verification_nonce, s.verification_attempts, s.verification_expire_at),
    },
    created_session_id: s.created_session_id,
    created_user_id: s.created_user_id,
    abandon_at: s.abandon_at,
  };
}

// What a client object embeds, read on every sign-in and page load: compiled once.
const userById = prepared<{ id: string }, UserRow>((db, p) => db.selectFrom('users').selectAll().where('id', '=', p('id')));
const identifiersOfUser = prepared<{ userId: string }, IdentifierRow>((db, p) =>
  db.selectFrom('identifiers').selectAll().where('user_id', '=', p('userId')).orderBy('created_at'),
);
const passkeysOfUser = prepared<{ userId: string }, PasskeyRow>((db, p) =>
  db.selectFrom('passkeys').selectAll().where('user_id', '=', p('userId')).orderBy('created_at').orderBy('id'),
);
const signInById = prepared<{ id: string }, SignInRow>((db, p) => db.selectFrom('sign_ins').selectAll().where('id', '=', p('id')));
const signUpById = prepared<{ id: string }, SignUpRow>((db, p) => db.selectFrom('sign_ups').selectAll().where('id', '=', p('id')));

export async function loadUserJson(deps: Deps, userId: string) {
  const db = deps.store.db;
  const [user, identifiers, passkeys] = await Promise.all([
    userById.first(db, { id: userId }),
    identifiersOfUser.all(db, { userId }),
    passkeysOfUser.all(db, { userId }),
  ]);
  if (!user) throw new Error(`user ${userId} not found`);
  const emails = identifiers.filter((i) => i.type === 'email_address');
  const username = identifiers.find((i) => i.type === 'username');
  return {
    object: 'user',
    id: user.id,
    username: username?.value ?? null,
    primary_email_address_id: emails[0]?.id ?? null,
    email_addresses: emails.map((e) => ({
      object: 'email_address',
      id: e.id,
      email_address: e.value,
      verification: null,
      linked_to: [],
    })),
    first_name: null,
    last_name: null,
    image_url: '',
    has_image: false,
    passkeys: passkeys.map(passkeyJson),
    password_enabled: false,
    two_factor_enabled: false,
    last_sign_in_at: user.last_sign_in_at,
    created_at: user.created_at,
    updated_at: user.updated_at,
  };
}

export async function sessionJson(
  deps: Deps,
  s: SessionRow,
  settings: InstanceSettings,
  azp: string | null,
  withToken: boolean,
  loadUser: (userId: string) => ReturnType<typeof loadUserJson> = (userId) => loadUserJson(deps, userId),
) {
  const live = s.status === 'active';
  const token = live && withToken ? await deps.tokens.cached(s, settings.tokenSeconds, azp, deps.clock.now()) : null;
  return {
    object: 'session',
    id: s.id,
    status: s.status,
    expire_at: s.expire_at,
    abandon_at: abandonAt(s, settings),
    last_active_at: s.last_active_at,
    last_active_organization_id: null,
    actor: null,
    user: live ? await loadUser(s.user_id) : null,
    public_user_data: null,
    last_active_token: token ? { object: 'token', jwt: token } : null,
    created_at: s.created_at,
    updated_at: s.updated_at,
  };
}

/** `known`: the client's current sign-in, or its live sessions, when the caller already holds them. */
export async function clientJson(deps: Deps, client: ClientRow | null, azp: string | null, known: { signIn?: SignInRow; sessions?: SessionRow[] } = {}) {
  if (!client) return null;
  const db = deps.store.db;
  const settings = await deps.settings.get();
  const now = deps.clock.now();
  const knownSignIn = known.signIn;
  const [sessions, signIn, signUp] = await Promise.all([
    known.sessions ?? liveSessionsOfClient(db, client.id, now, settings),
    knownSignIn?.id === client.sign_in_id
      ? knownSignIn
      : client.sign_in_id
        ? signInById.first(db, { id: client.sign_in_id })
        : undefined,
    client.sign_up_id ? signUpById.first(db, { id: client.sign_up_id }) : undefined,
  ]);
  const users = new Map<string, ReturnType<typeof loadUserJson>>();
  const loadOnce = (userId: string) => {
    let user = users.get(userId);
    if (!user) users.set(userId, (user = loadUserJson(deps, userId)));
    return user;
  };
  const lastActive = sessions.some((s) => s.id === client.last_active_session_id) ? client.last_active_session_id : null;
  return {
    object: 'client',
    id: client.id,
    // Several sessions of one browser usually belong to one user: load each user once.
    sessions: await Promise.all(sessions.map((s) => sessionJson(deps, s, settings, azp, true, loadOnce))),
    // A finished sign-in or sign-up is history, not the client's current attempt.
    sign_in: signIn && signIn.status !== 'complete' ? signInJson(signIn) : null,
    sign_up: signUp && signUp.status !== 'complete' ? signUpJson(signUp) : null,
    last_active_session_id: lastActive,
    cookie_expires_at: null,
    created_at: client.created_at,
    updated_at: client.updated_at,
  };
}
