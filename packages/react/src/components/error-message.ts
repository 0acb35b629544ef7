import type { LatchkeyAPIError, LatchkeyRuntimeErrorCode } from '@latchkey/js';

/** One plain sentence per browser-side code; the user sees these, so no jargon. */
const RUNTIME_MESSAGES: Record<LatchkeyRuntimeErrorCode, string> = {
  passkey_not_supported: 'This browser does not support passkeys. Try an up-to-date browser.',
  passkey_pa_not_supported: 'This device has no built-in passkey support. Try a security key or another device.',
  passkey_already_exists: 'This device already holds a passkey for your account.',
  passkey_registration_cancelled: 'Passkey creation was cancelled.',
  passkey_retrieval_cancelled: 'Sign-in was cancelled, or no passkey was chosen.',
  passkey_registration_failed: 'The passkey could not be created. Please try again.',
  passkey_retrieval_failed: 'The passkey could not be used. Please try again.',
  passkey_operation_aborted: 'The passkey request was interrupted. Please try again.',
  passkey_invalid_rpID_or_domain: "Passkeys are not set up for this website's address.",
  network_error: 'Could not reach the sign-in service. Check your connection and try again.',
  session_not_found: 'Your session has ended. Please sign in again.',
  invalid_configuration: 'Sign-in is not configured correctly on this website.',
  invalid_usage: 'Something went wrong. Please try again.',
};

// Duck-typed rather than instanceof so this file needs only types from @latchkey/js.
function apiErrors(err: unknown): LatchkeyAPIError[] | undefined {
  const errors = (err as { errors?: unknown } | null)?.errors;
  return Array.isArray(errors) && errors.length > 0 ? (errors as LatchkeyAPIError[]) : undefined;
}

function runtimeCode(err: unknown): string | undefined {
  const e = err as { latchkeyRuntimeError?: unknown; code?: unknown } | null;
  return e?.latchkeyRuntimeError === true && typeof e.code === 'string' ? e.code : undefined;
}

/** The sentence to show for any error the SDK throws. */
export function errorMessage(err: unknown): string {
  const first = apiErrors(err)?.[0];
  if (first) return first.longMessage ?? first.message;
  const code = runtimeCode(err);
  if (code && code in RUNTIME_MESSAGES) return RUNTIME_MESSAGES[code as LatchkeyRuntimeErrorCode];
  return 'Something went wrong. Please try again.';
}

/**
 * True for the abort a newer passkey request causes (the autofill request is cancelled when the
 * user presses a passkey button): expected, never worth a message.
 */
export function isSupersededRequest(err: unknown): boolean {
  return runtimeCode(err) === 'passkey_operation_aborted';
}
