/**
 * Recovery codes (docs/recovery.md), over the wire on both engines: making and replacing a set
 * from the profile, signing in with `strategy=recovery_code` into a limited session, the limit on
 * every other call, lifting it with a new passkey (and the notice, through a real SMTP server),
 * and each refusal: wrong, reused, another user's, unknown identifier, format garbage, rate limit,
 * setting off. Codes are never stored in clear.
 */
import { describe, expect, it } from 'vitest';
import { JwtTemplates } from '../../src/jwt-templates/service.js';
import type { InstanceSettings } from '../../src/settings/index.js';
import { SoftwareAuthenticator } from '../support/authenticator.js';
import { addPasskey, expectError, expectOk, signUp } from '../support/flows.js';
import { createTestServer, type ApiResult, type TestBrowser, type TestServer } from '../support/harness.js';
import { codeIn, useTestSmtp } from '../support/smtp-server.js';

const CODE = /^[2-9a-hjkmnp-tv-z]{5}-[2-9a-hjkmnp-tv-z]{5}$/;
// Many requests per test, on two cores shared with other suites: a generous bound, not a timing claim.
const SLOW = 60_000;

const smtp = useTestSmtp('all');

function recoveryServer(settings: Partial<InstanceSettings> = {}): Promise<TestServer> {
  return createTestServer({
    config: { email: { smtpUrl: smtp.url, from: 'Acme <no-reply@acme.test>', replyTo: null }, trustProxy: true },
    settings: { recoveryCodes: true, applicationName: 'Acme', ...settings },
  });
}

/** A user with a passkey, signed in on `b`, with a fresh set of recovery codes. */
async function userWithCodes(server: TestServer, username: string, b = server.browser()) {
  const auth = new SoftwareAuthenticator();
  const { sessionId, userId } = await signUp(b, auth, { username });
  const made = expectOk(await b.post(`/v1/me/recovery_codes?_clerk_session_id=${sessionId}`)).response;
  return { b, auth, sessionId, userId, codes: made.codes as string[] };
}

async function signOut(b: TestBrowser) {
  expectOk(await b.post('/v1/client/sessions?_method=DELETE'));
}

/** Identifier step, then the code: the attempt's raw answer. */
async function recover(b: TestBrowser, identifier: string, code: string, ip = '192.0.2.1'): Promise<ApiResult> {
  const headers = { 'x-forwarded-for': ip };
  const signIn = expectOk(await b.post('/v1/client/sign_ins', { identifier }, { headers })).response;
  return b.post(`/v1/client/sign_ins/${signIn.id}/attempt_first_factor`, { strategy: 'recovery_code', code }, { headers });
}

const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

describe('recovery codes', () => {
  it(
    'signs in with a code into a limited session, which a new passkey lifts; the owner is told; the code is spent',
    async () => {
      // A verified address, so the notice has somewhere to go.
      const server = await recoveryServer({ emailVerification: 'required' });
      const b = server.browser();
      const su = expectOk(await b.post('/v1/client/sign_ups', { username: 'ada', email_address: 'ada@example.com' })).response;
      expectOk(await b.post(`/v1/client/sign_ups/${su.id}/prepare_verification`, { strategy: 'email_code' }));
      await server.deps.dispatcher.drain();
      const codeMail = await smtp.server.waitFor((m) => m.to.includes('ada@example.com') && /verification code/.test(m.subject));
      expectOk(await b.post(`/v1/client/sign_ups/${su.id}/attempt_verification`, { strategy: 'email_code', code: codeIn(codeMail) }));
      const prepared = expectOk(await b.post(`/v1/client/sign_ups/${su.id}/prepare_verification`, { strategy: 'passkey' })).response;
      const credential = await new SoftwareAuthenticator().create(JSON.parse(prepared.verifications.passkey.nonce), { origin: b.origin! });
      expectOk(await b.post(`/v1/client/sign_ups/${su.id}/attempt_verification`, { strategy: 'passkey', public_key_credential: credential }));

      // None yet; a set of ten, shown in this answer only.
      expect(expectOk(await b.get('/v1/me/recovery_codes')).response).toEqual({ object: 'recovery_codes', total: 0, remaining: 0, created_at: null, codes: null });
      const made = expectOk(await b.post('/v1/me/recovery_codes')).response;
      expect(made).toMatchObject({ object: 'recovery_codes', total: 10, remaining: 10, created_at: server.clock.now() });
      expect(made.codes).toHaveLength(10);
      for (const c of made.codes) expect(c).toMatch(CODE);
      expect(new Set(made.codes).size).toBe(10);
      expect(expectOk(await b.get('/v1/me/recovery_codes')).response.codes).toBeNull();
      await signOut(b);

      // The lost device: a code, typed in upper case with a space instead of the hyphen.
      const typed = (made.codes[3] as string).toUpperCase().replace('-', ' ');
      const done = expectOk(await recover(b, 'ada', typed));
      expect(done.response.status).toBe('complete');
      // The sign-in says which factor completed it (Clerk's first_factor_verification.strategy).
      expect(done.response.first_factor_verification).toMatchObject({ status: 'verified', strategy: 'recovery_code' });
      const sid = done.response.created_session_id as string;
      const session = done.client.sessions.find((s: { id: string }) => s.id === sid);
      expect(session).toMatchObject({ status: 'pending', tasks: [{ key: 'add-passkey' }] });
      expect(claims(session.last_active_token.jwt)).toMatchObject({ sid, sts: 'pending' });
      expect(claims(expectOk(await b.post(`/v1/client/sessions/${sid}/tokens`)).jwt)).toMatchObject({ sts: 'pending' });

      // May read the profile…
      expect(expectOk(await b.get(`/v1/me?_clerk_session_id=${sid}`)).response.username).toBe('ada');
      // …and add a passkey, which makes it a normal session.
      const notices = smtp.server.received.length;
      const added = expectOk(await addPasskey(b, sid, new SoftwareAuthenticator()));
      const lifted = added.client.sessions.find((s: { id: string }) => s.id === sid);
      expect(lifted).toMatchObject({ status: 'active', tasks: null });
      expect(claims(lifted.last_active_token.jwt).sts).toBeUndefined();
      expect(claims(expectOk(await b.post(`/v1/client/sessions/${sid}/tokens`)).jwt).sts).toBeUndefined();
      expect(expectOk(await b.get(`/v1/me/recovery_codes?_clerk_session_id=${sid}`)).response).toMatchObject({ total: 10, remaining: 9 });

      // The "recovery used" notice, through the outbox to the verified address.
      await server.deps.dispatcher.drain();
      // (The new passkey's own "passkey added" notice goes out too, in either order.)
      const notice = await smtp.server.waitFor((m) => smtp.server.received.indexOf(m) >= notices && m.to.includes('ada@example.com') && /recovered/.test(m.subject));
      expect(notice.subject).toBe('Acme: Your account was recovered');
      expect(notice.text).toContain('a recovery code');
      expect(notice.text).toContain('http://localhost:4000/portal/user');

      const types = (await server.deps.store.db.selectFrom('audit_events').select('type').orderBy('id').execute()).map((e) => e.type);
      expect(types).toEqual(expect.arrayContaining(['recovery_codes.created', 'recovery_code.used', 'session.recovery_lifted']));

      // Spent: the same code fails again (a fresh browser, so single-session mode is no factor).
      expectError(await recover(server.browser(), 'ada', made.codes[3]), 422, 'form_code_incorrect');
    },
    SLOW,
  );

  it('refuses the limited session on every other /v1/me call and on template tokens, with session_recovery_limited', async () => {
    // At the passkey quota: the recovery may still add its passkey (it cannot delete one first).
    const server = await recoveryServer({ maxPasskeysPerUser: 2 });
    const { b, codes, sessionId: first } = await userWithCodes(server, 'bob');
    // A passkey the limited session will try to rename and delete, and another session to revoke.
    const second = await addPasskey(b, first, new SoftwareAuthenticator());
    const passkeyId = expectOk(second).response.id as string;
    await signOut(b);
    const sid = expectOk(await recover(b, 'bob', codes[0]!)).response.created_session_id as string;
    const q = `_clerk_session_id=${sid}`;
    const refused: [string, string, Record<string, unknown>?][] = [
      ['POST', `/v1/me?_method=PATCH&${q}`, { username: 'mallory' }],
      ['POST', `/v1/me?_method=DELETE&${q}`],
      ['PATCH', `/v1/me?${q}`, { username: 'mallory' }],
      ['DELETE', `/v1/me?${q}`],
      ['GET', `/v1/me/sessions/active?${q}`],
      ['POST', `/v1/me/sessions/${first}/revoke?${q}`],
      ['POST', `/v1/me/passkeys/${passkeyId}?_method=PATCH&${q}`, { name: 'mine now' }],
      ['POST', `/v1/me/passkeys/${passkeyId}?_method=DELETE&${q}`],
      ['GET', `/v1/me/recovery_codes?${q}`],
      ['POST', `/v1/me/recovery_codes?${q}`],
    ];
    for (const [method, path, params] of refused) {
      const r = await b.request(method, path, params);
      expect({ call: `${method} ${path}`, status: r.status, code: r.body?.errors?.[0]?.code }).toEqual({ call: `${method} ${path}`, status: 403, code: 'session_recovery_limited' });
    }
    await new JwtTemplates(server.deps).create({ name: 'api', claims: { aud: 'api' } });
    expectError(await b.post(`/v1/client/sessions/${sid}/tokens/api`), 403, 'session_recovery_limited');

    // Nothing changed: both passkeys, the name, the other session, the codes left.
    const me = expectOk(await b.get(`/v1/me?${q}`)).response;
    expect(me.username).toBe('bob');
    expect(me.passkeys.map((p: { id: string; name: string }) => p.id)).toContain(passkeyId);
    expect(me.passkeys).toHaveLength(2);

    // Dropping a half-made passkey (a failed createPasskey) is part of registering one: allowed.
    const pending = expectOk(await b.post(`/v1/me/passkeys?${q}`)).response;
    expect(expectOk(await b.post(`/v1/me/passkeys/${pending.id}?_method=DELETE&${q}`)).response).toEqual({ object: 'passkey', id: pending.id, deleted: true });

    // After a new passkey (one over the quota), the same calls work, and the quota holds again.
    expectOk(await addPasskey(b, sid, new SoftwareAuthenticator()));
    expect(expectOk(await b.get(`/v1/me?${q}`)).response.passkeys).toHaveLength(3);
    expectError(await b.post(`/v1/me/passkeys?${q}`), 403, 'passkey_quota_exceeded');
    expect(expectOk(await b.get(`/v1/me/sessions/active?${q}`)).response.length).toBeGreaterThan(0);
    expect(expectOk(await b.post(`/v1/me/passkeys/${passkeyId}?_method=PATCH&${q}`, { name: 'old laptop' })).response.name).toBe('old laptop');
    expect(expectOk(await b.get(`/v1/me/recovery_codes?${q}`)).response.remaining).toBe(9);
  }, SLOW);

  it("answers a wrong code, another user's code and an unknown identifier alike, and a garbled code as a format error", async () => {
    const server = await recoveryServer();
    const alice = await userWithCodes(server, 'alice');
    const bob = await userWithCodes(server, 'bob', server.browser());
    await signOut(alice.b);
    await signOut(bob.b);

    const wrong = await recover(server.browser(), 'alice', 'zzzzz-zzzzz');
    const others = await recover(server.browser(), 'alice', bob.codes[0]!);
    const unknown = await recover(server.browser(), 'nobody', alice.codes[0]!);
    const shape = (r: ApiResult) => ({ status: r.status, errors: r.body.errors });
    expect(shape(wrong)).toEqual(shape(others));
    expect(shape(unknown)).toEqual(shape(wrong));
    expectError(wrong, 422, 'form_code_incorrect');

    for (const garbage of ['', '12345', 'abcde-2345', 'abcde-23456-x', 'abcd0-23456', 'ABCDI-23456', 'abcde_23456', '../../etc', '💥💥💥💥💥-💥💥💥💥💥']) {
      const r = await recover(server.browser(), 'alice', garbage);
      const code = garbage === '' ? 'form_param_missing' : 'form_param_format_invalid';
      expect({ garbage, status: r.status, code: r.body.errors[0].code, param: r.body.errors[0].meta.param_name }).toEqual({ garbage, status: 422, code, param: 'code' });
    }
    // A sign-in without an identifier (discoverable) has nobody to recover.
    const b = server.browser();
    const discoverable = expectOk(await b.post('/v1/client/sign_ins', { strategy: 'passkey' })).response;
    expectError(await b.post(`/v1/client/sign_ins/${discoverable.id}/attempt_first_factor`, { strategy: 'recovery_code', code: alice.codes[0] }), 422, 'form_param_missing');

    // None of that spent or counted against alice's and bob's codes: both still work.
    expectOk(await recover(server.browser(), 'alice', alice.codes[0]!));
    expectOk(await recover(server.browser(), 'bob', bob.codes[0]!));
    // A completed sign-in refuses a second attempt.
    const again = server.browser();
    const r = await recover(again, 'alice', alice.codes[1]!);
    const sia = r.body.response.id as string;
    expectError(await again.post(`/v1/client/sign_ins/${sia}/attempt_first_factor`, { strategy: 'recovery_code', code: alice.codes[2] }), 400, 'sign_in_already_complete');
  }, SLOW);

  it('limits failures per identifier (known or not) and per IP: 429 with Retry-After, even for the right code', async () => {
    const server = await recoveryServer();
    const { b, codes } = await userWithCodes(server, 'carol');
    await signOut(b);
    for (let i = 0; i < 5; i++) expectError(await recover(server.browser(), 'carol', 'zzzzz-zzzzz', `198.51.100.${i}`), 422, 'form_code_incorrect');
    const limited = await recover(server.browser(), 'carol', codes[0]!, '198.51.100.99');
    expectError(limited, 429, 'too_many_requests');
    expect(Number(limited.headers.get('retry-after'))).toBe(3600);
    // Unknown identifiers are limited the same way (no enumeration through the limit).
    for (let i = 0; i < 5; i++) expectError(await recover(server.browser(), 'ghost', 'zzzzz-zzzzz', `203.0.113.${i}`), 422, 'form_code_incorrect');
    expectError(await recover(server.browser(), 'ghost', 'zzzzz-zzzzz', '203.0.113.99'), 429, 'too_many_requests');
    // The window slides: an hour later the right code works, and was never spent.
    server.clock.advance(3600_000 + 1);
    expectOk(await recover(server.browser(), 'carol', codes[0]!, '198.51.100.99'));

    // Per IP: 20 failures from one address across identifiers, then 429 for anyone from there.
    for (let i = 0; i < 20; i++) expectError(await recover(server.browser(), `user${i}`, 'zzzzz-zzzzz', '192.0.2.77'), 422, 'form_code_incorrect');
    expectError(await recover(server.browser(), 'carol', codes[1]!, '192.0.2.77'), 429, 'too_many_requests');
    expectOk(await recover(server.browser(), 'carol', codes[1]!, '192.0.2.78'));
  }, SLOW);

  it('regenerating replaces the whole set: old codes fail, new ones work; codes are stored only as MACs', async () => {
    const server = await recoveryServer();
    const { b, codes: old } = await userWithCodes(server, 'dave');
    const fresh = expectOk(await b.post('/v1/me/recovery_codes')).response.codes as string[];
    expect(fresh.filter((c) => old.includes(c))).toEqual([]);
    const rows = await server.deps.store.db.selectFrom('recovery_codes').selectAll().execute();
    expect(rows).toHaveLength(10);
    // No plaintext in the database: not in the codes table, nor anywhere in the audit log.
    const stored = JSON.stringify(rows) + JSON.stringify(await server.deps.store.db.selectFrom('audit_events').selectAll().execute());
    for (const c of [...old, ...fresh]) {
      expect(stored).not.toContain(c);
      expect(stored).not.toContain(c.replace('-', ''));
    }
    for (const r of rows) expect(r.mac).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await signOut(b);
    expectError(await recover(server.browser(), 'dave', old[0]!), 422, 'form_code_incorrect');
    expectOk(await recover(server.browser(), 'dave', fresh[0]!));
  }, SLOW);

  it('of two attempts racing with one code, one signs in', async () => {
    const server = await recoveryServer({ multiSession: true });
    const { b, codes } = await userWithCodes(server, 'erin');
    await signOut(b);
    const results = await Promise.all([recover(server.browser(), 'erin', codes[0]!), recover(server.browser(), 'erin', codes[0]!)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 422]);
  }, SLOW);

  it('is off by default: feature_not_enabled, and the environment says so', async () => {
    const server = await createTestServer();
    const b = server.browser();
    expect(expectOk(await b.get('/v1/environment')).user_settings.attributes.recovery_code).toMatchObject({ enabled: false, used_for_first_factor: false });
    await signUp(b, new SoftwareAuthenticator(), { username: 'frank' });
    expectError(await b.post('/v1/me/recovery_codes'), 403, 'feature_not_enabled');
    expectError(await b.get('/v1/me/recovery_codes'), 403, 'feature_not_enabled');
    await signOut(b);
    expectError(await recover(b, 'frank', 'abcde-23456'), 403, 'feature_not_enabled');
    await server.setSettings({ recoveryCodes: true });
    expect(expectOk(await b.get('/v1/environment')).user_settings.attributes.recovery_code).toMatchObject({ enabled: true, first_factors: ['recovery_code'] });
  });
});
