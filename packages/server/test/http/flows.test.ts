import { createLocalJWKSet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { SoftwareAuthenticator } from '../support/authenticator.js';
import {
  addPasskey,
  attemptSignIn,
  expectError,
  expectOk,
  signInDiscoverable,
  signUp,
  startIdentifierFirst,
} from '../support/flows.js';
import { createTestServer, DEV_ORIGIN } from '../support/harness.js';

const GOOGLE_PM = 'ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4';

describe('passkey lifecycle over the frontend API', () => {
  it('signs up, adds a second passkey, signs in by each flow, renames, deletes, and mints a verifiable token', async () => {
    // One browser signs in again and again without signing out: multi-session mode.
    const server = await createTestServer({ settings: { multiSession: true } });
    const browser = server.browser();
    const phone = new SoftwareAuthenticator({ aaguid: GOOGLE_PM });
    const laptop = new SoftwareAuthenticator({ alg: 'EdDSA' });

    // Passkey-first sign-up.
    const { sessionId, userId, body } = await signUp(browser, phone, { username: 'ada', email_address: 'Ada@Example.com' });
    expect(body.client.last_active_session_id).toBe(sessionId);
    const user = body.client.sessions[0].user;
    expect(user).toMatchObject({ id: userId, username: 'ada' });
    expect(user.email_addresses[0].email_address).toBe('Ada@Example.com');
    expect(user.passkeys).toHaveLength(1);
    expect(user.passkeys[0].name).toBe('Google Password Manager');

    // A second passkey while signed in; excludeCredentials lists the first.
    const pending = expectOk(await browser.post(`/v1/me/passkeys?_clerk_session_id=${sessionId}`)).response;
    expect(pending.verification.status).toBe('unverified');
    const creation = JSON.parse(pending.verification.nonce);
    expect(creation.excludeCredentials.map((c: { id: string }) => c.id)).toEqual([phone.credentials[0]!.idB64]);
    expect(creation.authenticatorSelection).toMatchObject({ residentKey: 'required', userVerification: 'required' });
    expect(creation.pubKeyCredParams.map((p: { alg: number }) => p.alg).sort((a: number, b: number) => a - b)).toEqual([-257, -8, -7]);
    const credential = await laptop.create(creation, { origin: DEV_ORIGIN });
    const added = expectOk(
      await browser.post(`/v1/me/passkeys/${pending.id}/attempt_verification?_clerk_session_id=${sessionId}`, {
        strategy: 'passkey',
        public_key_credential: credential,
      }),
    );
    expect(added.response).toMatchObject({ object: 'passkey', id: pending.id, name: 'Chrome on Linux', verification: { status: 'verified' } });
    expect(added.client.sessions[0].user.passkeys).toHaveLength(2);

    // Sign out, then discoverable sign-in with the laptop (Ed25519).
    expectOk(await browser.post(`/v1/client/sessions/${sessionId}/end`));
    expect(expectOk(await browser.get('/v1/client')).response.sessions).toEqual([]);
    const discoverableSession = await signInDiscoverable(browser, laptop);

    // Identifier-first with the phone, by email in another case.
    const { signIn, options } = await startIdentifierFirst(browser, 'ADA@example.com');
    expect(options.allowCredentials.map((c: { id: string }) => c.id).sort()).toEqual(
      [phone.credentials[0]!.idB64, laptop.credentials[0]!.idB64].sort(),
    );
    const assertion = await phone.get(options, { origin: DEV_ORIGIN });
    const done = expectOk(await attemptSignIn(browser, signIn.id, assertion));
    expect(done.response.status).toBe('complete');
    const session2 = done.response.created_session_id;
    expect(session2).not.toBe(discoverableSession);
    const afterSignIn = done.client.sessions.find((s: { id: string }) => s.id === session2).user;
    expect(afterSignIn.passkeys.find((p: { name: string }) => p.name === 'Google Password Manager').last_used_at).toBe(server.clock.now());

    // Rename and delete.
    const phonePk = afterSignIn.passkeys.find((p: { name: string }) => p.name === 'Google Password Manager');
    server.clock.advance(1000);
    const renamed = expectOk(await browser.post(`/v1/me/passkeys/${phonePk.id}?_method=PATCH&_clerk_session_id=${session2}`, { name: '  Work phone ' }));
    expect(renamed.response.name).toBe('Work phone');
    const userAfterRename = renamed.client.sessions.find((s: { id: string }) => s.id === session2).user;
    expect(userAfterRename.updated_at).toBe(server.clock.now());
    const laptopPk = afterSignIn.passkeys.find((p: { name: string }) => p.name === 'Chrome on Linux');
    const deleted = expectOk(await browser.post(`/v1/me/passkeys/${laptopPk.id}?_method=DELETE&_clerk_session_id=${session2}`));
    expect(deleted.response).toEqual({ object: 'passkey', id: laptopPk.id, deleted: true });
    expect(deleted.client.sessions.find((s: { id: string }) => s.id === session2).user.passkeys.map((p: { id: string }) => p.id)).toEqual([phonePk.id]);

    // The deleted passkey no longer signs in.
    const other = server.browser();
    const start = expectOk(await other.post('/v1/client/sign_ins', { strategy: 'passkey' })).response;
    const stale = await laptop.get(JSON.parse(start.first_factor_verification.nonce), { origin: DEV_ORIGIN });
    expectError(await attemptSignIn(other, start.id, stale), 404, 'passkey_not_registered');

    // Session token: ES256, verifiable with the published JWKS, claims as documented.
    const tokenRes = expectOk(await browser.post(`/v1/client/sessions/${session2}/tokens`));
    expect(tokenRes.object).toBe('token');
    const jwks = expectOk(await browser.get('/.well-known/jwks.json'));
    const { payload, protectedHeader } = await jwtVerify(tokenRes.jwt, createLocalJWKSet(jwks), {
      issuer: 'http://localhost:4000',
      currentDate: new Date(server.clock.now()),
    });
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload).toMatchObject({ sid: session2, sub: userId, azp: DEV_ORIGIN, v: 2 });
    expect(payload.exp! - payload.iat!).toBe(60);
    expect(payload.nbf).toBeLessThanOrEqual(payload.iat!);
  });

  it('serves the same API under /__clerk/v1 and answers GET /v1/client for a new browser with null', async () => {
    const server = await createTestServer();
    const b = server.browser();
    expect(expectOk(await b.get('/v1/client'))).toEqual({ response: null, client: null });
    const env = expectOk(await b.get('/__clerk/v1/environment'));
    expect(env.user_settings.attributes.passkey.enabled).toBe(true);
    expect(env.user_settings.passkey_settings).toEqual({ allow_autofill: true, show_sign_in_button: true });
    const auth = new SoftwareAuthenticator();
    const r = expectOk(await b.post('/__clerk/v1/client/sign_ups?__clerk_api_version=2025-11-10&_clerk_js_version=5.0.0', { username: 'grace', locale: 'en-GB' }));
    expect(r.response.status).toBe('missing_requirements');
    const prepared = expectOk(await b.post(`/__clerk/v1/client/sign_ups/${r.response.id}/prepare_verification`, { strategy: 'passkey' }));
    const cred = await auth.create(JSON.parse(prepared.response.verifications.passkey.nonce), { origin: DEV_ORIGIN });
    const done = expectOk(await b.post(`/__clerk/v1/client/sign_ups/${r.response.id}/attempt_verification`, { strategy: 'passkey', public_key_credential: cred }, { json: true }));
    expect(done.response.status).toBe('complete');
    expect(done.client.sessions[0].last_active_token.jwt).toMatch(/^ey/);
  });
});
