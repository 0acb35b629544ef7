/**
 * The backend API over HTTP (run on SQLite and on PostgreSQL): secret-key authentication on every
 * route, users, passkeys, sessions, settings, audit events and pagination. Generous timeouts: each
 * test makes dozens of requests against a fresh database, slow on a loaded machine.
 */
import { createLocalJWKSet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { backendRoutes } from '../../src/bapi/app.js';
import { SoftwareAuthenticator } from '../support/authenticator.js';
import { BackendClient, backendFor } from '../support/backend.js';
import { expectError, expectOk, signInDiscoverable, signUp } from '../support/flows.js';
import { createTestServer } from '../support/harness.js';

/** Every backend route with placeholder ids filled in. */
function concretePaths(ids: { user: string; session: string; passkey: string }) {
  return backendRoutes.map((r) => ({
    method: r.method.toUpperCase(),
    path: `/v1${r.path.replace(':user_id', ids.user).replace(':session_id', ids.session).replace(':passkey_id', ids.passkey)}`,
  }));
}

describe('backend API authentication', { timeout: 120_000 }, () => {
  it('refuses every route without a valid secret key (401), whatever else the call carries', { timeout: 120_000 }, async () => {
    const server = await createTestServer();
    const b = server.browser();
    const { userId, sessionId, body } = await signUp(b, new SoftwareAuthenticator(), { username: 'ann' });
    const passkeyId = body.client.sessions[0].user.passkeys[0].id;
    const { api } = await backendFor(server);
    const revoked = await backendFor(server, 'old');
    await server.deps.secretKeys.revoke(revoked.keyId);
    const publishable = `Bearer ${(await import('../../src/config/publishable-key.js')).publishableKey(server.deps.config)}`;
    const cases: [string | null, string][] = [
      [null, 'secret_key_required'],
      ['Basic dXNlcjpwYXNz', 'secret_key_required'],
      ['Bearer sk_test_tooshort', 'authentication_invalid'],
      ['Bearer sk_test_' + 'A'.repeat(43), 'authentication_invalid'], // well-formed, unknown
      ['Bearer sk_live_' + 'A'.repeat(43), 'authentication_invalid'], // a live key on a development instance
      [revoked.api.authorization, 'authentication_invalid'],
      [publishable, 'authentication_invalid'],
    ];
    for (const { method, path } of concretePaths({ user: userId, session: sessionId, passkey: passkeyId })) {
      for (const [authorization, code] of cases) {
        const r = await new BackendClient(server.app, authorization).request(method, path, method === 'GET' || method === 'DELETE' ? undefined : {});
        expect({ route: `${method} ${path}`, auth: authorization, status: r.status, code: r.body?.errors?.[0]?.code }).toEqual({
          route: `${method} ${path}`,
          auth: authorization,
          status: 401,
          code,
        });
      }
      // A browser's cookie (and Origin) is no credential here.
      const withCookie = await b.request(method, path);
      expect([`${method} ${path}`, withCookie.status, withCookie.body.errors[0].code]).toEqual([`${method} ${path}`, 401, 'secret_key_required']);
    }
    // The user and session are untouched by all of that.
    expect(expectOk(await api.get(`/v1/users/${userId}`)).id).toBe(userId);
    expect(expectOk(await api.get(`/v1/sessions/${sessionId}`)).status).toBe('active');
  });

  it('refuses a secret key on frontend API routes (401 secret_key_not_allowed)', async () => {
    const server = await createTestServer();
    const { api } = await backendFor(server);
    expectError(await api.get('/v1/client'), 401, 'secret_key_not_allowed');
    expectError(await api.get('/v1/me'), 401, 'secret_key_not_allowed');
    expectError(await api.post('/v1/client/sign_ins', { strategy: 'passkey' }), 401, 'secret_key_not_allowed');
    expectError(await api.get('/v1/environment'), 401, 'secret_key_not_allowed');
    // An unknown API path is still a 404 (resource_not_found, as every unknown API path since issue 14).
    expectError(await api.get('/v1/nothing_here'), 404, 'resource_not_found');
  });

  it('records use at most once a minute, and a pinned LATCHKEY_SECRET_KEY works without a row', async () => {
    const pinned = 'sk_test_' + 'p'.repeat(43);
    const server = await createTestServer({ config: { secretKey: pinned } });
    const { api, keyId } = await backendFor(server);
    const lastUsed = async () => (await server.deps.secretKeys.list()).find((k) => k.id === keyId)!.last_used_at;
    expect(await lastUsed()).toBeNull();
    expectOk(await api.get('/v1/users'));
    const first = await lastUsed();
    expect(first).toBe(server.clock.now());
    server.clock.advance(30_000);
    expectOk(await api.get('/v1/users'));
    expect(await lastUsed()).toBe(first);
    server.clock.advance(30_000);
    expectOk(await api.get('/v1/users'));
    expect(await lastUsed()).toBe(server.clock.now());

    expectOk(await new BackendClient(server.app, `Bearer ${pinned}`).get('/v1/users'));
    expectError(await new BackendClient(server.app, `Bearer sk_test_${'q'.repeat(43)}`).get('/v1/users'), 401, 'authentication_invalid');
    expect(await server.deps.secretKeys.list()).toHaveLength(1);
  });

  it('stores only a hash of the key', async () => {
    const server = await createTestServer();
    const { key } = await backendFor(server);
    expect(key).toMatch(/^sk_test_[A-Za-z0-9_-]{43}$/);
    const rows = await server.deps.store.db.selectFrom('secret_keys').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(key.slice(8));
    expect(rows[0]!.key_hint).toBe(key.slice(-4));
  });
});

describe('backend API: users', { timeout: 120_000 }, () => {
  it('creates, reads, updates, searches and deletes users', async () => {
    const server = await createTestServer();
    const { api } = await backendFor(server);
    const created = expectOk(await api.post('/v1/users', { username: 'Zoe', email_address: 'zoe@example.com', public_metadata: { plan: 'pro' } }));
    expect(created).toMatchObject({ object: 'user', username: 'Zoe', passkeys: [], public_metadata: { plan: 'pro' }, private_metadata: {}, banned: false });
    expect(created.email_addresses[0].email_address).toBe('zoe@example.com');
    expect(expectOk(await api.get(`/v1/users/${created.id}`))).toEqual(created);

    server.clock.advance(1000);
    const updated = expectOk(await api.patch(`/v1/users/${created.id}`, { username: 'zoe2', private_metadata: { note: 'vip' } }));
    expect(updated).toMatchObject({ username: 'zoe2', public_metadata: { plan: 'pro' }, private_metadata: { note: 'vip' }, updated_at: server.clock.now() });

    expectOk(await api.post('/v1/users', { username: 'other' }));
    const found = expectOk(await api.get('/v1/users?query=ZOE'));
    expect(found.data.map((u: any) => u.id)).toEqual([created.id]);
    expect(found.total_count).toBe(1);
    // LIKE wildcards in the query match themselves only.
    expect(expectOk(await api.get('/v1/users?query=%25')).data).toEqual([]);

    const deleted = expectOk(await api.delete(`/v1/users/${created.id}`));
    expect(deleted).toEqual({ object: 'user', id: created.id, deleted: true });
    expectError(await api.get(`/v1/users/${created.id}`), 404, 'resource_not_found');
    const types = (await server.deps.store.db.selectFrom('audit_events').select(['type', 'actor_type']).where('user_id', '=', created.id).execute()).map((e) => e.type);
    expect(types).toEqual(['user.created', 'user.updated', 'user.deleted']);
  });

  it('refuses bad bodies with 422 and the parameter, and taken identifiers', async () => {
    const server = await createTestServer();
    const { api } = await backendFor(server);
    const u = expectOk(await api.post('/v1/users', { username: 'taken' }));
    const bad: [string, string, unknown, string, string][] = [
      ['POST', '/v1/users', {}, 'form_param_missing', 'username'],
      ['POST', '/v1/users', { username: 'x' }, 'form_param_format_invalid', 'username'],
      ['POST', '/v1/users', { email_address: 'not-an-email' }, 'form_param_format_invalid', 'email_address'],
      ['POST', '/v1/users', { username: 42 }, 'form_param_format_invalid', 'username'],
      ['POST', '/v1/users', { username: 'ok_name', public_metadata: 'text' }, 'form_param_format_invalid', 'public_metadata'],
      ['POST', '/v1/users', { username: 'TAKEN' }, 'form_identifier_exists', 'username'],
      ['PATCH', `/v1/users/${u.id}`, { username: null }, 'form_param_format_invalid', 'username'],
      ['PATCH', '/v1/instance', { token_seconds: 5 }, 'form_param_format_invalid', 'token_seconds'],
      ['PATCH', '/v1/instance', { no_such_setting: true }, 'form_param_format_invalid', 'no_such_setting'],
      ['GET', '/v1/users?limit=0', undefined, 'form_param_format_invalid', 'limit'],
      ['GET', '/v1/users?limit=501', undefined, 'form_param_format_invalid', 'limit'],
      ['GET', '/v1/users?starting_after=user_nope', undefined, 'form_param_format_invalid', 'starting_after'],
      ['GET', '/v1/sessions?status=sleeping', undefined, 'form_param_format_invalid', 'status'],
      ['GET', '/v1/audit_events?type=user.exploded', undefined, 'form_param_format_invalid', 'type'],
      ['GET', '/v1/audit_events?since=yesterday', undefined, 'form_param_format_invalid', 'since'],
    ];
    for (const [method, path, body, code, param] of bad) {
      const r = await api.request(method, path, body);
      expect({ call: `${method} ${path} ${JSON.stringify(body)}`, status: r.status, code: r.body.errors?.[0]?.code, param: r.body.errors?.[0]?.meta?.param_name }).toEqual({
        call: `${method} ${path} ${JSON.stringify(body)}`,
        status: 422,
        code,
        param,
      });
    }
    const notJson = await server.app.request('/v1/users', { method: 'POST', headers: { authorization: api.authorization!, 'content-type': 'application/json' }, body: '{' });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as any).errors[0].code).toBe('request_body_invalid');
  });

  it('answers 404 for ids that do not exist or are of another kind', async () => {
    const server = await createTestServer();
    const b = server.browser();
    const { userId, sessionId, body } = await signUp(b, new SoftwareAuthenticator(), { username: 'kim' });
    const passkeyId = body.client.sessions[0].user.passkeys[0].id;
    const { api } = await backendFor(server);
    for (const [method, path] of [
      ['GET', `/v1/users/${sessionId}`],
      ['GET', '/v1/users/user_doesnotexist'],
      ['PATCH', `/v1/users/${passkeyId}`],
      ['DELETE', `/v1/users/${sessionId}`],
      ['POST', `/v1/users/${sessionId}/ban`],
      ['POST', `/v1/users/${passkeyId}/unban`],
      ['GET', `/v1/users/${sessionId}/passkeys`],
      ['DELETE', `/v1/users/${userId}/passkeys/${sessionId}`],
      ['DELETE', `/v1/users/${userId}/passkeys/pk_doesnotexist`],
      ['GET', `/v1/sessions/${userId}`],
      ['POST', `/v1/sessions/${passkeyId}/revoke`],
      ['POST', `/v1/sessions/${userId}/tokens`],
    ] as const) {
      const r = await api.request(method, path, method === 'PATCH' ? { username: 'x_y_z' } : undefined);
      expect([`${method} ${path}`, r.status, r.body.errors?.[0]?.code]).toEqual([`${method} ${path}`, 404, 'resource_not_found']);
    }
  });

  it("lists a user's passkeys with provider, AAGUID and sync state, and deletes one (the last too)", async () => {
    const server = await createTestServer();
    const b = server.browser();
    const aaguid = 'fbfc3007-154e-4ecc-8c0b-6e020557d7bd';
    const { userId } = await signUp(b, new SoftwareAuthenticator({ aaguid, backupEligible: true, backupState: true }), { username: 'pat' });
    const { api } = await backendFor(server);
    const list = expectOk(await api.get(`/v1/users/${userId}/passkeys`));
    expect(list.total_count).toBe(1);
    expect(list.data[0]).toMatchObject({ object: 'passkey', aaguid, device_type: 'multi_device', backed_up: true, last_used_at: null });
    expect(typeof list.data[0].provider_name).toBe('string');
    const del = expectOk(await api.delete(`/v1/users/${userId}/passkeys/${list.data[0].id}`));
    expect(del).toEqual({ object: 'passkey', id: list.data[0].id, deleted: true });
    expect(expectOk(await api.get(`/v1/users/${userId}/passkeys`)).data).toEqual([]);
  });
});

describe('backend API: sessions', { timeout: 120_000 }, () => {
  it("revoking a session signs the browser out at its next /tokens; a token minted before verifies until it expires", async () => {
    const server = await createTestServer();
    const b = server.browser();
    const { sessionId, userId } = await signUp(b, new SoftwareAuthenticator(), { username: 'lee' });
    const jwt = expectOk(await b.post(`/v1/client/sessions/${sessionId}/tokens`)).jwt;
    const { api } = await backendFor(server);
    const list = expectOk(await api.get(`/v1/sessions?user_id=${userId}&status=active`));
    expect(list.data.map((s: any) => s.id)).toEqual([sessionId]);

    const revoked = expectOk(await api.post(`/v1/sessions/${sessionId}/revoke`));
    expect(revoked).toMatchObject({ object: 'session', id: sessionId, status: 'revoked' });
    expectError(await b.post(`/v1/client/sessions/${sessionId}/tokens`), 401, 'signed_out');
    expect(expectOk(await b.get('/v1/client')).response.sessions).toEqual([]);
    expect(expectOk(await api.get(`/v1/sessions?user_id=${userId}&status=active`)).data).toEqual([]);
    expectError(await api.post(`/v1/sessions/${sessionId}/tokens`), 400, 'session_not_active');

    // The documented window: a token already minted stays valid offline until its exp.
    const jwks = createLocalJWKSet(await server.deps.keys.publicJwks());
    const { payload } = await jwtVerify(jwt, jwks, { currentDate: new Date(server.clock.now()) });
    expect(payload.exp! - payload.iat!).toBe(60);
    await expect(jwtVerify(jwt, jwks, { currentDate: new Date((payload.exp! + 1) * 1000) })).rejects.toThrow(/exp/);
    const events = await server.deps.store.db.selectFrom('audit_events').selectAll().where('type', '=', 'session.revoked').execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ user_id: userId, actor_type: 'secret_key', user_agent: 'app-server/1.0' });
  });

  it('mints a token for an active session', async () => {
    const server = await createTestServer();
    const { sessionId, userId } = await signUp(server.browser(), new SoftwareAuthenticator(), { username: 'max' });
    const { api } = await backendFor(server);
    const token = expectOk(await api.post(`/v1/sessions/${sessionId}/tokens`));
    const { payload } = await jwtVerify(token.jwt, createLocalJWKSet(await server.deps.keys.publicJwks()), { currentDate: new Date(server.clock.now()) });
    expect(payload).toMatchObject({ sid: sessionId, sub: userId });
    expect(payload.azp).toBeUndefined();
  });
});

describe('backend API: banning', { timeout: 120_000 }, () => {
  it('refuses a banned user at every passkey sign-in flow with user_banned, ends their sessions, and unbans', async () => {
    const server = await createTestServer();
    const auth = new SoftwareAuthenticator();
    const b = server.browser();
    const { userId, sessionId } = await signUp(b, auth, { username: 'ban_me' });
    const { api } = await backendFor(server);
    const banned = expectOk(await api.post(`/v1/users/${userId}/ban`));
    expect(banned.banned).toBe(true);
    expectError(await b.post(`/v1/client/sessions/${sessionId}/tokens`), 401, 'signed_out');

    const other = server.browser();
    // Discoverable (and autofill: the same request, with conditional mediation in the browser).
    const disc = expectOk(await other.post('/v1/client/sign_ins', { strategy: 'passkey' })).response;
    const a1 = await auth.get(JSON.parse(disc.first_factor_verification.nonce), { origin: other.origin! });
    expectError(await other.post(`/v1/client/sign_ins/${disc.id}/attempt_first_factor`, { strategy: 'passkey', public_key_credential: a1 }), 403, 'user_banned');
    // Identifier-first.
    const idf = expectOk(await other.post('/v1/client/sign_ins', { identifier: 'ban_me' })).response;
    const prepared = expectOk(await other.post(`/v1/client/sign_ins/${idf.id}/prepare_first_factor`, { strategy: 'passkey' })).response;
    const a2 = await auth.get(JSON.parse(prepared.first_factor_verification.nonce), { origin: other.origin! });
    expectError(await other.post(`/v1/client/sign_ins/${idf.id}/attempt_first_factor`, { strategy: 'passkey', public_key_credential: a2 }), 403, 'user_banned');
    expect(expectOk(await other.get('/v1/client')).response.sessions).toEqual([]);
    const failures = await server.deps.store.db.selectFrom('audit_events').select('data').where('type', '=', 'sign_in.failed').execute();
    expect(failures.map((f) => JSON.parse(f.data).reason)).toEqual(['user_banned', 'user_banned']);

    expect(expectOk(await api.post(`/v1/users/${userId}/unban`)).banned).toBe(false);
    await signInDiscoverable(other, auth);
  });

  it('a ban racing sign-ins never leaves a live session', { timeout: 120_000 }, async () => {
    const server = await createTestServer();
    const auth = new SoftwareAuthenticator();
    const { userId } = await signUp(server.browser(), auth, { username: 'racer' });
    const { api } = await backendFor(server);
    for (let round = 0; round < 8; round++) {
      expectOk(await api.post(`/v1/users/${userId}/unban`));
      const browsers = [server.browser(), server.browser(), server.browser()];
      const attempts = [];
      for (const br of browsers) {
        const signIn = expectOk(await br.post('/v1/client/sign_ins', { strategy: 'passkey' })).response;
        attempts.push({ br, id: signIn.id, assertion: await auth.get(JSON.parse(signIn.first_factor_verification.nonce), { origin: br.origin! }) });
      }
      // Sign-ins on either side of the ban: some may win, the ban must still end them.
      const results = await Promise.all([
        ...attempts.slice(0, 2).map((a) => a.br.post(`/v1/client/sign_ins/${a.id}/attempt_first_factor`, { strategy: 'passkey', public_key_credential: a.assertion })),
        api.post(`/v1/users/${userId}/ban`),
        ...attempts.slice(2).map((a) => a.br.post(`/v1/client/sign_ins/${a.id}/attempt_first_factor`, { strategy: 'passkey', public_key_credential: a.assertion })),
      ]);
      for (const r of results) expect([200, 403, 400]).toContain(r.status);
      const live = await server.deps.store.db.selectFrom('sessions').select('id').where('user_id', '=', userId).where('status', '=', 'active').execute();
      expect(live).toEqual([]);
    }
  });
});

describe('backend API: instance settings and audit events', { timeout: 120_000 }, () => {
  it('reads and changes settings; the change applies at once and is audited with the key as actor', async () => {
    const server = await createTestServer();
    const { api, keyId } = await backendFor(server);
    const settings = expectOk(await api.get('/v1/instance'));
    expect(settings).toMatchObject({ object: 'instance_settings', passkeys_enabled: true, audit_retention_days: 90, token_seconds: 60 });
    const changed = expectOk(await api.patch('/v1/instance', { passkeys_enabled: false, application_name: 'Acme' }));
    expect(changed).toMatchObject({ passkeys_enabled: false, application_name: 'Acme' });
    const env = expectOk(await server.browser().get('/v1/environment'));
    expect(env.user_settings.attributes.passkey.enabled).toBe(false);
    const events = expectOk(await api.get('/v1/audit_events?type=settings.updated'));
    expect(events.data.at(-1)).toMatchObject({ object: 'audit_event', type: 'settings.updated', actor: { type: 'secret_key', id: keyId }, user_agent: 'app-server/1.0' });
  });

  it('filters audit events by user, type and time, with the actor, IP and user agent', async () => {
    const server = await createTestServer({ settings: { multiSession: true } }); // signs in again in the same browser
    const auth = new SoftwareAuthenticator();
    const b = server.browser();
    const { userId } = await signUp(b, auth, { username: 'ivy' });
    const t1 = server.clock.now();
    server.clock.advance(1000);
    await signInDiscoverable(b, auth);
    const { api } = await backendFor(server);
    expectOk(await api.post('/v1/users', { username: 'someone_else' }));

    const mine = expectOk(await api.get(`/v1/audit_events?user_id=${userId}&limit=100`));
    expect(mine.data.every((e: any) => e.user_id === userId)).toBe(true);
    expect(mine.data.map((e: any) => e.type)).toEqual(
      expect.arrayContaining(['user.created', 'passkey.created', 'session.created', 'sign_up.completed', 'sign_in.completed']),
    );
    const signIn = mine.data.find((e: any) => e.type === 'sign_in.completed');
    expect(signIn).toMatchObject({ actor: { type: 'user', id: userId }, user_agent: b.userAgent, created_at: t1 + 1000 });
    const later = expectOk(await api.get(`/v1/audit_events?user_id=${userId}&since=${t1 + 1}`));
    expect(later.data.map((e: any) => e.type).sort()).toEqual(['session.created', 'sign_in.completed']);
    const earlier = expectOk(await api.get(`/v1/audit_events?user_id=${userId}&until=${t1 + 1}`));
    expect(earlier.data.some((e: any) => e.type === 'sign_in.completed')).toBe(false);
    expect(earlier.total_count + later.total_count).toBe(mine.total_count);
    const created = expectOk(await api.get('/v1/audit_events?type=user.created'));
    expect(created.data.map((e: any) => e.actor.type)).toEqual(['user', 'secret_key']);
  });
});

describe('backend API: pagination', { timeout: 120_000 }, () => {
  it('pages users and audit events without loss or duplicates while rows are inserted', async () => {
    const server = await createTestServer();
    const { api } = await backendFor(server);
    const original: string[] = [];
    for (let i = 0; i < 23; i++) {
      original.push(expectOk(await api.post('/v1/users', { username: `user_${i}` })).id);
      // Several rows share a millisecond: the id breaks the tie.
      if (i % 3 === 0) server.clock.advance(1);
    }
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    for (;;) {
      const page = expectOk(await api.get(`/v1/users?limit=5${after ? `&starting_after=${after}` : ''}`));
      seen.push(...page.data.map((u: any) => u.id));
      pages++;
      // Insert between pages: new rows go after every row handed out.
      expectOk(await api.post('/v1/users', { username: `late_${pages}` }));
      if (!page.has_more) break;
      after = page.data.at(-1).id;
      expect(pages).toBeLessThan(20);
    }
    expect(new Set(seen).size).toBe(seen.length);
    // Every user that existed before paging began, exactly once (rows inserted meanwhile may
    // appear too: they sort after the rows already handed out).
    expect(seen.filter((id) => original.includes(id)).sort()).toEqual([...original].sort());

    const events: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = expectOk(await api.get(`/v1/audit_events?limit=7${cursor ? `&starting_after=${cursor}` : ''}`));
      events.push(...page.data.map((e: any) => e.id));
      expectOk(await api.post('/v1/users', { username: `during_${events.length}` }));
      if (!page.has_more) break;
      cursor = page.data.at(-1).id;
    }
    expect(new Set(events).size).toBe(events.length);
    expect(events.length).toBeGreaterThanOrEqual(original.length);
  });
});
