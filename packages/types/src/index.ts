/**
 * @latchkey/types — what the server and the SDKs must agree on, in one place.
 *
 * `ErrorCode` is every `code` the Frontend API can put in an error answer
 * (`{ errors: [{ code, message, long_message, meta }] }`). The server's error catalogue is keyed by
 * it and the browser SDK types `err.errors[i].code` with it, so a renamed or removed code fails to
 * compile on both sides. Codes are stable: clients `switch` on them, so never rename one.
 *
 * @example
 * import type { ErrorCode } from '@latchkey/types';
 * const retryable = (code: ErrorCode) => code === 'too_many_requests' || code === 'verification_expired';
 */

/** Every server error code, in the order of DESIGN.md's list, then the request-level ones. */
export const ERROR_CODES = [
  'passkey_registration_failure',
  'passkey_invalid_public_key_credential',
  'passkey_invalid_verification',
  'passkey_authentication_failure',
  'passkey_not_registered',
  'no_passkeys_found_for_user',
  'passkey_quota_exceeded',
  'passkey_last_remaining',
  'verification_expired',
  'verification_already_verified',
  'form_code_incorrect',
  'verification_failed',
  'email_address_unverified',
  'form_identifier_not_found',
  'form_identifier_exists',
  'form_param_missing',
  'form_param_format_invalid',
  'form_param_unknown_value',
  'origin_invalid',
  'authentication_invalid',
  'secret_key_required',
  'secret_key_not_allowed',
  'signed_out',
  'session_exists',
  'resource_not_found',
  'jwt_template_exists',
  'sign_in_already_complete',
  'sign_up_already_complete',
  'too_many_requests',
  'feature_not_enabled',
  'session_not_active',
  'user_banned',
  'admin_session_required',
  'admin_link_invalid',
  'session_recovery_limited',
  'request_body_too_large',
  'request_body_invalid',
  'unsupported_media_type',
  'not_found',
  'method_not_allowed',
  'internal_error',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
