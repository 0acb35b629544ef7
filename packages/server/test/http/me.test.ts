import { describe, expect, it } from 'vitest';
import { SoftwareAuthenticator } from '../support/authenticator.js';
import { addPasskey, expectError, expectOk, signInDiscoverable, signUp } from '../support/flows.js';
import { createTestServer } from '../support/harness.js';

describe('PATCH /v1/me (profile)', () => {
  it('sets and replaces the username and the email address, moving updated_at', async () => {
    const server = await createTestServer();
    const b = server.browser();
    const { sessionId } = await signUp(b, new SoftwareAuthenticator(), { username: 'bob' });
    server.clock.advance(1000);
    const r = expectOk(await b.post(`/v1/me?_method=PATCH&_clerk_session_id=${sessionId}`, { username: 'bobby', email_address: 'bob@example.com' }));
    expect(r.response.username).toBe('bobby');
    expect(r.response.email_addresses.map((e: { email_address: string }) => e.email_address)).toEqual(['bob@example.com']);
    expect(r.response.primary_email_address_id).toBe(r.response.email_addresses[0].id);
    expect(r.response.updated_at).toBe(server.clock.now());
    expect(r.client.sessions[0].user.username).toBe('bobby');
    // Replacing keeps one address, and the new username is what signs in now.
    const r2 = expectOk(await b.request('PATCH', '/v1/me', { email_address: 'robert@example.com' }));
    expect(r2.response.email_addresses.map((e: { email_address: string }) => e.email_address)).toEqual(['robert@example.com']);
    expectOk(await b.post('/v1/client/sessions?_method=DELETE'));
    expect(expectOk(await b.post('/v1/client/sign_ins', { identifier: 'bobby' })).response.status).toBe('needs_first_factor');
  });

  it("refuses another user's username or email (any case): form_identifier_exists, nothing changed", async () => {
    const server = await createTestServer();
    await signUp(server.browser(), new SoftwareAuthenticator(), { username: 'alice', email_address: 'alice@example.com' });
    const b = server.browser();
    await signUp(b, new SoftwareAuthenticator(), { username: 'bob' });
    const e1 = expectError(await b.post('/v1/me?_method=PATCH', { username: 'ALICE' }), 422, 'form_identifier_exists');
    expect(e1.meta.param_name).toBe('username');
    const e2 = expectError(await b.post('/v1/me?_method=PATCH', { username: 'bobby', email_address: 'Alice@Example.com' }), 422, 'form_identifier_exists');
    expect(e2.meta.param_name).toBe('email_address');
    // The transaction rolled back: the username did not change either.
    expect(expectOk(await b.get('/v1/me')).response.username).toBe('bob');
  });

  it('accepts its own value again in another case', async () => {
    const server = await createTestServer();
    const b = server.browser();
    await signUp(b, new SoftwareAuthenticator(), { username: 'bob' });
    expect(expectOk(await b.post('/v1/me?_method=PATCH', { username: 'Bob' })).response.username).toBe('Bob');
  });

  it('validates, naming the parameter; an empty change is form_param_missing', async () => {
    const server = await createTestServer();
    const b = server.browser();
    await signUp(b, new SoftwareAuthenticator(), { username: 'bob' });
    expect(expectError(await b.post('/v1/me?_method=PATCH', { username: 'a b' }), 422, 'form_param_format_invalid').meta.param_name).toBe('username');
    expect(expectError(await b.post('/v1/me?_method=PATCH', { email_address: 'nope' }), 422, 'form_param_format_invalid').meta.param_name).toBe('email_address');
    expect(expectError(await b.post('/v1/me?_method=PATCH', { username: 'x'.repeat(65) }), 422, 'form_param_format_invalid').meta.param_name).toBe('username');
    expectError(await b.post('/v1/me?_method=PATCH', {}), 422, 'form_param_missing');
  });

  it('needs a session', async () => {
    const server = await createTestServer();
    expectError(await server.browser().post('/v1/me?_method=PATCH', { username: 'bob' }), 401, 'signed_out');
  });
});

describe('DELETE /v1/me (delete account)', () => {
  it('removes the user, identifiers, passkeys and every session on every browser', async () => {
    const server = await createTestServer();
    const laptop = server.browser();
    const auth = new SoftwareAuthenticator();
    const { sessionId, userId } = await signUp(laptop, auth, { username: 'bob', email_address: 'bob@example.com' });
    expectOk(await addPasskey(laptop, sessionId, new SoftwareAuthenticator()));
    const phone = server.browser();
    const phoneSession = await signInDiscoverable(phone, auth);

    const r = expectOk(await laptop.post(`/v1/me?_method=DELETE&_clerk_session_id=${sessionId}`));
    expect(r.response).toEqual({ object: 'user', id: userId, deleted: true });
    expect(r.client.sessions).toEqual([]);
    expect(r.client.last_active_session_id).toBeNull();
    const db = server.deps.store.db;
    for (const table of ['users', 'identifiers', 'passkeys', 'sessions'] as const) {
      expect(await db.selectFrom(table).selectAll().execute()).toEqual([]);
    }
    expectError(await phone.post(`/v1/client/sessions/${phoneSession}/tokens`), 401, 'signed_out');
    // The name is free again, and the passkey no longer signs in.
    expectOk(await server.browser().post('/v1/client/sign_ups', { username: 'bob' }));
    const events = await db.selectFrom('audit_events').select('type').where('type', '=', 'user.deleted').execute();
    expect(events).toHaveLength(1);
  });

  it('needs a live session', async () => {
    const server = await createTestServer();
    const b = server.browser();
    const { sessionId } = await signUp(b, new SoftwareAuthenticator(), { username: 'bob' });
    expectOk(await b.post(`/v1/client/sessions/${sessionId}/end`));
    expectError(await b.post(`/v1/me?_method=DELETE&_clerk_session_id=${sessionId}`), 401, 'signed_out');
    expectError(await server.browser().request('DELETE', '/v1/me'), 401, 'signed_out');
    expect(await server.deps.store.db.selectFrom('users').selectAll().execute()).toHaveLength(1);
  });
});

describe('active sessions of the user (GET /v1/me/sessions/active, POST /v1/me/sessions/{id}/revoke)', () => {
  it("lists the user's live sessions on every browser, without users or tokens", async () => {
    const server = await createTestServer();
    const auth = new SoftwareAuthenticator();
    const laptop = server.browser();
    const { sessionId } = await signUp(laptop, auth, { username: 'bob' });
    server.clock.advance(1000);
    const phone = server.browser();
    const phoneSession = await signInDiscoverable(phone, auth);
    // Someone else's session is not listed.
    await signUp(server.browser(), new SoftwareAuthenticator(), { username: 'carol' });

    const r = expectOk(await laptop.get(`/v1/me/sessions/active?_clerk_session_id=${sessionId}`));
    expect(r.response.map((s: { id: string }) => s.id)).toEqual([phoneSession, sessionId]);
    for (const s of r.response) {
      expect(s).toMatchObject({ object: 'session', status: 'active', latest_activity: null });
      expect(s).not.toHaveProperty('user');
      expect(s).not.toHaveProperty('last_active_token');
    }
  });

  it("revokes another browser's session: it is signed out there and gone from the list", async () => {
    const server = await createTestServer();
    const auth = new SoftwareAuthenticator();
    const laptop = server.browser();
    await signUp(laptop, auth, { username: 'bob' });
    const phone = server.browser();
    const phoneSession = await signInDiscoverable(phone, auth);

    const r = expectOk(await laptop.post(`/v1/me/sessions/${phoneSession}/revoke`));
    expect(r.response).toMatchObject({ object: 'session', id: phoneSession, status: 'revoked' });
    expectError(await phone.post(`/v1/client/sessions/${phoneSession}/tokens`), 401, 'signed_out');
    expect(expectOk(await phone.get('/v1/client')).response.sessions).toEqual([]);
    expect(expectOk(await laptop.get('/v1/me/sessions/active')).response).toHaveLength(1);
    // Revoking it again: nothing live has that id.
    expectError(await laptop.post(`/v1/me/sessions/${phoneSession}/revoke`), 404, 'resource_not_found');
  });

  it("refuses another user's session id and unknown ids with resource_not_found", async () => {
    const server = await createTestServer();
    const bob = server.browser();
    await signUp(bob, new SoftwareAuthenticator(), { username: 'bob' });
    const carol = server.browser();
    const { sessionId: carolSession } = await signUp(carol, new SoftwareAuthenticator(), { username: 'carol' });
    expectError(await bob.post(`/v1/me/sessions/${carolSession}/revoke`), 404, 'resource_not_found');
    expectError(await bob.post('/v1/me/sessions/sess_nope/revoke'), 404, 'resource_not_found');
    expectOk(await carol.post(`/v1/client/sessions/${carolSession}/tokens`));
  });

  it('revoking the acting session signs this browser out', async () => {
    const server = await createTestServer();
    const b = server.browser();
    const { sessionId } = await signUp(b, new SoftwareAuthenticator(), { username: 'bob' });
    const r = expectOk(await b.post(`/v1/me/sessions/${sessionId}/revoke`));
    expect(r.client.sessions).toEqual([]);
    expect(r.client.last_active_session_id).toBeNull();
  });

  it('need a session', async () => {
    const server = await createTestServer();
    const b = server.browser();
    expectError(await b.get('/v1/me/sessions/active'), 401, 'signed_out');
    expectError(await b.post('/v1/me/sessions/sess_x/revoke'), 401, 'signed_out');
  });
});

describe('default passkey names', () => {
  it('a second passkey from the same browser gets a distinct name', async () => {
    const server = await createTestServer();
    const b = server.browser();
    const { sessionId } = await signUp(b, new SoftwareAuthenticator(), { username: 'bob' });
    server.clock.advance(1000); // the list is in creation order
    expect(expectOk(await addPasskey(b, sessionId, new SoftwareAuthenticator())).response.name).toBe('Chrome on Linux 2');
    server.clock.advance(1000);
    expectOk(await addPasskey(b, sessionId, new SoftwareAuthenticator()));
    const user = expectOk(await b.get('/v1/me')).response;
    expect(user.passkeys.map((p: { name: string }) => p.name)).toEqual(['Chrome on Linux', 'Chrome on Linux 2', 'Chrome on Linux 3']);
  });
});

describe('CSRF on the account routes', () => {
  it('refuse a request without an allowed Origin, changing nothing', async () => {
    const server = await createTestServer();
    const b = server.browser();
    const { sessionId } = await signUp(b, new SoftwareAuthenticator(), { username: 'bob' });
    const evil = Object.assign(server.browser({ origin: 'https://evil.example' }), { cookie: b.cookie });
    expectError(await evil.post('/v1/me?_method=PATCH', { username: 'mallory' }), 400, 'origin_invalid');
    expectError(await evil.post('/v1/me?_method=DELETE'), 400, 'origin_invalid');
    expectError(await evil.post(`/v1/me/sessions/${sessionId}/revoke`), 400, 'origin_invalid');
    expect(expectOk(await b.get('/v1/me')).response.username).toBe('bob');
    expectOk(await b.post(`/v1/client/sessions/${sessionId}/tokens`));
  });
});
