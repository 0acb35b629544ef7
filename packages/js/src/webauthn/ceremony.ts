import { LatchkeyRuntimeError } from '../errors.js';
import { toWebAuthnError } from './errors.js';
import { parseOptionsNonce, toCreationOptions, toRequestOptions } from './options.js';
import {
  isWebAuthnAutofillSupported,
  isWebAuthnConditionalCreateSupported,
  isWebAuthnPlatformAuthenticatorSupported,
  isWebAuthnSupported,
} from './support.js';

/**
 * One controller for the whole page: a browser runs one WebAuthn request at a time, and a pending
 * conditional (autofill) request would otherwise block the "Sign in with a passkey" button's
 * request with an InvalidStateError/NotAllowedError. Starting any request aborts the previous one.
 */
let pending: AbortController | null = null;

function takeSignal(): AbortController {
  pending?.abort(new DOMException('A newer passkey request replaced this one.', 'AbortError'));
  pending = new AbortController();
  return pending;
}

function release(controller: AbortController): void {
  if (pending === controller) pending = null;
}

/** Aborts a pending passkey request (an autofill request when its form unmounts, say). */
export function cancelPendingPasskeyRequest(): void {
  pending?.abort(new DOMException('The passkey request was cancelled.', 'AbortError'));
  pending = null;
}

function ensureSupported(): void {
  if (!isWebAuthnSupported()) {
    throw new LatchkeyRuntimeError('This browser does not support passkeys.', { code: 'passkey_not_supported' });
  }
}

/** Refuses conditional create where the browser lacks it (before anything reaches the server). */
export async function ensureConditionalCreateSupported(): Promise<void> {
  ensureSupported();
  if (!(await isWebAuthnConditionalCreateSupported())) {
    throw new LatchkeyRuntimeError('This browser cannot add a passkey without a prompt (no conditional create).', { code: 'passkey_not_supported' });
  }
}

/**
 * Runs `navigator.credentials.create` with the creation options the server sent as a JSON string.
 * With `conditional`, the browser may create the passkey without a prompt, if its password
 * manager agrees (`mediation: 'conditional'`); otherwise it refuses (NotAllowedError) or leaves
 * the request pending. Like every request it is aborted when the next one starts, so a pending
 * upgrade never blocks the "Add a passkey" button's prompt.
 */
export async function createPasskeyCredential(nonce: string | null | undefined, options: { conditional?: boolean } = {}): Promise<PublicKeyCredential> {
  ensureSupported();
  if (options.conditional) await ensureConditionalCreateSupported();
  let publicKey: PublicKeyCredentialCreationOptions;
  try {
    const json = parseOptionsNonce<PublicKeyCredentialCreationOptionsJSON>(nonce);
    if (json.authenticatorSelection?.authenticatorAttachment === 'platform' && !(await isWebAuthnPlatformAuthenticatorSupported())) {
      throw new LatchkeyRuntimeError('This device has no built-in passkey authenticator.', { code: 'passkey_pa_not_supported' });
    }
    publicKey = toCreationOptions(json);
  } catch (err) {
    throw toWebAuthnError(err, 'create');
  }
  const controller = takeSignal();
  try {
    const request: CredentialCreationOptions = { publicKey, signal: controller.signal };
    // The DOM typings of TypeScript 5.9 lack `mediation` on creation options (Credential Management L1 has it).
    if (options.conditional) (request as { mediation?: string }).mediation = 'conditional';
    const cred = await navigator.credentials.create(request);
    if (!cred) throw new LatchkeyRuntimeError('The browser returned no passkey.', { code: 'passkey_registration_failed' });
    return cred as PublicKeyCredential;
  } catch (err) {
    throw toWebAuthnError(err, 'create');
  } finally {
    release(controller);
  }
}

/**
 * Runs `navigator.credentials.get`. With `conditional`, the request waits for the user to pick a
 * passkey from the username field's autofill list (`mediation: 'conditional'`).
 */
export async function getPasskeyCredential(
  nonce: string | null | undefined,
  options: { conditional?: boolean } = {},
): Promise<PublicKeyCredential> {
  ensureSupported();
  if (options.conditional && !(await isWebAuthnAutofillSupported())) {
    throw new LatchkeyRuntimeError('This browser does not offer passkeys in autofill.', { code: 'passkey_not_supported' });
  }
  let publicKey: PublicKeyCredentialRequestOptions;
  try {
    publicKey = toRequestOptions(parseOptionsNonce<PublicKeyCredentialRequestOptionsJSON>(nonce));
  } catch (err) {
    throw toWebAuthnError(err, 'get');
  }
  const controller = takeSignal();
  try {
    const request: CredentialRequestOptions = { publicKey, signal: controller.signal };
    if (options.conditional) request.mediation = 'conditional';
    const cred = await navigator.credentials.get(request);
    if (!cred) throw new LatchkeyRuntimeError('The browser returned no passkey.', { code: 'passkey_retrieval_failed' });
    return cred as PublicKeyCredential;
  } catch (err) {
    throw toWebAuthnError(err, 'get');
  } finally {
    release(controller);
  }
}
