import { describe, expect, it } from 'vitest';
import { SoftwareAuthenticator } from '../support/authenticator.js';
import { addPasskey, expectError, expectOk, signUp, startSignUp } from '../support/flows.js';
import { createTestServer } from '../support/harness.js';

describe('sign-up identifiers', () => {
  it('are unique, emails case-insensitively, answering form_identifier_exists', async () => {
    const server = await createTestServer();
    await signUp(server.browser(), new SoftwareAuthenticator(), { username: 'Mia', email_address: 'mia@example.com' });
    const b = server.browser();
    const e1 = expectError(await b.post('/v1/client/sign_ups', { email_address: 'MIA@Example.COM' }), 422, 'form_identifier_exists');
    expect(e1.meta.param_name).toBe('email_address');
    const e2 = expectError(await b.post('/v1/client/sign_ups', { username: 'mia' }), 422, 'form_identifier_exists');
    expect(e2.meta.param_name).toBe('username');
  });

  it('are validated, naming the parameter', async () => {
    const server = await createTestServer();
    const b = server.browser();
    expect(expectError(await b.post('/v1/client/sign_ups', {}), 422, 'form_param_missing').meta.param_name).toBe('username');
    expect(expectError(await b.post('/v1/client/sign_ups', { email_address: 'not-an-email' }), 422, 'form_param_format_invalid').meta.param_name).toBe(
      'email_address',
    );
    expect(expectError(await b.post('/v1/client/sign_ups', { username: 'a b' }), 422, 'form_param_format_invalid').meta.param_name).toBe('username');
    expectError(await b.post('/v1/client/sign_ups', { username: 'x'.repeat(65) }), 422, 'form_param_format_invalid');
  });

  it('taken between create and attempt: the loser gets form_identifier_exists and no half-made account', async () => {
    const server = await createTestServer();
    const a = server.browser();
    const b = server.browser();
    const first = await startSignUp(a, { username: 'nat' });
    const second = await startSignUp(b, { username: 'nat' });
    const authA = new SoftwareAuthenticator();
    const authB = new SoftwareAuthenticator();
    expectOk(
      await a.post(`/v1/client/sign_ups/${first.signUp.id}/attempt_verification`, {
        strategy: 'passkey',
        public_key_credential: await authA.create(first.options, { origin: a.origin! }),
      }),
    );
    expectError(
      await b.post(`/v1/client/sign_ups/${second.signUp.id}/attempt_verification`, {
        strategy: 'passkey',
        public_key_credential: await authB.create(second.options, { origin: b.origin! }),
      }),
      422,
      'form_identifier_exists',
    );
    const db = server.deps.store.db;
    expect(await db.selectFrom('users').select('id').execute()).toHaveLength(1);
    expect(await db.selectFrom('passkeys').select('id').execute()).toHaveLength(1);
    expect(await db.selectFrom('sessions').select('id').execute()).toHaveLength(1);
  });

  it('use a random WebAuthn user handle, not personal data', async () => {
    const server = await createTestServer();
    const { options } = await startSignUp(server.browser(), { username: 'oscar', email_address: 'oscar@example.com' });
    const handle = Buffer.from(options.user.id, 'base64url');
    expect(handle.length).toBe(32);
    expect(handle.toString('utf8')).not.toMatch(/oscar/);
    expect(options.user.name).toBe('oscar');
  });
});

describe('passkey management', () => {
  it('renames with trimmed 1–64 character names and refuses bad ones', async () => {
    const server = await createTestServer();
    const b = server.browser();
    const { sessionId } = await signUp(b, new SoftwareAuthenticator(), { username: 'pat' });
    const q = `?_clerk_session_id=${sessionId}`;
    const pk = expectOk(await b.get(`/v1/me${q}`)).response.passkeys[0];
    for (const name of ['', '   ', 'x'.repeat(65), 'tab\there', 'nul\u0000']) {
      expectError(await b.post(`/v1/me/passkeys/${pk.id}${q}&_method=PATCH`, { name }), 422, 'form_param_format_invalid');
    }
    expectError(await b.post(`/v1/me/passkeys/${pk.id}${q}&_method=PATCH`, {}), 422, 'form_param_missing');
    expect(expectOk(await b.get(`/v1/me${q}`)).response.passkeys[0].name).toBe(pk.name);
    // Real PATCH and a JSON body work too.
    const r = expectOk(await b.request('PATCH', `/v1/me/passkeys/${pk.id}${q}`, { name: 'Desk key' }, { json: true }));
    expect(r.response.name).toBe('Desk key');
  });

  it("another user's passkey id is passkey_not_registered for rename and delete", async () => {
    const server = await createTestServer();
    const alice = server.browser();
    const a = await signUp(alice, new SoftwareAuthenticator(), { username: 'quinn' });
    const alicePk = expectOk(await alice.get(`/v1/me?_clerk_session_id=${a.sessionId}`)).response.passkeys[0];
    const mallory = server.browser();
    const m = await signUp(mallory, new SoftwareAuthenticator(), { username: 'mallory' });
    const q = `?_clerk_session_id=${m.sessionId}`;
    expectError(await mallory.post(`/v1/me/passkeys/${alicePk.id}${q}&_method=PATCH`, { name: 'mine' }), 404, 'passkey_not_registered');
    expectError(await mallory.post(`/v1/me/passkeys/${alicePk.id}${q}&_method=DELETE`), 404, 'passkey_not_registered');
    const still = expectOk(await alice.get(`/v1/me?_clerk_session_id=${a.sessionId}`)).response.passkeys[0];
    expect(still).toEqual(alicePk);
  });

  it('refuses to delete the last passkey (the account would be locked out for good)', async () => {
    const server = await createTestServer();
    const b = server.browser();
    const { sessionId } = await signUp(b, new SoftwareAuthenticator(), { username: 'solo' });
    const q = `?_clerk_session_id=${sessionId}`;
    const pk = expectOk(await b.get(`/v1/me${q}`)).response.passkeys[0];
    expectError(await b.post(`/v1/me/passkeys/${pk.id}${q}&_method=DELETE`), 409, 'passkey_last_remaining');
    expect(expectOk(await b.get(`/v1/me${q}`)).response.passkeys).toHaveLength(1);
  });

  it('two deletes racing on the last two passkeys leave one', async () => {
    const server = await createTestServer();
    const b = server.browser();
    const { sessionId } = await signUp(b, new SoftwareAuthenticator(), { username: 'duo' });
    expectOk(await addPasskey(b, sessionId, new SoftwareAuthenticator()));
    const q = `?_clerk_session_id=${sessionId}`;
    const [p1, p2] = expectOk(await b.get(`/v1/me${q}`)).response.passkeys;
    const results = await Promise.all([p1, p2].map((p: { id: string }) => b.post(`/v1/me/passkeys/${p.id}${q}&_method=DELETE`)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(expectOk(await b.get(`/v1/me${q}`)).response.passkeys).toHaveLength(1);
  });

  it('needs a session: signed out callers get signed_out', async () => {
    const server = await createTestServer();
    const b = server.browser();
    expectOk(await b.post('/v1/client'));
    expectError(await b.post('/v1/me/passkeys'), 401, 'signed_out');
    expectError(await b.get('/v1/me'), 401, 'signed_out');
  });
});
