/**
 * Feature checks. They look only at the APIs, never at `navigator.webdriver`: automated browsers
 * (the e2e suite's Chromium with a virtual authenticator) support passkeys like any other.
 */

interface PKCStatic {
  isConditionalMediationAvailable?: () => Promise<boolean>;
  getClientCapabilities?: () => Promise<Record<string, boolean | undefined>>;
  isUserVerifyingPlatformAuthenticatorAvailable?: () => Promise<boolean>;
}

function pkc(): PKCStatic | undefined {
  const c = (globalThis as { PublicKeyCredential?: unknown }).PublicKeyCredential;
  return typeof c === 'function' ? (c as PKCStatic) : undefined;
}

/** True when the browser has WebAuthn (`PublicKeyCredential` and `navigator.credentials`). */
export function isWebAuthnSupported(): boolean {
  const nav = (globalThis as { navigator?: { credentials?: { create?: unknown; get?: unknown } } }).navigator;
  return pkc() !== undefined && typeof nav?.credentials?.create === 'function' && typeof nav.credentials.get === 'function';
}

/** True when passkeys can be offered in the username field's autofill (conditional mediation). */
export async function isWebAuthnAutofillSupported(): Promise<boolean> {
  const c = pkc();
  if (!c || typeof c.isConditionalMediationAvailable !== 'function') return false;
  try {
    return await c.isConditionalMediationAvailable();
  } catch {
    return false;
  }
}

/** True when the device has a built-in authenticator with user verification (Touch ID, Windows Hello…). */
export async function isWebAuthnPlatformAuthenticatorSupported(): Promise<boolean> {
  const c = pkc();
  if (!c || typeof c.isUserVerifyingPlatformAuthenticatorAvailable !== 'function') return false;
  try {
    return await c.isUserVerifyingPlatformAuthenticatorAvailable();
  } catch {
    return false;
  }
}

/**
 * True when the browser can create a passkey without a prompt (`mediation: 'conditional'` in
 * `navigator.credentials.create`, the automatic upgrade after a sign-in; Chrome 136+, Safari 18).
 * From `PublicKeyCredential.getClientCapabilities()`; false where that method is missing.
 */
export async function isWebAuthnConditionalCreateSupported(): Promise<boolean> {
  const c = pkc();
  if (!c || typeof c.getClientCapabilities !== 'function') return false;
  try {
    return (await c.getClientCapabilities())?.conditionalCreate === true;
  } catch {
    return false;
  }
}
