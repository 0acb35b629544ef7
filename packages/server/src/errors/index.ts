/**
 * One error type for every request-time failure. Routes and services throw it; a single
 * `onError` handler turns it into the frontend API error shape. Codes are stable: clients
 * `switch (err.code)`, so never rename one.
 */
export type ErrorCode =
  | 'passkey_registration_failure'
  | 'passkey_invalid_public_key_credential'
  | 'passkey_invalid_verification'
  | 'passkey_authentication_failure'
  | 'passkey_not_registered'
  | 'no_passkeys_found_for_user'
  | 'passkey_quota_exceeded'
  | 'passkey_last_remaining'
  | 'verification_expired'
  | 'verification_already_verified'
  | 'form_identifier_not_found'
  | 'form_identifier_exists'
  | 'form_param_missing'
  | 'form_param_format_invalid'
  | 'form_param_unknown_value'
  | 'origin_invalid'
  | 'authentication_invalid'
  | 'signed_out'
  | 'resource_not_found'
  | 'sign_in_already_complete'
  | 'sign_up_already_complete'
  | 'too_many_requests'
  | 'feature_not_enabled'
  | 'request_body_too_large'
  | 'request_body_invalid'
  | 'unsupported_media_type'
  | 'not_found'
  | 'method_not_allowed'
  | 'internal_error';

export interface ErrorMeta {
  param_name?: string;
  /** Seconds until a rate-limited caller may retry. */
  retry_after?: number;
}

export class LatchkeyError extends Error {
  override readonly name = 'LatchkeyError';
  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    message: string,
    readonly longMessage: string = message,
    readonly meta: ErrorMeta = {},
  ) {
    super(message);
  }
}

/** Shorthands for the errors most routes raise; each names the parameter at fault. */
export const errors = {
  paramMissing: (param: string) =>
    new LatchkeyError('form_param_missing', 422, `${param} is missing.`, `Enter ${param}.`, { param_name: param }),
  paramInvalid: (param: string, why: string) =>
    new LatchkeyError('form_param_format_invalid', 422, `${param} is invalid.`, why, { param_name: param }),
  notFound: (what: string) =>
    new LatchkeyError('resource_not_found', 404, `${what} not found.`, `No ${what} with that id exists for this client.`),
  signedOut: () =>
    new LatchkeyError('signed_out', 401, 'You are signed out.', 'This request needs an active session; sign in first.'),
  featureDisabled: () =>
    new LatchkeyError(
      'feature_not_enabled',
      403,
      'Passkeys are not enabled.',
      'Passkeys are switched off for this instance; an administrator can switch them on.',
    ),
  credentialInvalid: (why: string) =>
    new LatchkeyError('passkey_invalid_public_key_credential', 422, 'The passkey response is malformed.', why, {
      param_name: 'public_key_credential',
    }),
  verificationExpired: () =>
    new LatchkeyError(
      'verification_expired',
      400,
      'This verification has expired.',
      'The passkey challenge is used, expired or was never issued to this browser; start again.',
    ),
};

export interface ErrorBody {
  errors: { code: ErrorCode; message: string; long_message: string; meta: ErrorMeta }[];
  clerk_trace_id: string;
}

export function toErrorBody(err: LatchkeyError, traceId: string): ErrorBody {
  return {
    errors: [{ code: err.code, message: err.message, long_message: err.longMessage, meta: err.meta }],
    clerk_trace_id: traceId,
  };
}
