import { describe, expect, it } from 'vitest';
import { bytesToBase64url } from './base64url.js';
import { creationOptionsFromJSON, parseOptionsNonce, requestOptionsFromJSON } from './options.js';

const bytes = (...b: number[]): Uint8Array => new Uint8Array(b);
const b64 = (...b: number[]): string => bytesToBase64url(bytes(...b));
const asBytes = (v: BufferSource | undefined): number[] => [...new Uint8Array(v as ArrayBuffer)];

const creationJSON: PublicKeyCredentialCreationOptionsJSON = {
  rp: { id: 'localhost', name: 'Demo' },
  user: { id: b64(1, 2, 3), name: 'ada', displayName: 'Ada' },
  challenge: b64(9, 8, 7),
  pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
  timeout: 60000,
  attestation: 'none',
  excludeCredentials: [{ id: b64(4, 5), type: 'public-key', transports: ['internal'] }],
  authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
  extensions: { credProps: true },
};

describe('creationOptionsFromJSON', () => {
  it('decodes challenge, user.id and excludeCredentials ids, keeps the rest', () => {
    const opts = creationOptionsFromJSON(creationJSON);
    expect(asBytes(opts.challenge)).toEqual([9, 8, 7]);
    expect(asBytes(opts.user.id)).toEqual([1, 2, 3]);
    expect(opts.user).toMatchObject({ name: 'ada', displayName: 'Ada' });
    expect(asBytes(opts.excludeCredentials?.[0]?.id)).toEqual([4, 5]);
    expect(opts.excludeCredentials?.[0]).toMatchObject({ type: 'public-key', transports: ['internal'] });
    expect(opts).toMatchObject({
      rp: { id: 'localhost', name: 'Demo' },
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
      timeout: 60000,
      attestation: 'none',
      authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
      extensions: { credProps: true },
    });
  });
});

describe('requestOptionsFromJSON', () => {
  it('decodes the challenge and allowCredentials ids', () => {
    const opts = requestOptionsFromJSON({
      challenge: b64(1, 1),
      rpId: 'localhost',
      userVerification: 'required',
      allowCredentials: [{ id: b64(7), type: 'public-key' }],
    });
    expect(asBytes(opts.challenge)).toEqual([1, 1]);
    expect(asBytes(opts.allowCredentials?.[0]?.id)).toEqual([7]);
    expect(opts.allowCredentials?.[0]).not.toHaveProperty('transports');
    expect(opts).toMatchObject({ rpId: 'localhost', userVerification: 'required' });
  });

  it('keeps an empty allowCredentials (discoverable flow) empty', () => {
    expect(requestOptionsFromJSON({ challenge: b64(1), allowCredentials: [] }).allowCredentials).toEqual([]);
  });
});

describe('parseOptionsNonce', () => {
  it('parses the JSON string the server sends in verification.nonce', () => {
    expect(parseOptionsNonce(JSON.stringify(creationJSON))).toEqual(creationJSON);
  });

  it('unwraps a { publicKey } wrapper', () => {
    expect(parseOptionsNonce(JSON.stringify({ publicKey: creationJSON }))).toEqual(creationJSON);
  });

  it('refuses an empty nonce', () => {
    expect(() => parseOptionsNonce(null)).toThrow(/no passkey options/);
  });
});
