import { LatchkeyRuntimeError, type LatchkeyRuntimeErrorCode } from '../errors.js';

export type Ceremony = 'create' | 'get';

/**
 * Maps what `navigator.credentials.create/get` threw to a stable code. The browser reports
 * causes only through DOMException names (WebAuthn §5.1.3 / §5.1.4 list which name means what).
 */
export function codeForWebAuthnError(err: unknown, ceremony: Ceremony): LatchkeyRuntimeErrorCode {
  const name = typeof err === 'object' && err !== null ? (err as { name?: unknown }).name : undefined;
  switch (name) {
    // §5.1.3 step 20: an excluded credential is already on this authenticator.
    case 'InvalidStateError':
      return ceremony === 'create' ? 'passkey_already_exists' : 'passkey_retrieval_failed';
    // The user dismissed the dialog or it timed out; browsers do not say which, on purpose.
    case 'NotAllowedError':
      return ceremony === 'create' ? 'passkey_registration_cancelled' : 'passkey_retrieval_cancelled';
    case 'AbortError':
      return 'passkey_operation_aborted';
    // The RP ID is not a registrable suffix of the page's origin (or not allowed for it).
    case 'SecurityError':
      return 'passkey_invalid_rpID_or_domain';
    case 'NotSupportedError':
      return 'passkey_not_supported';
    default:
      return ceremony === 'create' ? 'passkey_registration_failed' : 'passkey_retrieval_failed';
  }
}

/** Wraps any ceremony failure in a LatchkeyRuntimeError, keeping the original as `cause`. */
export function toWebAuthnError(err: unknown, ceremony: Ceremony): LatchkeyRuntimeError {
  if (err instanceof LatchkeyRuntimeError) return err;
  const message = err instanceof Error && err.message ? err.message : `Passkey ${ceremony === 'create' ? 'registration' : 'sign-in'} failed.`;
  return new LatchkeyRuntimeError(message, { code: codeForWebAuthnError(err, ceremony), cause: err });
}
