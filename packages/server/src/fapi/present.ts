/**
 * Resource shapes of the frontend API (snake_case, Unix-ms timestamps), as DESIGN.md fixes them,
 * built from what a flow returned: no I/O, no token minting. Every mutating answer carries the
 * whole client, because the SDK relies on it to stay current.
 */
import type {
  ClientSnapshot,
  LiveSession,
  PasskeyRegistrationRow,
  PasskeyRow,
  SignInRow,
  SignUpRow,
  UserBundle,
} from '../clients/snapshot.js';

export function verificationJson(status: string | null, nonce: string | null, attempts: number, expireAt: number | null, strategy = 'passkey') {
  if (!status) return null;
  return { object: 'verification', status, strategy, nonce, attempts, expire_at: expireAt, error: null };
}

/** The first factors a sign-in offers: passkey, and the email code when it was offered one (real or decoy). */
function firstFactorsJson(s: SignInRow) {
  if (s.status === 'needs_identifier') return [];
  const factors: Record<string, unknown>[] = [{ strategy: 'passkey' }];
  if (s.email_address_id) factors.push({ strategy: 'email_code', safe_identifier: s.safe_identifier, email_address_id: s.email_address_id, primary: true });
  return factors;
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

/** A passkey being added: its verification's nonce holds the creation options. */
export function pendingPasskeyJson(r: PasskeyRegistrationRow) {
  return {
    object: 'passkey',
    id: r.id,
    name: null,
    verification: verificationJson(r.verification_status, r.verification_nonce, r.verification_attempts, r.verification_expire_at),
    last_used_at: null,
    created_at: r.created_at,
    updated_at: r.created_at,
  };
}

export function deletedPasskeyJson(id: string) {
  return { object: 'passkey', id, deleted: true };
}

export function signInJson(s: SignInRow) {
  return {
    object: 'sign_in',
    id: s.id,
    status: s.status,
    identifier: s.identifier,
    supported_identifiers: ['email_address', 'username', 'passkey'],
    supported_first_factors: firstFactorsJson(s),
    supported_second_factors: null,
    first_factor_verification: verificationJson(s.verification_status, s.verification_nonce, s.verification_attempts, s.verification_expire_at, s.verification_strategy),
    second_factor_verification: null,
    user_data: null,
    created_session_id: s.created_session_id,
    abandon_at: s.abandon_at,
  };
}

/**
 * A sign-up's email verification in Clerk's shape: `next_action` says whether a code must be
 * requested (`needs_prepare`) or entered (`needs_attempt`). Null where none is required.
 */
export function emailVerificationJson(s: SignUpRow) {
  const status = s.email_verification_status;
  if (!status) return null;
  const sent = s.email_code_sent_at !== null;
  return {
    object: 'verification',
    status,
    strategy: sent ? 'email_code' : null,
    attempts: sent ? s.email_verification_attempts : null,
    expire_at: s.email_verification_expire_at,
    next_action: status === 'verified' ? '' : status === 'unverified' && sent ? 'needs_attempt' : 'needs_prepare',
    supported_strategies: ['email_code'],
    error: null,
  };
}

export function signUpJson(s: SignUpRow) {
  const emailPending = s.email_verification_status !== null && s.email_verification_status !== 'verified';
  const missing = s.status === 'complete' ? [] : [...(emailPending ? ['email_address'] : []), 'passkey'];
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
      email_address: emailVerificationJson(s),
    },
    created_session_id: s.created_session_id,
    created_user_id: s.created_user_id,
    abandon_at: s.abandon_at,
  };
}

export function userJson(b: UserBundle) {
  const emails = b.identifiers.filter((i) => i.type === 'email_address');
  const username = b.identifiers.find((i) => i.type === 'username');
  return {
    object: 'user',
    id: b.user.id,
    username: username?.value ?? null,
    primary_email_address_id: emails[0]?.id ?? null,
    email_addresses: emails.map((e) => ({
      object: 'email_address',
      id: e.id,
      email_address: e.value,
      verification: e.verified_at === null ? null : { object: 'verification', status: 'verified', strategy: 'email_code', attempts: null, expire_at: null },
      linked_to: [],
    })),
    first_name: null,
    last_name: null,
    image_url: '',
    has_image: false,
    passkeys: b.passkeys.map(passkeyJson),
    password_enabled: false,
    two_factor_enabled: false,
    last_sign_in_at: b.user.last_sign_in_at,
    created_at: b.user.created_at,
    updated_at: b.user.updated_at,
  };
}

/** A user's recovery codes: counts, and the codes themselves only in the answer that made them. */
export function recoveryCodesJson(r: { total: number; remaining: number; createdAt: number | null; codes?: string[] }) {
  return { object: 'recovery_codes', total: r.total, remaining: r.remaining, created_at: r.createdAt, codes: r.codes ?? null };
}

/** A session; its user and token are embedded while it is live. */
export function sessionJson(s: LiveSession, user: UserBundle | null, token: string | null) {
  const live = s.status === 'active';
  // Signed in with a recovery code and no passkey added yet: Clerk's `pending` session with a
  // task left (docs/recovery.md). The SDK acts as it but does not count it as signed in.
  const pending = live && s.limited === 1;
  return {
    object: 'session',
    id: s.id,
    status: pending ? 'pending' : s.status,
    tasks: pending ? [{ key: 'add-passkey' }] : null,
    expire_at: s.expire_at,
    abandon_at: s.abandon_at,
    last_active_at: s.last_active_at,
    last_active_organization_id: null,
    actor: null,
    user: live && user ? userJson(user) : null,
    public_user_data: null,
    last_active_token: live && token ? { object: 'token', jwt: token } : null,
    created_at: s.created_at,
    updated_at: s.updated_at,
  };
}

export function clientJson(snap: ClientSnapshot) {
  const { client } = snap;
  const lastActive = snap.sessions.some((s) => s.id === client.last_active_session_id) ? client.last_active_session_id : null;
  return {
    object: 'client',
    id: client.id,
    sessions: snap.sessions.map((s) => sessionJson(s, snap.users.get(s.user_id) ?? null, snap.tokens.get(s.id) ?? null)),
    // A completed sign-in stays until the next one starts, as on Clerk (it refuses a second
    // attempt). A finished sign-up is history, not the client's current attempt.
    sign_in: snap.signIn ? signInJson(snap.signIn) : null,
    sign_up: snap.signUp && snap.signUp.status !== 'complete' ? signUpJson(snap.signUp) : null,
    last_active_session_id: lastActive,
    cookie_expires_at: null,
    created_at: client.created_at,
    updated_at: client.updated_at,
  };
}
