/**
 * One verification value for all three ceremonies (sign-in, sign-up, adding a passkey): status,
 * challenge, the options sent to the browser as Clerk's `nonce`, attempts and expiry. Each
 * ceremony's row stores it in the same columns; the store takes it atomically.
 */
import { CEREMONY_TIMEOUT_MS } from './options.js';

export interface PendingVerification {
  verification_status: 'unverified';
  verification_challenge: string;
  /** The creation or request options, as the JSON string the browser SDK parses. */
  verification_nonce: string;
  verification_expire_at: number;
}

/** A new pending verification for `options` (which carry its challenge), from `now`. */
export function pendingVerification(options: { challenge: string }, now: number): PendingVerification {
  return {
    verification_status: 'unverified',
    verification_challenge: options.challenge,
    verification_nonce: JSON.stringify(options),
    verification_expire_at: now + CEREMONY_TIMEOUT_MS,
  };
}

/** The credential ids a request offered in allowCredentials (identifier-first sign-in). */
export function offeredCredentialIds(nonce: string | null): string[] {
  if (!nonce) return [];
  const options = JSON.parse(nonce) as { allowCredentials?: { id: string }[] };
  return (options.allowCredentials ?? []).map((d) => d.id);
}
