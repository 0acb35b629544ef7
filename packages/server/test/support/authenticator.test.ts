/**
 * Proves the software authenticator's output is accepted by @simplewebauthn/server and that
 * each tamper knob yields a response a correct RP rejects. Where the library itself does not
 * check something, the test says so and shows the simple check the RP must do instead.
 */
import { describe, expect, it } from 'vitest';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import {
  SoftwareAuthenticator,
  publicKeyCredentialToFormValue,
  type Alg,
  type AssertionTamper,
  type AuthenticatorOptions,
  type RegistrationTamper,
} from './authenticator.js';

const ORIGIN = 'https://example.com';
const RP_ID = 'example.com';
const SUPPORTED = [-7, -8, -257];

const regOptions = () =>
  generateRegistrationOptions({
    rpName: 'Example',
    rpID: RP_ID,
    userName: 'alice',
    supportedAlgorithmIDs: SUPPORTED,
  });
const authOptions = (allow: string[] = []) =>
  generateAuthenticationOptions({ rpID: RP_ID, allowCredentials: allow.map((id) => ({ id })) });

type RegVerifyOpts = Partial<Parameters<typeof verifyRegistrationResponse>[0]>;
const verifyReg = (
  response: RegistrationResponseJSON,
  opts: PublicKeyCredentialCreationOptionsJSON,
  extra: RegVerifyOpts = {},
) =>
  verifyRegistrationResponse({
    response,
    expectedChallenge: opts.challenge,
    expectedOrigin: ORIGIN,
    expectedRPID: RP_ID,
    requireUserVerification: true,
    supportedAlgorithmIDs: SUPPORTED,
    ...extra,
  });

/** Register one credential and return what an RP would have stored. */
async function registered(authOpts: AuthenticatorOptions = {}) {
  const auth = new SoftwareAuthenticator(authOpts);
  const opts = await regOptions();
  const resp = await auth.create(opts, { origin: ORIGIN });
  const { registrationInfo } = await verifyReg(resp, opts, {
    supportedAlgorithmIDs: authOpts.alg === 'ES384' ? [-35] : SUPPORTED,
  });
  if (!registrationInfo) throw new Error('registration failed');
  return { auth, opts, resp, credential: { ...registrationInfo.credential, counter: 0 } };
}

const verifyAuth = (
  response: AuthenticationResponseJSON,
  opts: PublicKeyCredentialRequestOptionsJSON,
  credential: { id: string; publicKey: Uint8Array<ArrayBuffer>; counter: number },
) =>
  verifyAuthenticationResponse({
    response,
    expectedChallenge: opts.challenge,
    expectedOrigin: ORIGIN,
    expectedRPID: RP_ID,
    requireUserVerification: true,
    credential,
  });

const clientData = (b64: string) =>
  JSON.parse(Buffer.from(b64, 'base64url').toString('utf8')) as Record<string, unknown>;

describe('SoftwareAuthenticator: accepted by @simplewebauthn/server', () => {
  const algs: Alg[] = ['ES256', 'EdDSA', 'RS256'];
  for (const alg of algs) {
    for (const attestation of ['none', 'packed'] as const) {
      it(`${alg} / ${attestation}: registers and authenticates`, async () => {
        const auth = new SoftwareAuthenticator({ alg, attestation });
        const opts = await regOptions();
        const resp = await auth.create(opts, { origin: ORIGIN });
        const reg = await verifyReg(resp, opts);
        expect(reg.verified).toBe(true);
        expect(reg.registrationInfo?.fmt).toBe(attestation);
        expect(reg.registrationInfo?.credential.id).toBe(resp.id);
        expect(reg.registrationInfo?.userVerified).toBe(true);

        const aOpts = await authOptions([resp.id]);
        const assertion = await auth.get(aOpts, { origin: ORIGIN });
        expect(assertion.response.userHandle).toBe(opts.user.id);
        const res = await verifyAuth(assertion, aOpts, {
          id: resp.id,
          publicKey: reg.registrationInfo!.credential.publicKey,
          counter: 0,
        });
        expect(res.verified).toBe(true);
        expect(res.authenticationInfo.newCounter).toBe(1);
      });
    }
  }

  it('ES384 is a real key: verifies when the RP allows -35', async () => {
    const { auth, credential } = await registered({ alg: 'ES384', attestation: 'packed' });
    const aOpts = await authOptions();
    const res = await verifyAuth(await auth.get(aOpts, { origin: ORIGIN }), aOpts, credential);
    expect(res.verified).toBe(true);
  });

  it('passes aaguid and backup flags through', async () => {
    const aaguid = 'adce0002-35bc-c60a-648b-0b25f1f05503';
    const auth = new SoftwareAuthenticator({ aaguid, backupEligible: true, backupState: true });
    const opts = await regOptions();
    const { registrationInfo } = await verifyReg(await auth.create(opts, { origin: ORIGIN }), opts);
    expect(registrationInfo?.aaguid).toBe(aaguid);
    expect(registrationInfo?.credentialDeviceType).toBe('multiDevice');
    expect(registrationInfo?.credentialBackedUp).toBe(true);
  });

  it("signCount 'zero' keeps the counter at 0 (accepted while stored counter is 0)", async () => {
    const { auth, credential } = await registered({ signCount: 'zero' });
    for (let i = 0; i < 2; i++) {
      const aOpts = await authOptions();
      const res = await verifyAuth(await auth.get(aOpts, { origin: ORIGIN }), aOpts, credential);
      expect(res.authenticationInfo.newCounter).toBe(0);
    }
  });

  it('discoverable get picks the most recent credential for the RP; credentialId forces one', async () => {
    const auth = new SoftwareAuthenticator();
    const first = await auth.create(await regOptions(), { origin: ORIGIN });
    const second = await auth.create(await regOptions(), { origin: ORIGIN });
    const aOpts = await authOptions();
    expect((await auth.get(aOpts, { origin: ORIGIN })).id).toBe(second.id);
    expect((await auth.get(aOpts, { origin: ORIGIN, credentialId: first.id })).id).toBe(first.id);
    expect((await auth.get(await authOptions([first.id]), { origin: ORIGIN })).id).toBe(first.id);
  });

  it('excludeCredentials -> InvalidStateError; nothing usable -> NotAllowedError', async () => {
    const auth = new SoftwareAuthenticator();
    const resp = await auth.create(await regOptions(), { origin: ORIGIN });
    const again = { ...(await regOptions()), excludeCredentials: [{ id: resp.id, type: 'public-key' as const }] };
    await expect(auth.create(again, { origin: ORIGIN })).rejects.toHaveProperty('name', 'InvalidStateError');
    await expect(auth.get(await authOptions(['AAAA']), { origin: ORIGIN })).rejects.toHaveProperty(
      'name',
      'NotAllowedError',
    );
    const other = { ...(await authOptions()), rpId: 'other.example' };
    await expect(auth.get(other, { origin: ORIGIN })).rejects.toHaveProperty('name', 'NotAllowedError');
  });

  it('publicKeyCredentialToFormValue is plain JSON', async () => {
    const resp = await new SoftwareAuthenticator().create(await regOptions(), { origin: ORIGIN });
    expect(JSON.parse(publicKeyCredentialToFormValue(resp))).toEqual(resp);
  });
});

describe('registration tamper knobs are rejected by the library', () => {
  // Each case asserts the library's own message, so a test can't pass for an unrelated reason.
  const cases: [string, RegistrationTamper, RegExp][] = [
    ['wrong rpId', { rpId: 'evil.example' }, /Unexpected RP ID hash/],
    ['wrong origin', { origin: 'https://evil.example' }, /origin/],
    ['wrong type', { type: 'webauthn.get' }, /response type/],
    ['wrong challenge', { challenge: 'AAAAAAAAAAAAAAAAAAAAAA' }, /challenge/],
    ['UP cleared', { flags: { up: false } }, /User presence/],
    ['UV cleared with requireUserVerification', { flags: { uv: false } }, /User verification/],
    ['fmt bogus', { fmt: 'bogus' }, /Unsupported Attestation Format/],
    ['id !== rawId', { id: 'AAAA' }, /not base64url-encoded/], // library's wording for id!==rawId
    ['BS without BE', { flags: { be: false, bs: true } }, /Single-device credential/],
  ];
  for (const [name, tamper, message] of cases) {
    it(name, async () => {
      const opts = await regOptions();
      const resp = await new SoftwareAuthenticator().create(opts, { origin: ORIGIN, tamper });
      await expect(verifyReg(resp, opts)).rejects.toThrow(message);
    });
  }

  it('ES384 is rejected when not in supportedAlgorithmIDs', async () => {
    const opts = await regOptions();
    const resp = await new SoftwareAuthenticator({ alg: 'ES384' }).create(opts, { origin: ORIGIN });
    await expect(verifyReg(resp, opts)).rejects.toThrow(/alg "-35"/);
  });

  it('packed self attestation over tampered data still fails if the sig is for other data', async () => {
    // Tampering clientData after the fact (not via a knob) must break the packed signature.
    const opts = await regOptions();
    const resp = await new SoftwareAuthenticator({ attestation: 'packed' }).create(opts, { origin: ORIGIN });
    const cd = { ...clientData(resp.response.clientDataJSON), extra: 1 };
    resp.response.clientDataJSON = Buffer.from(JSON.stringify(cd)).toString('base64url');
    await expect(verifyReg(resp, opts)).resolves.toMatchObject({ verified: false });
  });
});

describe('registration knobs the library does NOT check (RP must)', () => {
  it('authDataCredentialId: library accepts; RP must compare with rawId', async () => {
    const opts = await regOptions();
    const tamper = { authDataCredentialId: new Uint8Array(32).fill(7) };
    const resp = await new SoftwareAuthenticator().create(opts, { origin: ORIGIN, tamper });
    const { registrationInfo } = await verifyReg(resp, opts);
    expect(registrationInfo?.credential.id).not.toBe(resp.rawId);
  });

  it('credentialIdLength 1024: library accepts; RP must enforce <= 1023 bytes (§7.1)', async () => {
    const opts = await regOptions();
    const resp = await new SoftwareAuthenticator().create(opts, {
      origin: ORIGIN,
      tamper: { credentialIdLength: 1024 },
    });
    const { verified } = await verifyReg(resp, opts);
    expect(verified).toBe(true);
    expect(Buffer.from(resp.rawId, 'base64url').length).toBeGreaterThan(1023);
  });

  it('crossOrigin/topOrigin: registration verifier ignores them; RP must check', async () => {
    const opts = await regOptions();
    const resp = await new SoftwareAuthenticator().create(opts, {
      origin: ORIGIN,
      tamper: { crossOrigin: true, topOrigin: 'https://evil.example' },
    });
    expect((await verifyReg(resp, opts)).verified).toBe(true);
    expect(clientData(resp.response.clientDataJSON)).toMatchObject({ crossOrigin: true });
  });

  it('transports are reflected as given', async () => {
    const opts = await regOptions();
    const resp = await new SoftwareAuthenticator().create(opts, {
      origin: ORIGIN,
      tamper: { transports: ['usb'] },
    });
    expect((await verifyReg(resp, opts)).registrationInfo?.credential.transports).toEqual(['usb']);
  });
});

describe('assertion tamper knobs', () => {
  const rejected: [string, AssertionTamper, RegExp][] = [
    ['wrong rpId', { rpId: 'evil.example' }, /Unexpected RP ID hash/],
    ['wrong origin', { origin: 'https://evil.example' }, /origin/],
    ['wrong type', { type: 'webauthn.create' }, /response type/],
    ['wrong challenge', { challenge: 'AAAAAAAAAAAAAAAAAAAAAA' }, /challenge/],
    ['UP cleared', { flags: { up: false } }, /User not present/],
    ['UV cleared with requireUserVerification', { flags: { uv: false } }, /User verification/],
    ['BS without BE', { flags: { be: false, bs: true } }, /Single-device credential/],
    ['id !== rawId', { rawId: 'AAAA' }, /not base64url-encoded/],
    ['topOrigin without crossOrigin', { topOrigin: 'https://evil.example' }, /top origin/],
  ];
  for (const [name, tamper, message] of rejected) {
    it(`${name} is rejected`, async () => {
      const { auth, credential } = await registered();
      const aOpts = await authOptions();
      const resp = await auth.get(aOpts, { origin: ORIGIN, tamper });
      await expect(verifyAuth(resp, aOpts, credential)).rejects.toThrow(message);
    });
  }

  it('counter not above the stored one is rejected (stored 5, sent 3)', async () => {
    const { auth, credential } = await registered();
    const aOpts = await authOptions();
    const resp = await auth.get(aOpts, { origin: ORIGIN, tamper: { counter: 3 } });
    await expect(verifyAuth(resp, aOpts, { ...credential, counter: 5 })).rejects.toThrow(/counter/);
  });

  for (const alg of ['ES256', 'EdDSA', 'RS256'] as const) {
    it(`${alg}: corrupted signature resolves verified:false (not a throw)`, async () => {
      const { auth, credential } = await registered({ alg });
      const aOpts = await authOptions();
      const resp = await auth.get(aOpts, { origin: ORIGIN, tamper: { corruptSignature: true } });
      await expect(verifyAuth(resp, aOpts, credential)).resolves.toMatchObject({ verified: false });
    });
  }

  it('library does NOT check userHandle, crossOrigin without topOrigin, or id vs credential', async () => {
    const { auth, credential, opts } = await registered();
    const aOpts = await authOptions();
    const resp = await auth.get(aOpts, {
      origin: ORIGIN,
      tamper: { userHandle: 'c29tZW9uZS1lbHNl', crossOrigin: true, id: 'AAAA', rawId: 'AAAA' },
    });
    expect((await verifyAuth(resp, aOpts, credential)).verified).toBe(true);
    // The simple checks an RP must do itself:
    expect(resp.response.userHandle).not.toBe(opts.user.id);
    expect(clientData(resp.response.clientDataJSON).crossOrigin).toBe(true);
    expect(resp.id).not.toBe(credential.id);
  });

  it('userHandle null omits the field', async () => {
    const { auth } = await registered();
    const resp = await auth.get(await authOptions(), { origin: ORIGIN, tamper: { userHandle: null } });
    expect('userHandle' in resp.response).toBe(false);
  });

  it('explicit counter does not advance the stored counter', async () => {
    const { auth } = await registered();
    await auth.get(await authOptions(), { origin: ORIGIN, tamper: { counter: 99 } });
    expect(auth.credentials[0]?.counter).toBe(0);
    await auth.get(await authOptions(), { origin: ORIGIN });
    expect(auth.credentials[0]?.counter).toBe(1);
  });
});
