/**
 * The dashboard's API over HTTP (SQLite and PostgreSQL): administrators enrol through a one-time
 * link and sign in with a passkey; every dashboard call needs their session cookie and the
 * server's own Origin; the backend API's routes answer the dashboard with the administrator as
 * the audit actor; settings, revocations and deletions take effect for the app's users at once.
 */
import { describe, expect, it } from 'vitest';
import { ADMIN_IDLE_MS, ADMIN_LINK_MS, ADMIN_MAX_MS, createLink, setupLinkIfNoAdministrator } from '../../src/admin/administrators.js';
import { memoryRateLimiter } from '../../src/rate-limit/index.js';
import { SESSION_GRACE_MS, sweep } from '../../src/sweep/index.js';
import { SoftwareAuthenticator } from '../support/authenticator.js';
import { BackendClient } from '../support/backend.js';
import { DashboardBrowser } from '../support/dashboard.js';
import { expectError, expectOk, signInDiscoverable, signUp } from '../support/flows.js';
import { createTestServer, type TestServer } from '../support/harness.js';

const OWN = 'http://localhost:4000'; // testConfig's publicUrl

async function withAdmin(server: TestServer) {
  const link = (await setupLinkIfNoAdministrator(server.deps))!;
  const admin = new DashboardBrowser(server.app, OWN);
  const me = expectOk(await admin.register(link));
  return { admin, link, adminId: me.id as string };
}

describe('administrator enrolment and sign-in', { timeout: 120_000 }, () => {
  it('setup link → register → sign out → sign in; the link works once; a second start makes no link', async () => {
    const server = await createTestServer();
    const link = (await setupLinkIfNoAdministrator(server.deps))!;
    expect(link).toMatch(/^http:\/\/localhost:4000\/dashboard\/setup\?token=[A-Za-z0-9_-]{43}$/);
    const token = new URL(link).searchParams.get('token')!;
    const admin = new DashboardBrowser(server.app, OWN);
    expect(expectOk(await admin.get(`/dashboard/api/setup?token=${token}`))).toMatchObject({ valid: true, administrators_exist: false });

    const me = expectOk(await admin.register(link, 'Ada'));
    expect(me).toMatchObject({ object: 'administrator', name: 'Ada' });
    expect(admin.cookie).toMatch(/^latchkey_admin=/);
    expect(expectOk(await admin.get('/dashboard/api/me')).id).toBe(me.id);

    // The token is stored hashed only.
    const links = await server.deps.store.db.selectFrom('administrator_links').selectAll().execute();
    expect(JSON.stringify(links)).not.toContain(token);

    expectOk(await admin.post('/dashboard/api/sign_out'));
    expect(admin.cookie).toBeNull();
    expectError(await admin.get('/dashboard/api/me'), 401, 'admin_session_required');
    expect(expectOk(await admin.signIn()).id).toBe(me.id);
    expect(expectOk(await admin.get('/dashboard/api/me')).name).toBe('Ada');

    // The link does not work a second time, for anyone.
    const other = new DashboardBrowser(server.app, OWN);
    expect(expectOk(await other.get(`/dashboard/api/setup?token=${token}`)).valid).toBe(false);
    expectError(await other.register(link, 'Mallory'), 400, 'admin_link_invalid');
    expect(await setupLinkIfNoAdministrator(server.deps)).toBeNull();

    const types = (await server.deps.store.db.selectFrom('audit_events').select(['type', 'actor_type', 'actor_id']).orderBy('id').execute()).filter((e) => e.type.startsWith('administrator.'));
    expect(types.map((e) => e.type)).toEqual(['administrator.created', 'administrator.signed_in', 'administrator.signed_out', 'administrator.signed_in']);
    expect(types.every((e) => e.actor_type === 'admin' && e.actor_id === me.id)).toBe(true);
  });

  it('refuses an expired link, a failed registration leaves the link usable, and an invite adds a second administrator', async () => {
    const server = await createTestServer();
    const expired = await createLink(server.deps, 'setup');
    server.clock.advance(ADMIN_LINK_MS);
    expectError(await new DashboardBrowser(server.app, OWN).register(expired.url), 400, 'admin_link_invalid');

    const link = (await setupLinkIfNoAdministrator(server.deps))!;
    // A registration made on another origin (a phishing copy of the page) is refused, and spends nothing but its challenge.
    const phished = new DashboardBrowser(server.app, OWN);
    expectError(await phished.register(link, 'Ada', { origin: 'http://localhost:3000' }), 400, 'passkey_registration_failure');
    const { admin } = { admin: new DashboardBrowser(server.app, OWN) };
    const ada = expectOk(await admin.register(link, 'Ada'));

    const invite = expectOk(await admin.post('/dashboard/api/invites'));
    expect(invite.url).toMatch(/\/dashboard\/setup\?token=/);
    const bob = new DashboardBrowser(server.app, OWN);
    const second = expectOk(await bob.register(invite.url, 'Bob'));
    expect(second.id).not.toBe(ada.id);
    const invited = await server.deps.store.db.selectFrom('audit_events').selectAll().where('type', '=', 'administrator.invited').execute();
    expect(invited.map((e) => [e.actor_type, e.actor_id])).toEqual([['admin', ada.id]]);

    // The sweep deletes links and ceremonies once expired, and dashboard sessions a week after they end.
    const rows = async () => Promise.all((['administrator_links', 'administrator_ceremonies', 'administrator_sessions'] as const).map(async (t) => (await server.deps.store.db.selectFrom(t).select('id').execute()).length));
    expect(await rows()).toEqual([3, 3, 2]);
    expect((await sweep(server.deps)).administrator_rows).toBe(1); // the expired setup link
    server.clock.advance(ADMIN_MAX_MS + SESSION_GRACE_MS + 1);
    expect((await sweep(server.deps)).administrator_rows).toBe(2 + 3 + 2);
    expect(await rows()).toEqual([0, 0, 0]);
  });

  it("an app user's passkey does not sign in to the dashboard; a replayed assertion is refused", async () => {
    const server = await createTestServer();
    const { admin } = await withAdmin(server);
    // A user of the app with a passkey for the same RP ID (localhost) but made on the app's origin.
    const user = new SoftwareAuthenticator();
    await signUp(server.browser(), user, { username: 'ann' });
    const intruder = new DashboardBrowser(server.app, OWN, user);
    expectError(await intruder.signIn({ origin: OWN }), 400, 'passkey_authentication_failure');

    const started = expectOk(await admin.post('/dashboard/api/sign_in/options'));
    const assertion = await admin.authenticator.get(started.options, { origin: OWN });
    expectOk(await admin.post('/dashboard/api/sign_in/verify', { ceremony_id: started.ceremony_id, public_key_credential: assertion }));
    expectError(await admin.post('/dashboard/api/sign_in/verify', { ceremony_id: started.ceremony_id, public_key_credential: assertion }), 400, 'verification_expired');
    const failed = await server.deps.store.db.selectFrom('audit_events').select('type').where('type', '=', 'administrator.sign_in_failed').execute();
    expect(failed).toHaveLength(1);
  });
});

describe('dashboard API access', { timeout: 120_000 }, () => {
  it('refuses calls without the cookie, with a foreign Origin, cross-site, or with a secret key; times out when idle', async () => {
    const server = await createTestServer();
    const { admin } = await withAdmin(server);
    const paths: [string, string, unknown?][] = [
      ['GET', '/dashboard/api/me'],
      ['GET', '/dashboard/api/overview'],
      ['GET', '/dashboard/api/v1/users'],
      ['PATCH', '/dashboard/api/v1/instance', { passkeys_enabled: false }],
      ['POST', '/dashboard/api/secret_keys', { name: 'x' }],
      ['POST', '/dashboard/api/invites', {}],
    ];
    const anonymous = new DashboardBrowser(server.app, OWN);
    for (const [method, path, body] of paths) {
      expectError(await anonymous.request(method, path, body), 401, 'admin_session_required');
      // The administrator's own cookie, sent by a page of another origin (or a site's form post).
      const foreign = new DashboardBrowser(server.app, 'http://localhost:3000');
      foreign.cookie = admin.cookie;
      expectError(await foreign.request(method, path, body), 400, 'origin_invalid');
      const crossSite = new DashboardBrowser(server.app, null, undefined, { 'sec-fetch-site': 'cross-site' });
      crossSite.cookie = admin.cookie;
      expectError(await crossSite.request(method, path, body), 400, 'origin_invalid');
    }
    // A state-changing call without Origin.
    const noOrigin = new DashboardBrowser(server.app, null);
    noOrigin.cookie = admin.cookie;
    expectError(await noOrigin.patch('/dashboard/api/v1/instance', { passkeys_enabled: false }), 400, 'origin_invalid');
    // A secret key is no dashboard credential, and the dashboard cookie no backend API credential.
    const { key } = await server.deps.secretKeys.create('k');
    const withKey = new DashboardBrowser(server.app, OWN, undefined, { authorization: `Bearer ${key}` });
    expectError(await withKey.get('/dashboard/api/v1/users'), 401, 'admin_session_required');
    expectError(await admin.get('/v1/users'), 401, 'secret_key_required');
    expect((await server.deps.settings.get()).passkeysEnabled).toBe(true);

    expectOk(await admin.get('/dashboard/api/me'));
    server.clock.advance(ADMIN_IDLE_MS);
    expectError(await admin.get('/dashboard/api/me'), 401, 'admin_session_required');
    expectError(await admin.get('/dashboard/api/nothing'), 401, 'admin_session_required');
    expectOk(await admin.signIn());
    expectError(await admin.get('/dashboard/api/nothing'), 404, 'resource_not_found');
  });
});

describe('dashboard sign-in rate limit', { timeout: 120_000 }, () => {
  it('limits sign-in and setup ceremonies per IP (429 with Retry-After)', async () => {
    const server = await createTestServer({ rateLimiter: memoryRateLimiter({ windowSeconds: 60, max: 2 }) });
    const b = new DashboardBrowser(server.app, OWN);
    expectOk(await b.post('/dashboard/api/sign_in/options'));
    expectOk(await b.post('/dashboard/api/sign_in/options'));
    const refused = await b.post('/dashboard/api/setup/options', { token: 'A'.repeat(43), name: 'x' });
    expectError(refused, 429, 'too_many_requests');
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});

describe('dashboard actions', { timeout: 120_000 }, () => {
  it('passkeys off → feature_not_enabled and enabled: false; on again → sign-in works; audited as the administrator', async () => {
    const server = await createTestServer();
    const { admin, adminId } = await withAdmin(server);
    const user = new SoftwareAuthenticator();
    await signUp(server.browser(), user, { username: 'ann' });

    expect(expectOk(await admin.patch('/dashboard/api/v1/instance', { passkeys_enabled: false })).passkeys_enabled).toBe(false);
    const b = server.browser();
    expect(expectOk(await b.get('/v1/environment')).user_settings.attributes.passkey.enabled).toBe(false);
    expectError(await b.post('/v1/client/sign_ins', { strategy: 'passkey' }), 403, 'feature_not_enabled');

    expectOk(await admin.patch('/dashboard/api/v1/instance', { passkeys_enabled: true, allow_autofill: false, user_verification: 'preferred', max_passkeys_per_user: 3 }));
    expect(expectOk(await b.get('/v1/environment')).user_settings.attributes.passkey.enabled).toBe(true);
    expect(await signInDiscoverable(b, user)).toMatch(/^sess_/);
    // A bad value is refused with the setting named, and nothing changes.
    expectError(await admin.patch('/dashboard/api/v1/instance', { token_seconds: 5 }), 422, 'form_param_format_invalid');

    const changes = await server.deps.store.db.selectFrom('audit_events').selectAll().where('type', '=', 'settings.updated').where('actor_type', '=', 'admin').execute();
    expect(changes).toHaveLength(2);
    expect(changes.every((e) => e.actor_id === adminId)).toBe(true);
  });

  it("revoking a user's session signs that browser out at its next token; a deleted passkey no longer signs in; ban and delete", async () => {
    const server = await createTestServer();
    const { admin, adminId } = await withAdmin(server);
    const auth = new SoftwareAuthenticator();
    const browser = server.browser();
    const { userId, sessionId } = await signUp(browser, auth, { username: 'ann' });
    expectOk(await browser.post(`/v1/client/sessions/${sessionId}/tokens`));

    const found = expectOk(await admin.get('/dashboard/api/v1/users?query=ann'));
    expect(found.data.map((u: { id: string }) => u.id)).toEqual([userId]);
    const sessions = expectOk(await admin.get(`/dashboard/api/v1/sessions?user_id=${userId}`));
    expect(sessions.data[0]).toMatchObject({ id: sessionId, status: 'active' });
    const devices = expectOk(await admin.get(`/dashboard/api/users/${userId}/sessions`)).data;
    expect(devices).toEqual([expect.objectContaining({ id: sessionId, status: 'active', device: 'Chrome on Linux', ip: expect.any(String) })]);
    expectOk(await admin.post(`/dashboard/api/v1/sessions/${sessionId}/revoke`));
    expectError(await browser.post(`/v1/client/sessions/${sessionId}/tokens`), 401, 'signed_out');

    const passkeys = expectOk(await admin.get(`/dashboard/api/v1/users/${userId}/passkeys`)).data;
    expect(passkeys).toHaveLength(1);
    expectOk(await admin.delete(`/dashboard/api/v1/users/${userId}/passkeys/${passkeys[0].id}`));
    const again = server.browser();
    const signIn = expectOk(await again.post('/v1/client/sign_ins', { strategy: 'passkey' })).response;
    const assertion = await auth.get(JSON.parse(signIn.first_factor_verification.nonce), { origin: again.origin! });
    expect((await again.post(`/v1/client/sign_ins/${signIn.id}/attempt_first_factor`, { strategy: 'passkey', public_key_credential: assertion })).status).toBeGreaterThanOrEqual(400);

    expect(expectOk(await admin.post(`/dashboard/api/v1/users/${userId}/ban`)).banned).toBe(true);
    expectOk(await admin.post(`/dashboard/api/v1/users/${userId}/unban`));
    expectOk(await admin.delete(`/dashboard/api/v1/users/${userId}`));
    expectError(await admin.get(`/dashboard/api/v1/users/${userId}`), 404, 'resource_not_found');

    const events = await server.deps.store.db
      .selectFrom('audit_events')
      .select(['type', 'actor_id'])
      .where('type', 'in', ['session.revoked', 'passkey.deleted', 'user.banned', 'user.unbanned', 'user.deleted'])
      .orderBy('id')
      .execute();
    expect(events).toEqual(['session.revoked', 'passkey.deleted', 'user.banned', 'user.unbanned', 'user.deleted'].map((type) => ({ type, actor_id: adminId })));
    // The audit log, newest first, filtered by type, through the dashboard.
    const log = expectOk(await admin.get('/dashboard/api/v1/audit_events?type=user.banned'));
    expect(log.data.map((e: { type: string; actor: { id: string } }) => [e.type, e.actor.id])).toEqual([['user.banned', adminId]]);
    const newest = expectOk(await admin.get(`/dashboard/api/v1/audit_events?order=desc&limit=2&user_id=${userId}`));
    expect(newest.data.map((e: { type: string }) => e.type)).toEqual(['user.deleted', 'user.unbanned']);
    const next = expectOk(await admin.get(`/dashboard/api/v1/audit_events?order=desc&limit=2&user_id=${userId}&starting_after=${newest.data[1].id}`));
    expect(next.data.map((e: { type: string }) => e.type)).toEqual(['user.banned', 'passkey.deleted']);
  });

  it('overview counts, the domain checker, and secret keys shown once', async () => {
    const server = await createTestServer({ settings: { domain: 'staging1.example.com', rpId: 'staging1.example.com' } });
    const { admin, adminId } = await withAdmin(server);
    const overview = expectOk(await admin.get('/dashboard/api/overview'));
    expect(overview).toMatchObject({ users: 0, passkeys: { total: 0, synced: 0, device_bound: 0 }, sign_ins_today: 0 });
    expect(overview.sign_ins_per_day).toHaveLength(14);

    const check = async (origin: string) => expectOk(await admin.post('/dashboard/api/domains/check', { origin }));
    expect(await check('https://staging1.example.com')).toMatchObject({ works: true, verdict: 'works' });
    expect(await check('https://staging2.example.com')).toMatchObject({ works: false, verdict: 'sibling_subdomain' });
    expect(await check('https://example-admin.com')).toMatchObject({ works: false, verdict: 'other_site' });
    expect(await check('http://staging1.example.com')).toMatchObject({ works: false, verdict: 'insecure_origin' });
    expect(expectOk(await admin.get('/dashboard/api/domains'))).toMatchObject({ domain: 'staging1.example.com', rp_id: 'staging1.example.com' });

    const created = expectOk(await admin.post('/dashboard/api/secret_keys', { name: 'billing' }));
    expect(created.key).toMatch(/^sk_test_/);
    const listed = expectOk(await admin.get('/dashboard/api/secret_keys')).data;
    expect(JSON.stringify(listed)).not.toContain(created.key);
    const api = new BackendClient(server.app, `Bearer ${created.key}`);
    expectOk(await api.get('/v1/users'));
    expectOk(await admin.post(`/dashboard/api/secret_keys/${created.id}/revoke`));
    expectError(await api.get('/v1/users'), 401, 'authentication_invalid');
    expectError(await admin.post(`/dashboard/api/secret_keys/${created.id}/revoke`), 404, 'resource_not_found');
    const keyEvents = await server.deps.store.db.selectFrom('audit_events').select(['type', 'actor_id']).where('type', 'like', 'secret_key.%').orderBy('id').execute();
    expect(keyEvents).toEqual([
      { type: 'secret_key.created', actor_id: adminId },
      { type: 'secret_key.revoked', actor_id: adminId },
    ]);

    // Webhook endpoints through the dashboard: created and deleted, audited as the administrator.
    const endpoint = expectOk(await admin.post('/dashboard/api/v1/webhook_endpoints', { url: 'https://hooks.example.com/latchkey' }));
    expect(endpoint.secret).toMatch(/^whsec_/);
    expectOk(await admin.delete(`/dashboard/api/v1/webhook_endpoints/${endpoint.id}`));
    const hookEvents = await server.deps.store.db.selectFrom('audit_events').select(['type', 'actor_type', 'actor_id']).where('type', 'like', 'webhook_endpoint.%').orderBy('id').execute();
    expect(hookEvents).toEqual([
      { type: 'webhook_endpoint.created', actor_type: 'admin', actor_id: adminId },
      { type: 'webhook_endpoint.deleted', actor_type: 'admin', actor_id: adminId },
    ]);
  });
});
