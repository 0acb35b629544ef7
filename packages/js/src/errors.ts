/**
 * The two error types the SDK throws. Both keep every field as an own enumerable property so that
 * `JSON.stringify(err)` — what the custom-flow guides log — shows what went wrong.
 */
import type { ErrorCode } from '@latchkey/types';

/**
 * The `code` of an API error: one the server sends (`ErrorCode`, shared with the server through
 * @latchkey/types), or one the SDK sets when the answer had no readable error (`unexpected_response`:
 * not our JSON, e.g. a proxy's error page; `unknown_error`: an entry without a code).
 */
export type LatchkeyAPIErrorCode = ErrorCode | 'unexpected_response' | 'unknown_error';

/** One entry of the Frontend API's `errors` array, camel-cased. */
export interface LatchkeyAPIError {
  code: LatchkeyAPIErrorCode;
  message: string;
  longMessage: string | undefined;
  meta: { paramName?: string };
}

/** Codes of failures that happen in the browser, before or instead of an API answer. */
export type LatchkeyRuntimeErrorCode =
  | 'passkey_not_supported'
  | 'email_address_unverified'
  | 'passkey_pa_not_supported'
  | 'passkey_already_exists'
  | 'passkey_registration_cancelled'
  | 'passkey_retrieval_cancelled'
  | 'passkey_registration_failed'
  | 'passkey_retrieval_failed'
  | 'passkey_operation_aborted'
  | 'passkey_invalid_rpID_or_domain'
  | 'network_error'
  | 'session_not_found'
  | 'invalid_configuration'
  | 'invalid_usage';

// Error's own `message` is non-enumerable; redefining it keeps it in JSON.stringify output.
function exposeMessage(err: Error, name: string): void {
  Object.defineProperty(err, 'message', { value: err.message, enumerable: true, writable: true, configurable: true });
  Object.defineProperty(err, 'name', { value: name, enumerable: true, writable: true, configurable: true });
}

/**
 * The Frontend API answered with an error status.
 * @example
 * try { await user.createPasskey() } catch (err) {
 *   if (isLatchkeyAPIResponseError(err)) console.log(err.status, err.errors[0]?.code)
 * }
 */
export class LatchkeyAPIResponseError extends Error {
  readonly latchkeyError = true;
  readonly status: number;
  readonly errors: LatchkeyAPIError[];
  readonly clerkTraceId: string | undefined;
  /** Seconds from a `Retry-After` header (429 answers). */
  readonly retryAfter: number | undefined;

  constructor(
    message: string,
    init: { status: number; errors: LatchkeyAPIError[]; clerkTraceId?: string | undefined; retryAfter?: number | undefined },
  ) {
    super(message);
    this.status = init.status;
    this.errors = init.errors;
    this.clerkTraceId = init.clerkTraceId;
    this.retryAfter = init.retryAfter;
    exposeMessage(this, 'LatchkeyAPIResponseError');
  }
}

/**
 * Something failed in the browser (WebAuthn refused, cancelled, unsupported; network down).
 * @example
 * if (isLatchkeyRuntimeError(err) && err.code === 'passkey_registration_cancelled') return
 */
export class LatchkeyRuntimeError extends Error {
  readonly latchkeyRuntimeError = true;
  readonly code: LatchkeyRuntimeErrorCode;

  constructor(message: string, init: { code: LatchkeyRuntimeErrorCode; cause?: unknown }) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    exposeMessage(this, 'LatchkeyRuntimeError');
  }
}

// Duck-typed as well as instanceof: two copies of the SDK in one bundle must still recognise each other.
export function isLatchkeyAPIResponseError(err: unknown): err is LatchkeyAPIResponseError {
  return err instanceof LatchkeyAPIResponseError || (isObject(err) && err['latchkeyError'] === true && Array.isArray(err['errors']));
}

export function isLatchkeyRuntimeError(err: unknown): err is LatchkeyRuntimeError {
  return err instanceof LatchkeyRuntimeError || (isObject(err) && err['latchkeyRuntimeError'] === true);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** Wire form of one error entry. */
interface APIErrorJSON {
  code?: unknown;
  message?: unknown;
  long_message?: unknown;
  meta?: { param_name?: unknown } | null;
}

export function parseAPIError(json: APIErrorJSON): LatchkeyAPIError {
  const paramName = json.meta?.param_name;
  return {
    // Passed on as sent: a newer server may send a code this SDK's type does not list yet.
    code: typeof json.code === 'string' ? (json.code as ErrorCode) : 'unknown_error',
    message: typeof json.message === 'string' ? json.message : 'Unknown error',
    longMessage: typeof json.long_message === 'string' ? json.long_message : undefined,
    meta: typeof paramName === 'string' ? { paramName } : {},
  };
}

/**
 * Builds the error for a non-2xx answer. `body` is the parsed JSON (or null when the body was not
 * JSON: a proxy's HTML error page, say), so the caller still gets a status and a code.
 */
export function apiErrorFromResponse(status: number, body: unknown, retryAfterHeader?: string | null): LatchkeyAPIResponseError {
  const rawErrors = isObject(body) && Array.isArray(body['errors']) ? (body['errors'] as APIErrorJSON[]) : [];
  const errors = rawErrors.filter(isObject).map(parseAPIError);
  if (errors.length === 0) {
    errors.push({ code: 'unexpected_response', message: `Unexpected response (HTTP ${status})`, longMessage: undefined, meta: {} });
  }
  const traceId = isObject(body) && typeof body['clerk_trace_id'] === 'string' ? body['clerk_trace_id'] : undefined;
  const retryAfter = retryAfterHeader ? Number.parseInt(retryAfterHeader, 10) : Number.NaN;
  const first = errors[0]!;
  return new LatchkeyAPIResponseError(first.longMessage ?? first.message, {
    status,
    errors,
    clerkTraceId: traceId,
    retryAfter: Number.isFinite(retryAfter) ? retryAfter : undefined,
  });
}
