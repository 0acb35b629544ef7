import { describe, expect, it } from 'vitest';
import { bytesToBase64url } from './base64url.js';
import { credentialToJSON, credentialToJSONFallback, type AuthenticationResponseJSON } from './credential.js';

const buf = (...b: number[]): ArrayBuffer => new Uint8Array(b).buffer;
const b64 = (...b: number[]): string => bytesToBase64url(new Uint8Array(b));

// Test doubles of the browser's PublicKeyCredential: plain objects with ArrayBuffer fields and
// the methods the serialiser calls. Real credentials are exercised by the e2e browser tests.
function fakeRegistration(response: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): PublicKeyCredential {
  return {
    id: b64(1, 2, 3),
    rawId: buf(1, 2, 3),
    type: 'public-key',
    authenticatorAttachment: 'platform',
    response: {
      clientDataJSON: buf(10, 11),
      attestationObject: buf(20, 21),
      getTransports: () => ['internal', 'hybrid'],
      getAuthenticatorData: () => buf(30),
      getPublicKey: () => buf(40, 41),
      getPublicKeyAlgorithm: () => -7,
      ...response,
    },
    getClientExtensionResults: () => ({ credProps: { rk: true } }),
    ...extra,
  } as unknown as PublicKeyCredential;
}

function fakeAssertion(userHandle: ArrayBuffer | null, extra: Record<string, unknown> = {}): PublicKeyCredential {
  return {
    id: b64(1, 2, 3),
    rawId: buf(1, 2, 3),
    type: 'public-key',
    authenticatorAttachment: null,
    response: { clientDataJSON: buf(10), authenticatorData: buf(30, 31), signature: buf(50, 51), userHandle },
    getClientExtensionResults: () => ({}),
    ...extra,
  } as unknown as PublicKeyCredential;
}

describe('credentialToJSONFallback: registration', () => {
  it('serialises every binary field as base64url and calls the optional getters', () => {
    expect(credentialToJSONFallback(fakeRegistration())).toEqual({
      id: b64(1, 2, 3),
      rawId: b64(1, 2, 3),
      type: 'public-key',
      authenticatorAttachment: 'platform',
      response: {
        clientDataJSON: b64(10, 11),
        attestationObject: b64(20, 21),
        transports: ['internal', 'hybrid'],
        authenticatorData: b64(30),
        publicKey: b64(40, 41),
        publicKeyAlgorithm: -7,
      },
      clientExtensionResults: { credProps: { rk: true } },
    });
  });

  it('drops getters that are missing or throw (older browsers, unknown algorithms)', () => {
    const json = credentialToJSONFallback(
      fakeRegistration({
        getTransports: undefined,
        getPublicKey: () => {
          throw new Error('not supported');
        },
        getPublicKeyAlgorithm: undefined,
        getAuthenticatorData: undefined,
      }),
    );
    expect(json.response).toEqual({ clientDataJSON: b64(10, 11), attestationObject: b64(20, 21), transports: [] });
  });

  it('encodes binary extension outputs (prf) as base64url', () => {
    const cred = fakeRegistration({}, { getClientExtensionResults: () => ({ prf: { enabled: true, results: { first: buf(7, 7) } } }) });
    expect(credentialToJSONFallback(cred).clientExtensionResults).toEqual({ prf: { enabled: true, results: { first: b64(7, 7) } } });
  });
});

describe('credentialToJSONFallback: authentication', () => {
  it('serialises the assertion and omits a null attachment', () => {
    expect(credentialToJSONFallback(fakeAssertion(buf(60)))).toEqual({
      id: b64(1, 2, 3),
      rawId: b64(1, 2, 3),
      type: 'public-key',
      response: { clientDataJSON: b64(10), authenticatorData: b64(30, 31), signature: b64(50, 51), userHandle: b64(60) },
      clientExtensionResults: {},
    });
  });

  it('omits a null or empty userHandle', () => {
    expect((credentialToJSONFallback(fakeAssertion(null)) as AuthenticationResponseJSON).response).not.toHaveProperty('userHandle');
    expect((credentialToJSONFallback(fakeAssertion(buf())) as AuthenticationResponseJSON).response).not.toHaveProperty('userHandle');
  });
});

describe('credentialToJSON', () => {
  it("prefers the browser's own toJSON() when it returns a sane object", () => {
    const native = { id: 'n', rawId: 'n', type: 'public-key', response: { clientDataJSON: 'cd', authenticatorData: 'ad', signature: 'sg' }, clientExtensionResults: {} };
    expect(credentialToJSON(fakeAssertion(null, { toJSON: () => native }))).toBe(native);
  });

  it('falls back when toJSON() is broken (a password-manager extension replaced the credential)', () => {
    const cred = fakeAssertion(null, {
      toJSON: () => {
        throw new TypeError('Illegal invocation');
      },
    });
    expect(credentialToJSON(cred).response.clientDataJSON).toBe(b64(10));
    expect(credentialToJSON(fakeAssertion(null, { toJSON: () => ({}) })).rawId).toBe(b64(1, 2, 3));
  });

  it('passes already-serialised credentials through', () => {
    const json = credentialToJSONFallback(fakeAssertion(null));
    expect(credentialToJSON(json)).toBe(json);
  });
});
