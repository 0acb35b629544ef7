/**
 * The public shapes of the SDK's resources. Names, fields and method signatures follow Clerk's
 * `@clerk/types`, so custom-flow code written for Clerk compiles against these unchanged.
 */
import type { LatchkeyAPIError } from '../errors.js';
import type { PublicKeyCredentialJSONLike } from '../webauthn/credential.js';

export type VerificationStatus = 'unverified' | 'verified' | 'failed' | 'expired' | 'transferable';
export type SignInStatus = 'needs_identifier' | 'needs_first_factor' | 'needs_second_factor' | 'complete';
export type SignUpStatus = 'missing_requirements' | 'complete' | 'abandoned';
export type SessionStatus = 'active' | 'ended' | 'expired' | 'removed' | 'replaced' | 'revoked' | 'abandoned' | 'pending';

/** A credential from `navigator.credentials`, or one already serialised to WebAuthn JSON. */
export type PublicKeyCredentialInput = PublicKeyCredential | PublicKeyCredentialJSONLike;

export interface VerificationResource {
  status: VerificationStatus | null;
  strategy: string | null;
  /** For passkeys: the WebAuthn options as a JSON string. */
  nonce: string | null;
  attempts: number | null;
  expireAt: Date | null;
  error: LatchkeyAPIError | null;
}

export interface DeletedObjectResource {
  object: string;
  id?: string;
  deleted: boolean;
}

export interface PasskeyResource {
  id: string;
  name: string | null;
  /** Who stores the passkey ("iCloud Keychain", "1Password"…), when the server knows. */
  providerName: string | null;
  verification: VerificationResource | null;
  lastUsedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  update(params: { name?: string }): Promise<PasskeyResource>;
  delete(): Promise<DeletedObjectResource>;
}

export interface EmailAddressResource {
  id: string;
  emailAddress: string;
  toString(): string;
}

export interface UserResource {
  id: string;
  username: string | null;
  primaryEmailAddressId: string | null;
  primaryEmailAddress: EmailAddressResource | null;
  emailAddresses: EmailAddressResource[];
  passkeys: PasskeyResource[];
  createdAt: Date;
  updatedAt: Date;
  /**
   * Registers a new passkey for this user (browser prompt included) and returns it verified.
   * `{ mediation: 'conditional' }`: no prompt, if the browser's password manager agrees (see
   * `CreatePasskeyParams`).
   */
  createPasskey(params?: CreatePasskeyParams): Promise<PasskeyResource>;
  reload(): Promise<UserResource>;
  /**
   * Sets or replaces the username and/or the email address (`PATCH /v1/me`). `emailAddress` is a
   * Latchkey addition: the address is taken as typed (no verification email yet).
   */
  update(params: UpdateUserParams): Promise<UserResource>;
  /** Deletes the account: every session on every browser ends (`DELETE /v1/me`). */
  delete(): Promise<DeletedObjectResource>;
  /** The user's active sessions on every browser (`GET /v1/me/sessions/active`). */
  getSessions(): Promise<SessionWithActivitiesResource[]>;
  /**
   * A new set of ten recovery codes, replacing the old one (`POST /v1/me/recovery_codes`). The
   * codes are in this answer only: show them once and let the user keep them.
   */
  createRecoveryCodes(): Promise<RecoveryCodesResource>;
  /** How many recovery codes remain (`GET /v1/me/recovery_codes`); `codes` is null. */
  getRecoveryCodes(): Promise<RecoveryCodesResource>;
}

/**
 * Options of `user.createPasskey()` (a Latchkey addition; Clerk's takes none).
 * @example
 * // Right after a sign-in without a passkey: let the browser add one silently, if it will.
 * if (await isWebAuthnConditionalCreateSupported()) {
 *   user.createPasskey({ mediation: 'conditional' }).catch(() => {}) // declined: offer the button
 * }
 */
export interface CreatePasskeyParams {
  /**
   * `'conditional'`: WebAuthn conditional create (Chrome 136+, Safari 18). The browser creates the
   * passkey without a modal, typically only right after the user signed in with a password it
   * filled; else it refuses (`passkey_registration_cancelled`) or never answers. Rejects with
   * `passkey_not_supported`, before any request, where `isWebAuthnConditionalCreateSupported()`
   * is false. A later `createPasskey()` or passkey sign-in aborts it (`passkey_operation_aborted`).
   */
  mediation?: 'conditional';
}

/** A user's recovery codes: counts, and the codes themselves only right after they were made. */
export interface RecoveryCodesResource {
  total: number;
  remaining: number;
  createdAt: Date | null;
  codes: string[] | null;
}

export interface UpdateUserParams {
  username?: string;
  emailAddress?: string;
}

/** A session in the user's list of active devices; no token, no user. */
export interface SessionWithActivitiesResource {
  id: string;
  status: SessionStatus;
  lastActiveAt: Date;
  expireAt: Date;
  abandonAt: Date | null;
  createdAt: Date;
  /** Where the session was used; null: Latchkey does not record it. */
  latestActivity: null;
  /** Ends the session, on whichever browser holds it (`POST /v1/me/sessions/{id}/revoke`). */
  revoke(): Promise<SessionWithActivitiesResource>;
}

export interface TokenResource {
  /** The encoded JWT. */
  jwt: string;
  getRawString(): string;
}

export interface GetTokenOptions {
  skipCache?: boolean;
}

/** What a `pending` session must do before it is fully signed in (`add-passkey`: after a recovery code). */
export interface SessionTask {
  key: string;
}

export interface SessionResource {
  id: string;
  /** `pending`: signed in with a recovery code; it may only read the profile and add a passkey. */
  status: SessionStatus;
  /** The tasks left for a `pending` session, else null. */
  tasks: SessionTask[] | null;
  currentTask: SessionTask | undefined;
  user: UserResource | null;
  lastActiveAt: Date;
  expireAt: Date;
  abandonAt: Date | null;
  lastActiveToken: TokenResource | null;
  createdAt: Date;
  updatedAt: Date;
  /** The session JWT, from cache until ~10 s before `exp`; null when the session is not active. */
  getToken(options?: GetTokenOptions): Promise<string | null>;
  touch(): Promise<SessionResource>;
  end(): Promise<SessionResource>;
}

export interface SignInFirstFactor {
  strategy: string;
  /** `email_code`: the address the code goes to, masked (`a***@example.com`). */
  safeIdentifier?: string;
  /** `email_code`: pass it to `prepareFirstFactor`. */
  emailAddressId?: string;
  primary?: boolean;
}

export interface SignInCreateParams {
  identifier?: string;
  strategy?: 'passkey';
}

/** `email_code` (when the instance allows email-code sign-in): emails a six-digit code. */
export type PrepareFirstFactorParams = { strategy: 'passkey' } | { strategy: 'email_code'; emailAddressId?: string };

export type AttemptFirstFactorParams =
  | { strategy: 'passkey'; publicKeyCredential: PublicKeyCredentialInput }
  | { strategy: 'email_code'; code: string }
  /** After `create({ identifier })`: a recovery code; `complete` makes a `pending` session. */
  | { strategy: 'recovery_code'; code: string };

export interface AuthenticateWithPasskeyParams {
  /** `discoverable`: the browser lists every passkey; `autofill`: offered in the username field. */
  flow?: 'discoverable' | 'autofill';
}

export interface SignInResource {
  /** Undefined until `create()` has started a sign-in. */
  id: string | undefined;
  status: SignInStatus | null;
  identifier: string | null;
  supportedFirstFactors: SignInFirstFactor[];
  firstFactorVerification: VerificationResource;
  createdSessionId: string | null;
  create(params: SignInCreateParams): Promise<SignInResource>;
  prepareFirstFactor(params: PrepareFirstFactorParams): Promise<SignInResource>;
  attemptFirstFactor(params: AttemptFirstFactorParams): Promise<SignInResource>;
  authenticateWithPasskey(params?: AuthenticateWithPasskeyParams): Promise<SignInResource>;
}

export interface SignUpCreateParams {
  username?: string;
  emailAddress?: string;
}

/** A sign-up's verification of one field, with Clerk's `nextAction` and `supportedStrategies`. */
export interface SignUpVerificationResource extends VerificationResource {
  /** `'needs_prepare'` (no code sent yet), `'needs_attempt'` (a code is out), or `''`. */
  nextAction: string;
  /** For the email address: `['email_code']` when the instance requires verification. */
  supportedStrategies: string[];
}

export interface SignUpVerificationsResource {
  passkey: VerificationResource;
  /** With `emailVerification: 'required'` and an address: the email code's state. */
  emailAddress: SignUpVerificationResource;
}

export type PrepareSignUpVerificationParams = { strategy: 'passkey' } | { strategy: 'email_code' };
export type AttemptSignUpVerificationParams =
  | { strategy: 'passkey'; publicKeyCredential: PublicKeyCredentialInput }
  | { strategy: 'email_code'; code: string };

export interface SignUpResource {
  id: string | undefined;
  status: SignUpStatus | null;
  username: string | null;
  emailAddress: string | null;
  verifications: SignUpVerificationsResource;
  /** Fields still to verify (`'email_address'`, `'passkey'`); empty once complete or before create. */
  unverifiedFields: string[];
  createdSessionId: string | null;
  createdUserId: string | null;
  create(params: SignUpCreateParams): Promise<SignUpResource>;
  prepareVerification(params: PrepareSignUpVerificationParams): Promise<SignUpResource>;
  preparePasskeyVerification(): Promise<SignUpResource>;
  attemptVerification(params: AttemptSignUpVerificationParams): Promise<SignUpResource>;
  /** Emails a six-digit code to the sign-up's address (Clerk's method; `strategy` defaults to `email_code`). */
  prepareEmailAddressVerification(params?: { strategy?: 'email_code' }): Promise<SignUpResource>;
  /** Checks the code from the email (Clerk's method). */
  attemptEmailAddressVerification(params: { code: string }): Promise<SignUpResource>;
  /**
   * create → prepare → browser prompt → attempt, in one call. Throws `email_address_unverified`
   * (a `LatchkeyRuntimeError`, before any prompt) when the instance requires the address verified
   * first: then verify it with the email code and finish with `completeWithPasskey()`.
   */
  createWithPasskey(params?: SignUpCreateParams): Promise<SignUpResource>;
  /** prepare → browser prompt → attempt on the current sign-up (e.g. after its email was verified). */
  completeWithPasskey(): Promise<SignUpResource>;
  /** True when the email address must be verified before the passkey step. */
  readonly needsEmailVerification: boolean;
}

export interface ClientResource {
  /** Empty string while the browser has no client yet (before its first sign-in or sign-up). */
  id: string;
  sessions: SessionResource[];
  /** Sessions whose status is `active`. */
  signedInSessions: SessionResource[];
  signIn: SignInResource;
  signUp: SignUpResource;
  lastActiveSessionId: string | null;
  createdAt: Date | null;
  updatedAt: Date | null;
}

export interface EnvironmentResource {
  userSettings: {
    /** `recoveryCode.enabled`: the instance offers recovery codes (setting `recoveryCodes`). */
    attributes: { passkey: { enabled: boolean }; recoveryCode: { enabled: boolean } };
    passkeySettings: { allowAutofill: boolean; showSignInButton: boolean };
  };
  /**
   * The instance's name and colours (`#rrggbb`, null when unset: keep the components' defaults).
   * The hosted account portal themes itself from these.
   */
  displayConfig: { applicationName: string; brandColor: string | null; backgroundColor: string | null };
  /** `singleSessionMode`: a browser holds one signed-in account; sign-in while signed in is refused. */
  authConfig: { singleSessionMode: boolean };
}
