/**
 * Errors of the backend API, typed by the server's own codes: callers `switch (err.code)`.
 * `errors.test.ts` checks that every code of the server's catalogue is in this list.
 */

/** Every code the Latchkey server answers with (its error catalogue). */
export const ERROR_CODES = [
  'passkey_registration_failure',
  'passkey_invalid_public_key_credential',
  'passkey_authentication_failure',
  'passkey_not_registered',
  'passkey_quota_exceeded',
  'passkey_last_remaining',
  'verification_expired',
  'passkey_invalid_verification',
  'no_passkeys_found_for_user',
  'verification_already_verified',
  'form_identifier_not_found',
  'form_identifier_exists',
  'form_param_missing',
  'form_param_format_invalid',
  'form_param_unknown_value',
  'origin_invalid',
  'signed_out',
  'authentication_invalid',
  // The backend API's own (secret keys, bans).
  'secret_key_required',
  'secret_key_not_allowed',
  'session_not_active',
  'user_banned',
  'too_many_requests',
  'feature_not_enabled',
  'resource_not_found',
  'sign_in_already_complete',
  'sign_up_already_complete',
  'request_body_too_large',
  'request_body_invalid',
  'unsupported_media_type',
  'not_found',
  'method_not_allowed',
  'internal_error',
] as const;

/**
 * A known code, or another string: a newer server may add codes, and an older client must still
 * carry them (as a plain string) rather than fail.
 */
export type LatchkeyErrorCode = (typeof ERROR_CODES)[number] | (string & {});

export interface ApiErrorEntry {
  code: LatchkeyErrorCode;
  message: string;
  longMessage: string;
  meta: { paramName?: string; retryAfter?: number };
}

/** The backend API answered with an error envelope (or not with JSON at all: `code` `internal_error`). */
export class LatchkeyApiError extends Error {
  override readonly name = 'LatchkeyApiError';
  /** The first error's code; what callers switch on. */
  readonly code: LatchkeyErrorCode;
  constructor(
    readonly status: number,
    readonly errors: ApiErrorEntry[],
    readonly traceId: string | null,
  ) {
    super(errors[0]?.longMessage ?? errors[0]?.message ?? `HTTP ${status}`);
    this.code = errors[0]?.code ?? 'internal_error';
  }

  /** So `JSON.stringify(err)` shows what went wrong. */
  toJSON() {
    return { name: this.name, status: this.status, code: this.code, errors: this.errors, traceId: this.traceId };
  }
}

type WireError = { code?: unknown; message?: unknown; long_message?: unknown; meta?: { param_name?: unknown; retry_after?: unknown } };

/** Turns the server's `{ errors: [...], clerk_trace_id }` into a typed error. */
export function errorFromBody(status: number, body: unknown): LatchkeyApiError {
  const b = (body ?? {}) as { errors?: WireError[]; clerk_trace_id?: unknown };
  const errors: ApiErrorEntry[] = Array.isArray(b.errors)
    ? b.errors.map((e) => {
        const meta: ApiErrorEntry['meta'] = {};
        if (typeof e.meta?.param_name === 'string') meta.paramName = e.meta.param_name;
        if (typeof e.meta?.retry_after === 'number') meta.retryAfter = e.meta.retry_after;
        const message = typeof e.message === 'string' ? e.message : `HTTP ${status}`;
        return {
          code: typeof e.code === 'string' ? e.code : 'internal_error',
          message,
          longMessage: typeof e.long_message === 'string' ? e.long_message : message,
          meta,
        };
      })
    : [{ code: 'internal_error', message: `HTTP ${status}`, longMessage: `The server answered HTTP ${status} without an error body.`, meta: {} }];
  return new LatchkeyApiError(status, errors, typeof b.clerk_trace_id === 'string' ? b.clerk_trace_id : null);
}
