/**
 * The error catalogue: every code the server can answer with, its HTTP status and its default
 * message. A throw site names a code and, at most, the details of this occurrence (which
 * parameter, why); the status and the short message come from here, so one code always answers
 * with one status. Codes are stable — clients `switch (err.code)` — so never rename one.
 *
 * `sent: false` marks codes DESIGN.md keeps for compatibility with Clerk's catalogue that this
 * server never answers with (and why), so a client written for them still type-checks.
 */
export interface CatalogueEntry {
  status: number;
  /** The short message; `param` is the parameter at fault where there is one. */
  message: string | ((param: string | undefined) => string);
  /** The default long message, when a throw site gives none. */
  longMessage?: string | ((param: string | undefined) => string);
  /** False for codes kept for compatibility that we never send. */
  sent: boolean;
  note?: string;
}

export const CATALOGUE = {
  // WebAuthn ceremonies.
  passkey_registration_failure: { status: 400, message: 'Passkey registration failed.', sent: true },
  passkey_invalid_public_key_credential: { status: 422, message: 'The passkey response is malformed.', sent: true },
  passkey_authentication_failure: { status: 400, message: 'Passkey verification failed.', sent: true },
  passkey_not_registered: {
    status: 404,
    message: 'This passkey is not registered.',
    longMessage: 'This passkey is not registered with this application; it may have been deleted.',
    sent: true,
  },
  passkey_quota_exceeded: { status: 403, message: 'Passkey limit reached.', sent: true },
  passkey_last_remaining: {
    status: 409,
    message: 'This is your only passkey.',
    longMessage: 'You cannot delete your only passkey: you would have no way to sign in. Add another passkey first.',
    sent: true,
  },
  verification_expired: {
    status: 400,
    message: 'This verification has expired.',
    longMessage: 'The passkey challenge is used, expired or was never issued to this browser; start again.',
    sent: true,
  },
  passkey_invalid_verification: {
    status: 400,
    message: 'The passkey verification is invalid.',
    sent: false,
    note: 'a failed verification answers passkey_authentication_failure or passkey_registration_failure',
  },
  no_passkeys_found_for_user: {
    status: 400,
    message: 'This account has no passkeys.',
    sent: false,
    note: 'a user without passkeys gets decoy credentials, exactly like an unknown identifier (no enumeration)',
  },
  verification_already_verified: {
    status: 400,
    message: 'This verification is already verified.',
    longMessage: 'This email address is already verified; go on to the next step.',
    sent: true,
    note: 'sent for an email code on an address already verified; a completed sign-in or sign-up answers sign_in_already_complete / sign_up_already_complete',
  },

  // Email codes.
  form_code_incorrect: {
    status: 422,
    message: 'Incorrect code.',
    longMessage: 'That code is not the one we sent; check the latest email and try again.',
    sent: true,
  },
  verification_failed: {
    status: 422,
    message: 'Too many failed attempts.',
    longMessage: 'This code was entered wrongly too many times; request a new code.',
    sent: true,
  },
  email_address_unverified: {
    status: 422,
    message: 'Verify your email address first.',
    longMessage: 'This instance requires a verified email address: enter the code we emailed you before adding a passkey.',
    sent: true,
  },

  // Forms and parameters.
  form_identifier_not_found: {
    status: 422,
    message: 'Account not found.',
    sent: false,
    note: 'an unknown identifier gets decoy credentials instead (no enumeration)',
  },
  form_identifier_exists: {
    status: 422,
    message: (p) => `That ${p === 'email_address' ? 'email address' : (p ?? 'identifier')} is taken.`,
    sent: true,
  },
  form_param_missing: { status: 422, message: (p) => `${p} is missing.`, longMessage: (p) => `Enter ${p}.`, sent: true },
  form_param_format_invalid: { status: 422, message: (p) => `${p} is invalid.`, sent: true },
  form_param_unknown_value: {
    status: 422,
    message: (p) => `${p} has an unknown value.`,
    sent: false,
    note: 'unknown values answer form_param_format_invalid',
  },

  // Who is calling.
  origin_invalid: { status: 400, message: 'Origin not allowed.', sent: true },
  signed_out: {
    status: 401,
    message: 'You are signed out.',
    longMessage: 'This request needs an active session; sign in first.',
    sent: true,
  },
  session_exists: {
    status: 400,
    message: 'Session already exists.',
    longMessage: "You're already signed in. Sign out first to use another account.",
    sent: true,
    note: 'single-session mode (the default): a sign-in or sign-up on a browser that already has a live session',
  },
  authentication_invalid: {
    status: 401,
    message: 'Authentication is invalid.',
    longMessage: 'The secret key is malformed, unknown, revoked or of the wrong kind.',
    sent: true,
    note: 'backend API only; the frontend API answers signed_out',
  },
  secret_key_required: {
    status: 401,
    message: 'A secret key is required.',
    longMessage: 'The backend API needs Authorization: Bearer sk_…; browser cookies are not accepted here.',
    sent: true,
  },
  secret_key_not_allowed: {
    status: 401,
    message: 'Secret keys are not accepted by the frontend API.',
    longMessage: 'This is a frontend API route, called by browsers with their cookie; never send a secret key to it.',
    sent: true,
  },
  session_not_active: {
    status: 400,
    message: 'This session is not active.',
    longMessage: 'The session has ended, was revoked or expired; tokens are minted for active sessions only.',
    sent: true,
  },
  user_banned: {
    status: 403,
    message: 'This account is banned.',
    longMessage: 'This account has been banned by the application; it cannot sign in.',
    sent: true,
  },
  admin_session_required: {
    status: 401,
    message: 'Sign in to the dashboard.',
    longMessage: 'This dashboard request needs an administrator signed in with a passkey; the dashboard session is missing, ended or timed out.',
    sent: true,
    note: 'the dashboard API (/dashboard/api) only',
  },
  admin_link_invalid: {
    status: 400,
    message: 'This link does not work.',
    longMessage: 'This setup or invitation link has been used, has expired or was never issued. Ask an administrator for a new one (latchkey admin invite).',
    sent: true,
  },
  session_recovery_limited: {
    status: 403,
    message: 'Add a passkey to finish signing in.',
    longMessage: 'This session was signed in with a recovery code: it can read the profile and register a new passkey, nothing else, until a passkey is added.',
    sent: true,
  },
  too_many_requests: { status: 429, message: 'Too many requests.', sent: true },
  feature_not_enabled: {
    status: 403,
    message: 'Passkeys are not enabled.',
    longMessage: 'Passkeys are switched off for this instance; an administrator can switch them on.',
    sent: true,
  },

  // Resources.
  resource_not_found: {
    status: 404,
    message: (what) => `${what ?? 'Resource'} not found.`,
    longMessage: (what) => `No ${what ?? 'resource'} with that id exists for this client.`,
    sent: true,
  },
  jwt_template_exists: {
    status: 422,
    message: 'A JWT template with that name exists.',
    longMessage: (name) => `A JWT template named "${name ?? ''}" already exists.`,
    sent: true,
  },
  sign_in_already_complete: {
    status: 400,
    message: 'This sign-in is already complete.',
    longMessage: 'This sign-in has already completed; start a new sign-in instead of repeating an attempt.',
    sent: true,
  },
  sign_up_already_complete: {
    status: 400,
    message: 'This sign-up is already complete.',
    longMessage: 'This sign-up has already completed; sign in instead.',
    sent: true,
  },

  // Requests.
  request_body_too_large: { status: 413, message: 'Request body too large.', sent: true },
  request_body_invalid: { status: 400, message: 'The request body is invalid.', sent: true },
  unsupported_media_type: {
    status: 415,
    message: 'Unsupported content type.',
    longMessage: 'Send application/x-www-form-urlencoded or application/json.',
    sent: true,
  },
  not_found: { status: 404, message: 'Not found.', sent: true },
  method_not_allowed: { status: 405, message: 'Method not allowed.', sent: false, note: 'unknown methods answer not_found' },
  internal_error: { status: 500, message: 'Something went wrong.', sent: true },
} satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof CATALOGUE;

export function entryOf(code: ErrorCode): CatalogueEntry {
  return CATALOGUE[code];
}
