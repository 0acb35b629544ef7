import { bytesToBase64url } from './base64url.js';

/** WebAuthn L3 `RegistrationResponseJSON`, what `attempt_verification` takes. */
export interface RegistrationResponseJSON {
  id: string;
  rawId: string;
  type: string;
  response: {
    clientDataJSON: string;
    attestationObject: string;
    transports: string[];
    authenticatorData?: string;
    publicKey?: string;
    publicKeyAlgorithm?: number;
  };
  clientExtensionResults: Record<string, unknown>;
  authenticatorAttachment?: string;
}

/** WebAuthn L3 `AuthenticationResponseJSON`, what `attempt_first_factor` takes. */
export interface AuthenticationResponseJSON {
  id: string;
  rawId: string;
  type: string;
  response: { clientDataJSON: string; authenticatorData: string; signature: string; userHandle?: string };
  clientExtensionResults: Record<string, unknown>;
  authenticatorAttachment?: string;
}

export type PublicKeyCredentialJSONLike = RegistrationResponseJSON | AuthenticationResponseJSON;

type Bin = ArrayBuffer | ArrayBufferView;
const b64 = (v: Bin): string => bytesToBase64url(v);

function isBinary(v: unknown): v is Bin {
  return v instanceof ArrayBuffer || ArrayBuffer.isView(v);
}

/** Extension outputs may hold binary (prf results, largeBlob); JSON wants base64url there. */
function extensionsToJSON(value: unknown): unknown {
  if (isBinary(value)) return b64(value);
  if (Array.isArray(value)) return value.map(extensionsToJSON);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, extensionsToJSON(v)]));
  }
  return value;
}

// Optional getters differ between browsers (Firefox lacked some, and some throw for unknown
// algorithms), so each is called on its own and a failure only drops that field.
function tryCall<T>(fn: (() => T) | undefined): T | undefined {
  if (typeof fn !== 'function') return undefined;
  try {
    return fn();
  } catch {
    return undefined;
  }
}

/** The fields both registration and authentication answers share. */
function common(cred: PublicKeyCredential): Omit<PublicKeyCredentialJSONLike, 'response'> {
  const out: Omit<PublicKeyCredentialJSONLike, 'response'> = {
    id: cred.id,
    rawId: b64(cred.rawId),
    type: cred.type,
    clientExtensionResults: extensionsToJSON(tryCall(() => cred.getClientExtensionResults()) ?? {}) as Record<string, unknown>,
  };
  if (cred.authenticatorAttachment) out.authenticatorAttachment = cred.authenticatorAttachment;
  return out;
}

/** Hand-written equivalent of `PublicKeyCredential.prototype.toJSON()`. */
export function credentialToJSONFallback(cred: PublicKeyCredential): PublicKeyCredentialJSONLike {
  const r = cred.response as Partial<AuthenticatorAttestationResponse & AuthenticatorAssertionResponse>;
  if (r.attestationObject) {
    const response: RegistrationResponseJSON['response'] = {
      clientDataJSON: b64(r.clientDataJSON!),
      attestationObject: b64(r.attestationObject),
      transports: tryCall(r.getTransports?.bind(r)) ?? [],
    };
    const authData = tryCall(r.getAuthenticatorData?.bind(r));
    if (authData) response.authenticatorData = b64(authData);
    const publicKey = tryCall(r.getPublicKey?.bind(r));
    if (publicKey) response.publicKey = b64(publicKey);
    const alg = tryCall(r.getPublicKeyAlgorithm?.bind(r));
    if (typeof alg === 'number') response.publicKeyAlgorithm = alg;
    return { ...common(cred), response };
  }
  const response: AuthenticationResponseJSON['response'] = {
    clientDataJSON: b64(r.clientDataJSON!),
    authenticatorData: b64(r.authenticatorData!),
    signature: b64(r.signature!),
  };
  if (r.userHandle && r.userHandle.byteLength > 0) response.userHandle = b64(r.userHandle);
  return { ...common(cred), response };
}

function looksLikeJSON(v: unknown): v is PublicKeyCredentialJSONLike {
  const c = v as { rawId?: unknown; response?: { clientDataJSON?: unknown } } | null;
  return typeof c?.rawId === 'string' && typeof c.response?.clientDataJSON === 'string';
}

/**
 * Serialises a credential for the API. Uses the browser's `toJSON()` when present and sane
 * (password-manager extensions that replace `navigator.credentials` have returned objects whose
 * toJSON is missing or broken), otherwise the fallback. Already-serialised input passes through.
 */
export function credentialToJSON(cred: PublicKeyCredential | PublicKeyCredentialJSONLike): PublicKeyCredentialJSONLike {
  if (looksLikeJSON(cred)) return cred;
  const native = cred as { toJSON?: () => unknown };
  if (typeof native.toJSON === 'function') {
    const json = tryCall(() => native.toJSON!());
    if (looksLikeJSON(json)) return json;
  }
  return credentialToJSONFallback(cred);
}
