/**
 * The database schema as Kysely types. One schema for SQLite and PostgreSQL: ids are text,
 * timestamps are Unix milliseconds (bigint), booleans are 0/1 integers, JSON is text, binary is
 * BLOB/bytea. Keeping to these common types is what lets one set of queries serve both engines.
 */
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

export interface UsersTable {
  id: string;
  /** WebAuthn user.id: random bytes (base64url), never personal data (§14.6.1). */
  user_handle: string;
  created_at: number;
  updated_at: number;
  last_sign_in_at: number | null;
  /** 1: refused at every sign-in; set with the user's sessions revoked (backend API ban). */
  banned: Generated<number>;
  /** JSON objects, set through the backend API. */
  public_metadata: Generated<string>;
  private_metadata: Generated<string>;
}

export interface IdentifiersTable {
  id: string;
  user_id: string;
  type: 'email_address' | 'username';
  value: string;
  /** Lower-cased for case-insensitive uniqueness. */
  normalized: string;
  created_at: number;
  /** When the owner proved they receive mail there (an email code); null: never. */
  verified_at: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface PasskeysTable {
  id: string;
  user_id: string;
  credential_id: string;
  public_key: Uint8Array;
  alg: number;
  counter: number;
  transports: string;
  aaguid: string;
  backup_eligible: number;
  backup_state: number;
  name: string;
  provider_name: string;
  last_used_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface ClientsTable {
  id: string;
  token_hash: string;
  sign_in_id: string | null;
  sign_up_id: string | null;
  last_active_session_id: string | null;
  created_at: number;
  updated_at: number;
}

export type SessionStatus = 'active' | 'ended' | 'revoked' | 'expired';

export interface SessionsTable {
  id: string;
  client_id: string;
  user_id: string;
  status: SessionStatus;
  last_active_at: number;
  /** Absolute end of life, fixed at creation. */
  expire_at: number;
  created_at: number;
  updated_at: number;
  /** 1: signed in with a recovery code; may only read the profile and add a passkey (0013). */
  limited: Generated<number>;
}

export type VerificationStatus = 'unverified' | 'verified' | 'failed' | 'expired';

/**
 * One WebAuthn verification — the same columns on every ceremony's row (sign-in, sign-up,
 * pending passkey): status, the challenge, the options sent to the browser (`nonce`, as Clerk's
 * wire format names it), attempts and expiry. A challenge is taken by one conditional UPDATE from
 * `unverified` (single use, also when the attempt then fails).
 */
export interface VerificationColumns {
  verification_status: VerificationStatus | null;
  verification_challenge: string | null;
  verification_nonce: string | null;
  verification_attempts: number;
  verification_expire_at: number | null;
}

/** Which first factor a sign-in's verification holds (and, once complete, which one signed it in). */
export type SignInStrategy = 'passkey' | 'email_code' | 'recovery_code';
export type SignInStatus = 'needs_identifier' | 'needs_first_factor' | 'needs_second_factor' | 'complete';
export interface SignInsTable extends VerificationColumns {
  id: string;
  client_id: string;
  status: SignInStatus;
  identifier: string | null;
  /** Resolved user, or null for an unknown identifier / discoverable flow. */
  user_id: string | null;
  /** Which first factor the verification columns hold: `passkey` or `email_code`. */
  verification_strategy: ColumnType<SignInStrategy, SignInStrategy | undefined, SignInStrategy>;
  /** The email code's MAC (email/codes.ts); null once settled, or before one is sent. */
  email_code_mac: ColumnType<string | null, string | null | undefined, string | null>;
  /** When the last code went out: the resend countdown runs from here. */
  email_code_sent_at: ColumnType<number | null, number | null | undefined, number | null>;
  /** The email factor offered (an identifier id, or a decoy's), fixed at creation; null if none. */
  email_address_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The offered address, masked (`a***@example.com`). */
  safe_identifier: ColumnType<string | null, string | null | undefined, string | null>;
  created_session_id: string | null;
  created_at: number;
  updated_at: number;
  abandon_at: number;
}

export type SignUpStatus = 'missing_requirements' | 'complete' | 'abandoned';

export interface SignUpsTable extends VerificationColumns {
  id: string;
  client_id: string;
  status: SignUpStatus;
  username: string | null;
  email_address: string | null;
  /** The future user's WebAuthn handle, chosen when the passkey ceremony is prepared. */
  user_handle: string | null;
  /** The email code's MAC (email/codes.ts); null once used, or before one is sent. */
  email_code_mac: string | null;
  email_verification_status: VerificationStatus | null;
  email_verification_attempts: number;
  email_verification_expire_at: number | null;
  /** When the last code went out: the resend countdown runs from here. */
  email_code_sent_at: number | null;
  created_session_id: string | null;
  created_user_id: string | null;
  created_at: number;
  updated_at: number;
  abandon_at: number;
}

/** A passkey being added by a signed-in user: exists until its attestation verifies (or is swept). */
export interface PasskeyRegistrationsTable extends VerificationColumns {
  /** The id the passkey will have once verified. */
  id: string;
  client_id: string;
  user_id: string;
  /** 1: started with `mediation=conditional` (no prompt; UP and UV may be false), else 0. */
  conditional: number;
  created_at: number;
}

export interface SigningKeysTable {
  kid: string;
  alg: string;
  private_jwk: string;
  public_jwk: string;
  /** 'current' signs; 'previous' is still published; null is retired. Unique, so only one of each. */
  slot: 'current' | 'previous' | null;
  created_at: number;
}

export interface SettingsTable {
  id: string;
  value: string;
  updated_at: number;
}

export interface SecretsTable {
  name: string;
  value: string;
  created_at: number;
}

export interface AuditEventsTable {
  id: Generated<number>;
  type: string;
  user_id: string | null;
  client_id: string | null;
  data: string;
  created_at: number;
  /** Who acted: `user`, `secret_key`, `admin` or `system`, and their id. */
  actor_type: string | null;
  actor_id: string | null;
  ip: string | null;
  user_agent: string | null;
}

export interface SecretKeysTable {
  id: string;
  name: string;
  mode: 'test' | 'live';
  /** SHA-256 of the whole key, base64url: the key itself is shown once and never stored. */
  key_hash: string;
  /** The key's last four characters, so an operator can tell keys apart in a list. */
  key_hint: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface JwtTemplatesTable {
  id: string;
  name: string;
  /** The claims object as JSON, shortcodes (`{{user.id}}`) unrendered. */
  claims: string;
  lifetime_seconds: number;
  allowed_clock_skew_seconds: number;
  /** `instance`: the session-token signing key (ES256 or RS256, in the JWKS); `HS256`: `signing_key`. */
  signing_algorithm: 'instance' | 'HS256';
  signing_key: string | null;
  created_at: number;
  updated_at: number;
}

export type OutboxStatus = 'pending' | 'done' | 'failed';

/** One message to deliver: written in the change's transaction, claimed and delivered later. */
export interface OutboxTable {
  id: string;
  /** Which handler delivers it (`webhook`; email later). */
  topic: string;
  /** JSON, the handler's input. */
  payload: string;
  status: OutboxStatus;
  /** Delivery attempts started so far. */
  attempts: number;
  /** Not claimed before this time (backoff). */
  available_at: number;
  /** A claim's lease: until then no other dispatcher takes it. */
  locked_until: number | null;
  /** The current claim; only its holder may settle the message. */
  claim_token: string | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

export interface WebhookEndpointsTable {
  id: string;
  url: string;
  description: string;
  /** JSON array of event types; empty means every event. */
  event_types: string;
  /** `whsec_…` (Standard Webhooks): kept in clear, since every delivery is signed with it. */
  secret: string;
  created_at: number;
  updated_at: number;
}

/** The delivery log: one row per attempt to deliver a message to an endpoint. */
export interface WebhookDeliveriesTable {
  id: string;
  endpoint_id: string;
  /** The outbox message, which is also the `webhook-id` the receiver sees. */
  message_id: string;
  event_type: string;
  attempt: number;
  status: 'succeeded' | 'failed';
  response_status: number | null;
  error: string | null;
  created_at: number;
}

/** One email code sent: counted per address and per IP for the resend limits. */
export interface RecoveryCodesTable {
  id: string;
  user_id: string;
  /** HMAC of the code, keyed and bound to the user (recovery/codes.ts); never the code. */
  mac: string;
  used_at: number | null;
  created_at: number;
}

/** One failed recovery-code attempt, counted for the per-identifier and per-IP limits. */
export interface RecoveryAttemptsTable {
  id: string;
  /** The normalized identifier typed (known or not: unknown ones are limited alike). */
  subject: string;
  ip: string;
  created_at: number;
}

export interface EmailSendsTable {
  id: string;
  /** Normalized (lower-cased). */
  address: string;
  ip: string;
  created_at: number;
}

/** Dashboard administrators (migration 0010): not users of the app, never in `users`. */
export interface AdministratorsTable {
  id: string;
  name: string;
  /** WebAuthn user handle (base64url of 32 random bytes), as for users. */
  user_handle: string;
  created_at: number;
  last_sign_in_at: number | null;
}

export interface AdministratorPasskeysTable {
  id: string;
  administrator_id: string;
  credential_id: string;
  public_key: Uint8Array<ArrayBuffer>;
  alg: number;
  counter: number;
  transports: string;
  aaguid: string;
  backup_eligible: number;
  name: string;
  created_at: number;
  last_used_at: number | null;
}

/** One-time links that let someone register as an administrator (`setup`: the first; `invite`: the next). */
export interface AdministratorLinksTable {
  id: string;
  /** SHA-256 of the token, base64url; the token is only ever in the printed link. */
  token_hash: string;
  kind: 'setup' | 'invite';
  /** The administrator who invited (null for the setup link and for `latchkey admin invite`). */
  created_by: string | null;
  created_at: number;
  expire_at: number;
  used_at: number | null;
  /** The administrator the link created. */
  used_by: string | null;
}

export interface AdministratorSessionsTable {
  id: string;
  administrator_id: string;
  /** SHA-256 of the cookie's token, base64url. */
  token_hash: string;
  created_at: number;
  last_active_at: number;
  expire_at: number;
  ended_at: number | null;
  ip: string | null;
  user_agent: string | null;
}

/** A pending administrator ceremony: its challenge, taken once. */
export interface AdministratorCeremoniesTable {
  id: string;
  kind: 'register' | 'sign_in';
  challenge: string;
  /** Registration: the handle the new administrator's passkey was created for. */
  user_handle: string | null;
  created_at: number;
  expire_at: number;
  used_at: number | null;
}

export interface Database {
  administrators: AdministratorsTable;
  administrator_passkeys: AdministratorPasskeysTable;
  administrator_links: AdministratorLinksTable;
  administrator_sessions: AdministratorSessionsTable;
  administrator_ceremonies: AdministratorCeremoniesTable;
  users: UsersTable;
  identifiers: IdentifiersTable;
  passkeys: PasskeysTable;
  passkey_registrations: PasskeyRegistrationsTable;
  clients: ClientsTable;
  sessions: SessionsTable;
  sign_ins: SignInsTable;
  sign_ups: SignUpsTable;
  signing_keys: SigningKeysTable;
  settings: SettingsTable;
  secrets: SecretsTable;
  audit_events: AuditEventsTable;
  jwt_templates: JwtTemplatesTable;
  secret_keys: SecretKeysTable;
  outbox: OutboxTable;
  email_sends: EmailSendsTable;
  recovery_codes: RecoveryCodesTable;
  recovery_attempts: RecoveryAttemptsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type SecretKeyRow = Selectable<SecretKeysTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
export type PasskeyRow = Selectable<PasskeysTable>;
export type NewPasskey = Insertable<PasskeysTable>;
export type PasskeyRegistrationRow = Selectable<PasskeyRegistrationsTable>;
export type ClientRow = Selectable<ClientsTable>;
export type SessionRow = Selectable<SessionsTable>;
export type RecoveryCodeRow = Selectable<RecoveryCodesTable>;
export type SignInRow = Selectable<SignInsTable>;
export type SignUpRow = Selectable<SignUpsTable>;
export type IdentifierRow = Selectable<IdentifiersTable>;
export type JwtTemplateRow = Selectable<JwtTemplatesTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type WebhookEndpointRow = Selectable<WebhookEndpointsTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;
export type AdministratorRow = Selectable<AdministratorsTable>;
export type AdministratorPasskeyRow = Selectable<AdministratorPasskeysTable>;
export type AdministratorLinkRow = Selectable<AdministratorLinksTable>;
export type AdministratorSessionRow = Selectable<AdministratorSessionsTable>;
export type AdministratorCeremonyRow = Selectable<AdministratorCeremoniesTable>;
