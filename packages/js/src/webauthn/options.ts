import { base64urlToBytes } from './base64url.js';

/**
 * The server hands ceremony options over as a JSON string (`verification.nonce`) in the standard
 * PublicKeyCredential{Creation,Request}OptionsJSON shape. These turn it into what
 * `navigator.credentials.create/get` take.
 */

type Descriptor = PublicKeyCredentialDescriptorJSON;

/** Parses the nonce; tolerates a `{ publicKey: {...} }` wrapper, the shape `credentials.create` itself takes. */
export function parseOptionsNonce<T>(nonce: string | null | undefined): T {
  if (!nonce) throw new TypeError('The server sent no passkey options (empty verification nonce).');
  const parsed = JSON.parse(nonce) as unknown;
  if (typeof parsed !== 'object' || parsed === null) throw new TypeError('Passkey options are not a JSON object.');
  const inner = (parsed as { publicKey?: unknown }).publicKey;
  return (typeof inner === 'object' && inner !== null ? inner : parsed) as T;
}

function descriptorFromJSON(d: Descriptor): PublicKeyCredentialDescriptor {
  const out: PublicKeyCredentialDescriptor = { type: d.type as PublicKeyCredentialType, id: base64urlToBytes(d.id) };
  if (d.transports) out.transports = d.transports as AuthenticatorTransport[];
  return out;
}

/** Hand-written equivalent of `PublicKeyCredential.parseCreationOptionsFromJSON`. */
export function creationOptionsFromJSON(json: PublicKeyCredentialCreationOptionsJSON): PublicKeyCredentialCreationOptions {
  const { challenge, user, excludeCredentials, extensions, ...rest } = json;
  const out: PublicKeyCredentialCreationOptions = {
    ...(rest as Omit<PublicKeyCredentialCreationOptions, 'challenge' | 'user'>),
    challenge: base64urlToBytes(challenge),
    user: { ...user, id: base64urlToBytes(user.id) },
  };
  if (excludeCredentials) out.excludeCredentials = excludeCredentials.map(descriptorFromJSON);
  // Extensions we use (credProps) carry no binary; pass them through as given.
  if (extensions) out.extensions = extensions as AuthenticationExtensionsClientInputs;
  return out;
}

/** Hand-written equivalent of `PublicKeyCredential.parseRequestOptionsFromJSON`. */
export function requestOptionsFromJSON(json: PublicKeyCredentialRequestOptionsJSON): PublicKeyCredentialRequestOptions {
  const { challenge, allowCredentials, extensions, ...rest } = json;
  const out: PublicKeyCredentialRequestOptions = {
    ...(rest as Omit<PublicKeyCredentialRequestOptions, 'challenge'>),
    challenge: base64urlToBytes(challenge),
  };
  if (allowCredentials) out.allowCredentials = allowCredentials.map(descriptorFromJSON);
  if (extensions) out.extensions = extensions as AuthenticationExtensionsClientInputs;
  return out;
}

interface JSONParsers {
  parseCreationOptionsFromJSON?: (o: PublicKeyCredentialCreationOptionsJSON) => PublicKeyCredentialCreationOptions;
  parseRequestOptionsFromJSON?: (o: PublicKeyCredentialRequestOptionsJSON) => PublicKeyCredentialRequestOptions;
}

function nativeParsers(): JSONParsers | undefined {
  return (globalThis as { PublicKeyCredential?: JSONParsers }).PublicKeyCredential;
}

/** Prefers the browser's own parser (it knows every current field); falls back to ours. */
export function toCreationOptions(json: PublicKeyCredentialCreationOptionsJSON): PublicKeyCredentialCreationOptions {
  const native = nativeParsers();
  if (typeof native?.parseCreationOptionsFromJSON === 'function') return native.parseCreationOptionsFromJSON(json);
  return creationOptionsFromJSON(json);
}

export function toRequestOptions(json: PublicKeyCredentialRequestOptionsJSON): PublicKeyCredentialRequestOptions {
  const native = nativeParsers();
  if (typeof native?.parseRequestOptionsFromJSON === 'function') return native.parseRequestOptionsFromJSON(json);
  return requestOptionsFromJSON(json);
}
