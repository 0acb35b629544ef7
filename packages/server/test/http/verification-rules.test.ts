/**
 * One negative test per WebAuthn verification rule of the frontend API: each breaks exactly one
 * thing in an otherwise valid response (see the tamper knobs of the software authenticator) and
 * asserts the exact status and error code, that nothing was written, and that no session exists.
 * Positive controls sit beside the rules they bound, so a rule that refuses everything fails too.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { buildDeps } from '../../src/server.js';
import type { InstanceSettings } from '../../src/settings/index.js';
import { type AssertionTamper, type AuthenticatorOptions, type RegistrationTamper, SoftwareAuthenticator } from '../support/authenticator.js';
import { attemptSignIn, expectError, expectOk, signUp, startDiscoverable, startIdentifierFirst, startSignUp } from '../support/flows.js';
import { freshStore } from '../support/database.js';
import { type ApiResult, CHROME_LINUX_UA, createTestServer, DEV_ORIGIN, TestBrowser, TestClock, testConfig, type TestServer } from '../support/harness.js';

const REG_FAIL = 'passkey_registration_failure';
const AUTH_FAIL = 'passkey_authentication_failure';
const INVALID = 'passkey_invalid_public_key_credential';
const FIVE_MINUTES_AND_A_SECOND = 5 * 60 * 1000 + 1000;

const b64 = (n = 32) => randomBytes(n).toString('base64url');
const uniqueName = () => `u${randomBytes(5).toString('hex')}`;

// No response may be a 500: every server made here is checked for logged errors after its test.
let servers: TestServer[] = [];
afterEach(() => {
  const errorLines = servers.flatMap((s) => s.logs.splice(0).filter((l) => l.startsWith('error')));
  servers = [];
  expect(errorLines).toEqual([]);
});

/** A server of its own, for tests that change settings or move the clock. */
async function newServer(settings?: Partial<InstanceSettings>): Promise<TestServer> {
  const server = await createTestServer(settings ? { settings } : {});
  servers.push(server);
  return server;
}

/**
 * One server for the tests of a describe block, built like createTestServer but dropped after
 * the block (a fresh PostgreSQL database costs ~300 ms). Its tests use fresh browsers and unique
 * usernames, and compare the database before and after, so they cannot see each other.
 */
function sharedServer(settings?: Partial<InstanceSettings>): () => TestServer {
  let server: TestServer | undefined;
  let cleanup: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const fresh = await freshStore();
    cleanup = fresh.cleanup;
    const clock = new TestClock();
    const logs: string[] = [];
    const deps = await buildDeps(testConfig(), { clock, store: fresh.store, log: (level, message, fields) => logs.push(`${level} ${message} ${JSON.stringify(fields)}`) });
    if (settings) await deps.settings.update(settings);
    const app = createApp(deps);
    const browser = (b: { origin?: string; userAgent?: string } = {}) => new TestBrowser(app, b.origin ?? DEV_ORIGIN, b.userAgent ?? CHROME_LINUX_UA);
    server = { deps, app, clock, logs, browser, setSettings: async (patch) => void (await deps.settings.update(patch)) };
  });
  afterAll(async () => cleanup?.());
  return () => {
    servers.push(server!);
    return server!;
  };
}

/** What a refused ceremony must leave untouched: users, sessions, and every passkey row. */
async function snapshot(server: TestServer) {
  const db = server.deps.store.db;
  const n = async (table: 'users' | 'sessions') =>
    Number((await db.selectFrom(table as 'users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const passkeys = await db.selectFrom('passkeys').select(['id', 'user_id', 'credential_id', 'counter', 'backup_state', 'last_used_at']).orderBy('id').execute();
  return { users: await n('users'), sessions: await n('sessions'), passkeys: passkeys.map((p) => ({ ...p, counter: Number(p.counter) })) };
}
type Snapshot = Awaited<ReturnType<typeof snapshot>>;

async function storedCounter(server: TestServer, credentialId: string): Promise<number> {
  const row = await server.deps.store.db.selectFrom('passkeys').select('counter').where('credential_id', '=', credentialId).executeTakeFirstOrThrow();
  return Number(row.counter);
}

async function clientOf(b: TestBrowser) {
  return expectOk(await b.get('/v1/client')).response;
}

// ---------------------------------------------------------------------------------------------
// Registration helpers: passkey-first sign-up, and adding a passkey while signed in.

interface User {
  b: TestBrowser;
  auth: SoftwareAuthenticator;
  sessionId: string;
  userId: string;
  username: string;
  credentialId: string;
  userHandle: string;
}

async function registeredUser(server: TestServer, opts: AuthenticatorOptions = {}, username = uniqueName()): Promise<User> {
  const b = server.browser();
  const auth = new SoftwareAuthenticator(opts);
  const { sessionId, userId } = await signUp(b, auth, { username });
  const cred = auth.credentials[0]!;
  return { b, auth, sessionId, userId, username, credentialId: cred.idB64, userHandle: cred.userHandle };
}

const signUpAttempt = (b: TestBrowser, id: string, credential: unknown) =>
  b.post(`/v1/client/sign_ups/${id}/attempt_verification`, { strategy: 'passkey', public_key_credential: credential });

/** A sign-up in a fresh browser whose attestation has one defect. */
async function tamperedSignUp(server: TestServer, tamper: RegistrationTamper = {}, auth = new SoftwareAuthenticator()) {
  const b = server.browser();
  const { signUp: su, options } = await startSignUp(b, { username: uniqueName() });
  const credential = await auth.create(options, { origin: DEV_ORIGIN, tamper });
  return { b, id: su.id as string, options, auth, credential, res: await signUpAttempt(b, su.id, credential) };
}

async function expectSignUpRefused(server: TestServer, r: { b: TestBrowser; res: ApiResult }, before: Snapshot, status = 400, code = REG_FAIL) {
  expectError(r.res, status, code);
  const client = await clientOf(r.b);
  expect(client.sessions).toEqual([]);
  expect(client.sign_up.status).toBe('missing_requirements');
  expect(await snapshot(server)).toEqual(before);
  return client;
}

const addAttempt = (user: User, id: string, credential: unknown) =>
  user.b.post(`/v1/me/passkeys/${id}/attempt_verification?_clerk_session_id=${user.sessionId}`, { strategy: 'passkey', public_key_credential: credential });

async function startAdd(user: User) {
  const pending = expectOk(await user.b.post(`/v1/me/passkeys?_clerk_session_id=${user.sessionId}`)).response;
  return { id: pending.id as string, options: JSON.parse(pending.verification.nonce) };
}

/** Adds a passkey to a signed-in user with one defect in the attestation. */
async function tamperedAdd(user: User, tamper: RegistrationTamper = {}, auth = new SoftwareAuthenticator()) {
  const { id, options } = await startAdd(user);
  const credential = await auth.create(options, { origin: DEV_ORIGIN, tamper });
  return { id, options, credential, res: await addAttempt(user, id, credential) };
}

async function expectAddRefused(server: TestServer, res: ApiResult, before: Snapshot, status = 400, code = REG_FAIL) {
  expectError(res, status, code);
  expect(await snapshot(server)).toEqual(before);
}

// ---------------------------------------------------------------------------------------------
// Authentication helpers.

type Flow = 'discoverable' | 'identifier-first';

async function tamperedSignIn(
  server: TestServer,
  user: Pick<User, 'auth' | 'username'>,
  o: { flow: Flow; tamper?: AssertionTamper; identifier?: string; credentialId?: string },
) {
  const b = server.browser();
  const { signIn, options } = o.flow === 'discoverable' ? await startDiscoverable(b) : await startIdentifierFirst(b, o.identifier ?? user.username);
  const assertion = await user.auth.get(options, { origin: DEV_ORIGIN, tamper: o.tamper ?? {}, ...(o.credentialId ? { credentialId: o.credentialId } : {}) });
  return { b, id: signIn.id as string, options, assertion, res: await attemptSignIn(b, signIn.id, assertion) };
}

/** Refused, nothing written, no session, and the sign-in's verification reads `failed`. */
async function expectSignInRefused(server: TestServer, r: { b: TestBrowser; res: ApiResult }, before: Snapshot, status = 400, code = AUTH_FAIL) {
  expectError(r.res, status, code);
  const client = await clientOf(r.b);
  expect(client.sessions).toEqual([]);
  expect(client.sign_in.status).toBe('needs_first_factor');
  expect(client.sign_in.first_factor_verification.status).toBe('failed');
  expect(await snapshot(server)).toEqual(before);
}

// =============================================================================================

describe('registration rules (sign-up and adding a passkey)', () => {
  const shared = sharedServer();

  const rules: [string, RegistrationTamper, AuthenticatorOptions?][] = [
    ["clientData.type is 'webauthn.get'", { type: 'webauthn.get' }],
    ['the challenge is not the one issued', { challenge: b64() }],
    ['the origin is not allowed', { origin: 'https://evil.example' }],
    ['crossOrigin is true', { crossOrigin: true }],
    ['topOrigin is present', { topOrigin: DEV_ORIGIN }],
    ['rpIdHash is of another RP id', { rpId: 'evil.example' }],
    ['UP is cleared', { flags: { up: false } }],
    ['BS is set without BE', { flags: { be: false, bs: true } }],
    ['the algorithm was not offered (ES384)', {}, { alg: 'ES384' }],
    ["the attestation format is unknown ('bogus')", { fmt: 'bogus' }],
    ['id differs from rawId', { id: b64() }],
    ['the credential id in authenticator data differs from rawId', { authDataCredentialId: new Uint8Array(randomBytes(32)) }],
    ['the credential id is 1024 bytes', { credentialIdLength: 1024 }],
  ];

  it.each(rules)('refuses when %s', async (_name, tamper, opts) => {
    const server = shared();
    const empty = await snapshot(server);
    const su = await tamperedSignUp(server, tamper, new SoftwareAuthenticator(opts));
    const client = await expectSignUpRefused(server, su, empty);
    expect(client.sign_up.verifications.passkey.status).toBe('failed');

    const user = await registeredUser(server);
    const before = await snapshot(server);
    const add = await tamperedAdd(user, tamper, new SoftwareAuthenticator(opts));
    await expectAddRefused(server, add.res, before);
  });

  it('accepts another localhost port in development but refuses a look-alike host', async () => {
    const server = shared();
    expectOk((await tamperedSignUp(server, { origin: 'http://localhost:5173' })).res);
    const user = await registeredUser(server);
    expectOk((await tamperedAdd(user, { origin: 'http://localhost:8080' })).res);

    const before = await snapshot(server);
    await expectSignUpRefused(server, await tamperedSignUp(server, { origin: 'http://localhost.evil.com:3000' }), before);
    await expectAddRefused(server, (await tamperedAdd(user, { origin: 'http://localhost.evil.com:3000' })).res, before);
  });

  it("refuses UV cleared while userVerification is 'required', and accepts it when 'preferred'", async () => {
    const server = await newServer();
    const user = await registeredUser(server);
    const before = await snapshot(server);
    await expectSignUpRefused(server, await tamperedSignUp(server, { flags: { uv: false } }), before);
    await expectAddRefused(server, (await tamperedAdd(user, { flags: { uv: false } })).res, before);

    await server.setSettings({ userVerification: 'preferred' });
    expectOk((await tamperedSignUp(server, { flags: { uv: false } })).res);
    expectOk((await tamperedAdd(user, { flags: { uv: false } })).res);
  });

  it('accepts a credential id of 1023 bytes (the limit)', async () => {
    const server = shared();
    const su = await tamperedSignUp(server, { credentialIdLength: 1023 });
    expectOk(su.res);
    expect(Buffer.from(su.credential.rawId, 'base64url')).toHaveLength(1023);
    const user = await registeredUser(server);
    expectOk((await tamperedAdd(user, { credentialIdLength: 1023 })).res);
  });

  it('refuses the exact attestation of user A replayed in the sign-up of user B; B gets no account', async () => {
    const server = shared();
    const a = server.browser();
    const { signUp: suA, options } = await startSignUp(a, { username: uniqueName() });
    const credential = await new SoftwareAuthenticator().create(options, { origin: DEV_ORIGIN });
    expectOk(await signUpAttempt(a, suA.id, credential));

    const before = await snapshot(server);
    const b = server.browser();
    const bob = uniqueName();
    const { signUp: suB } = await startSignUp(b, { username: bob });
    const client = await expectSignUpRefused(server, { b, res: await signUpAttempt(b, suB.id, credential) }, before);
    expect(client.sign_up.created_user_id).toBeNull();
    expect(await server.deps.store.db.selectFrom('identifiers').select('id').where('value', '=', bob).execute()).toEqual([]);
  });

  it("refuses a correctly signed attestation that reuses another user's credential id", async () => {
    const server = shared();
    const alice = await registeredUser(server);
    const taken = { id: alice.credentialId, rawId: alice.credentialId, authDataCredentialId: alice.credentialId };
    const before = await snapshot(server);

    // Refused at verification (audited, verification failed), not only by the unique index.
    const su = await tamperedSignUp(server, taken);
    const client = await expectSignUpRefused(server, su, before);
    expect(su.res.body.errors[0].long_message).toMatch(/already registered/);
    expect(client.sign_up.verifications.passkey.status).toBe('failed');

    const carol = await registeredUser(server);
    const beforeAdd = await snapshot(server);
    const add = await tamperedAdd(carol, taken);
    await expectAddRefused(server, add.res, beforeAdd);
    expect(add.res.body.errors[0].long_message).toMatch(/already registered/);
    const audited = await server.deps.store.db.selectFrom('audit_events').select('data').where('type', '=', 'passkey.verification_failed').where('user_id', '=', carol.userId).execute();
    expect(audited).toHaveLength(1);
    expect(JSON.parse(audited[0]!.data).reason).toMatch(/already registered/);
    // Alice still signs in with her passkey.
    expectOk((await tamperedSignIn(server, alice, { flow: 'identifier-first' })).res);
  });

  it('answers 422 passkey_invalid_public_key_credential for a malformed public_key_credential', async () => {
    const server = shared();
    const user = await registeredUser(server);
    const before = await snapshot(server);
    const valid = await new SoftwareAuthenticator().create((await startAdd(user)).options, { origin: DEV_ORIGIN });
    const { attestationObject: _drop, ...responseWithout } = valid.response;
    const malformed: unknown[] = [
      'not json',
      '{}',
      JSON.stringify({ ...valid, response: responseWithout }),
      JSON.stringify({ ...valid, type: 'password' }),
      JSON.stringify({ ...valid, rawId: 'not+base64url=' }),
    ];
    for (const bad of malformed) {
      const b = server.browser();
      const { signUp: su } = await startSignUp(b, { username: uniqueName() });
      await expectSignUpRefused(server, { b, res: await signUpAttempt(b, su.id, bad) }, before, 422, INVALID);
      await expectAddRefused(server, await addAttempt(user, (await startAdd(user)).id, bad), before, 422, INVALID);
    }
  });
});

describe('challenges', () => {
  // A signed-in user starts a second sign-in below: that needs multi-session mode.
  const shared = sharedServer({ multiSession: true });

  it('are single use: a correct response after a failed attempt answers verification_expired', async () => {
    const server = shared();
    const before = await snapshot(server);
    const su = await tamperedSignUp(server, { origin: 'https://evil.example' });
    expectError(su.res, 400, REG_FAIL);
    const good = await new SoftwareAuthenticator().create(su.options, { origin: DEV_ORIGIN });
    await expectSignUpRefused(server, { b: su.b, res: await signUpAttempt(su.b, su.id, good) }, before, 400, 'verification_expired');

    const user = await registeredUser(server);
    const beforeAdd = await snapshot(server);
    const add = await tamperedAdd(user, { origin: 'https://evil.example' });
    expectError(add.res, 400, REG_FAIL);
    const goodAdd = await new SoftwareAuthenticator().create(add.options, { origin: DEV_ORIGIN });
    await expectAddRefused(server, await addAttempt(user, add.id, goodAdd), beforeAdd, 400, 'verification_expired');

    const si = await tamperedSignIn(server, user, { flow: 'discoverable', tamper: { origin: 'https://evil.example' } });
    expectError(si.res, 400, AUTH_FAIL);
    const goodAssertion = await user.auth.get(si.options, { origin: DEV_ORIGIN });
    expectError(await attemptSignIn(si.b, si.id, goodAssertion), 400, 'verification_expired');
    expect((await clientOf(si.b)).sessions).toEqual([]);
    expect(await snapshot(server)).toEqual(beforeAdd);
  });

  it('expire after five minutes: verification_expired, nothing written', async () => {
    const server = await newServer();
    const user = await registeredUser(server);
    const before = await snapshot(server);
    const b = server.browser();
    const { signUp: su, options } = await startSignUp(b, { username: uniqueName() });
    const add = await startAdd(user);
    const siBrowser = server.browser();
    const { signIn, options: reqOptions } = await startDiscoverable(siBrowser);
    server.clock.advance(FIVE_MINUTES_AND_A_SECOND);

    const cred = await new SoftwareAuthenticator().create(options, { origin: DEV_ORIGIN });
    const client = await expectSignUpRefused(server, { b, res: await signUpAttempt(b, su.id, cred) }, before, 400, 'verification_expired');
    expect(client.sign_up.verifications.passkey.status).toBe('expired');
    const addCred = await new SoftwareAuthenticator().create(add.options, { origin: DEV_ORIGIN });
    await expectAddRefused(server, await addAttempt(user, add.id, addCred), before, 400, 'verification_expired');
    const assertion = await user.auth.get(reqOptions, { origin: DEV_ORIGIN });
    expectError(await attemptSignIn(siBrowser, signIn.id, assertion), 400, 'verification_expired');
    const siClient = await clientOf(siBrowser);
    expect(siClient.sessions).toEqual([]);
    expect(siClient.sign_in.first_factor_verification.status).toBe('expired');
    expect(await snapshot(server)).toEqual(before);
  });

  it("are bound to their client: another browser posting to this browser's sign-up, sign-in or new passkey is refused", async () => {
    const server = shared();
    const user = await registeredUser(server);
    const before = await snapshot(server);
    const a = server.browser();
    const { signUp: su, options } = await startSignUp(a, { username: uniqueName() });
    const { signIn, options: reqOptions } = await startDiscoverable(a);
    const intruder = server.browser();
    expectOk(await intruder.post('/v1/client'));

    const cred = await new SoftwareAuthenticator().create(options, { origin: DEV_ORIGIN });
    expectError(await signUpAttempt(intruder, su.id, cred), 404, 'resource_not_found');
    const assertion = await user.auth.get(reqOptions, { origin: DEV_ORIGIN });
    expectError(await attemptSignIn(intruder, signIn.id, assertion), 404, 'resource_not_found');
    expect((await clientOf(intruder)).sessions).toEqual([]);
    expect(await snapshot(server)).toEqual(before);
    // The challenges were not touched: the owner still completes both.
    expectOk(await signUpAttempt(a, su.id, cred));
    expectOk(await attemptSignIn(a, signIn.id, assertion));

    // A passkey being added in one browser cannot be finished from the same user's other browser.
    const other = await tamperedSignIn(server, user, { flow: 'discoverable' });
    const otherSession = expectOk(other.res).response.created_session_id;
    const pending = await startAdd(user);
    const addCred = await new SoftwareAuthenticator().create(pending.options, { origin: DEV_ORIGIN });
    const beforeAdd = await snapshot(server);
    const path = `/v1/me/passkeys/${pending.id}/attempt_verification?_clerk_session_id=${otherSession}`;
    await expectAddRefused(server, await other.b.post(path, { strategy: 'passkey', public_key_credential: addCred }), beforeAdd, 400, 'verification_expired');
    expectOk(await addAttempt(user, pending.id, addCred));
  });

  it('are bound to their ceremony: an assertion posted to a sign-up, or a sign-in challenge used to add a passkey, is refused', async () => {
    const server = shared();
    const user = await registeredUser(server);
    const before = await snapshot(server);

    const b = server.browser();
    const { signUp: su, options } = await startSignUp(b, { username: uniqueName() });
    const assertion = await user.auth.get({ challenge: options.challenge, rpId: options.rp.id, allowCredentials: [] }, { origin: DEV_ORIGIN });
    await expectSignUpRefused(server, { b, res: await signUpAttempt(b, su.id, assertion) }, before, 422, INVALID);

    // The signed-in user's own identifier-first sign-in: its challenge names the same user.
    const { signIn, options: reqOptions } = await startIdentifierFirst(user.b, user.username);
    const creation = { ...(await startAdd(user)).options, challenge: reqOptions.challenge };
    const cred = await new SoftwareAuthenticator().create(creation, { origin: DEV_ORIGIN });
    // A sign-in id is not a passkey id by its very form (fapi/ids.ts): refused before any lookup.
    await expectAddRefused(server, await addAttempt(user, signIn.id, cred), before, 404, 'passkey_not_registered');
    // The sign-in's challenge is still there for the sign-in.
    expectOk(await attemptSignIn(user.b, signIn.id, await user.auth.get(reqOptions, { origin: DEV_ORIGIN })));
  });
});

describe('authentication rules (discoverable and identifier-first)', () => {
  const shared = sharedServer();

  const rules: [string, AssertionTamper][] = [
    ["clientData.type is 'webauthn.create'", { type: 'webauthn.create' }],
    ['the challenge is not the one issued', { challenge: b64() }],
    ['the origin is not allowed', { origin: 'https://evil.example' }],
    ['the origin is a look-alike of localhost', { origin: 'http://localhost.evil.com:3000' }],
    ['crossOrigin is true', { crossOrigin: true }],
    ['topOrigin is present', { topOrigin: DEV_ORIGIN }],
    ['rpIdHash is of another RP id', { rpId: 'evil.example' }],
    ['UP is cleared', { flags: { up: false } }],
    ['BS is set without BE', { flags: { be: false, bs: true } }],
    ['BE differs from registration', { flags: { be: true } }],
    ['the signature is corrupted', { corruptSignature: true }],
    ['id differs from rawId', { id: b64() }],
  ];

  it.each(rules)('refuses when %s', async (_name, tamper) => {
    const server = shared();
    const user = await registeredUser(server);
    const before = await snapshot(server);
    for (const flow of ['discoverable', 'identifier-first'] as const) {
      await expectSignInRefused(server, await tamperedSignIn(server, user, { flow, tamper }), before);
    }
  });

  it("refuses UV cleared while userVerification is 'required', and accepts it when 'preferred'", async () => {
    const server = await newServer();
    const user = await registeredUser(server);
    const before = await snapshot(server);
    for (const flow of ['discoverable', 'identifier-first'] as const) {
      await expectSignInRefused(server, await tamperedSignIn(server, user, { flow, tamper: { flags: { uv: false } } }), before);
    }
    await server.setSettings({ userVerification: 'preferred' });
    for (const flow of ['discoverable', 'identifier-first'] as const) {
      expectOk((await tamperedSignIn(server, user, { flow, tamper: { flags: { uv: false } } })).res);
    }
  });

  it('discoverable: refuses an assertion without userHandle (identifier-first may omit it)', async () => {
    const server = shared();
    const user = await registeredUser(server);
    const before = await snapshot(server);
    await expectSignInRefused(server, await tamperedSignIn(server, user, { flow: 'discoverable', tamper: { userHandle: null } }), before);
    expectOk((await tamperedSignIn(server, user, { flow: 'identifier-first', tamper: { userHandle: null } })).res);
  });

  it('refuses a userHandle of another user', async () => {
    const server = shared();
    const alice = await registeredUser(server);
    const bob = await registeredUser(server);
    const before = await snapshot(server);
    for (const flow of ['discoverable', 'identifier-first'] as const) {
      await expectSignInRefused(server, await tamperedSignIn(server, alice, { flow, tamper: { userHandle: bob.userHandle } }), before);
    }
  });

  it("identifier-first: refuses user A's credential in a sign-in started with user B's identifier", async () => {
    const server = shared();
    const alice = await registeredUser(server);
    const bob = await registeredUser(server);
    const before = await snapshot(server);
    const r = await tamperedSignIn(server, alice, { flow: 'identifier-first', identifier: bob.username, credentialId: alice.credentialId });
    expect(r.options.allowCredentials.map((c: { id: string }) => c.id)).toEqual([bob.credentialId]);
    await expectSignInRefused(server, r, before);
    // Same for an unknown identifier (its allowCredentials are decoys).
    await expectSignInRefused(
      server,
      await tamperedSignIn(server, alice, { flow: 'identifier-first', identifier: 'nobody@example.com', credentialId: alice.credentialId }),
      before,
    );
  });

  it('refuses a sign counter that does not increase, audits it, and keeps the stored counter', async () => {
    const server = shared();
    const user = await registeredUser(server, { signCount: 'increment' });
    expectOk((await tamperedSignIn(server, user, { flow: 'discoverable' })).res);
    expect(await storedCounter(server, user.credentialId)).toBe(1);
    const before = await snapshot(server);

    await expectSignInRefused(server, await tamperedSignIn(server, user, { flow: 'discoverable', tamper: { counter: 1 } }), before);
    await expectSignInRefused(server, await tamperedSignIn(server, user, { flow: 'identifier-first', tamper: { counter: 0 } }), before);
    expect(await storedCounter(server, user.credentialId)).toBe(1);
    const events = await server.deps.store.db.selectFrom('audit_events').selectAll().where('type', '=', 'passkey.counter_regression').where('user_id', '=', user.userId).execute();
    expect(events).toHaveLength(2);
    expect(JSON.parse(events[0]!.data)).toMatchObject({ ceremony: 'authentication', passkey_id: before.passkeys.find((p) => p.credential_id === user.credentialId)!.id });

    // A greater counter signs in again.
    expectOk((await tamperedSignIn(server, user, { flow: 'discoverable', tamper: { counter: 7 } })).res);
    expect(await storedCounter(server, user.credentialId)).toBe(7);
  });

  it('accepts a counter that stays zero on both sides (synced passkeys)', async () => {
    const server = shared();
    const user = await registeredUser(server, { signCount: 'zero' });
    for (const flow of ['discoverable', 'identifier-first'] as const) {
      expectOk((await tamperedSignIn(server, user, { flow })).res);
    }
    expect(await storedCounter(server, user.credentialId)).toBe(0);
  });

  it('answers 404 passkey_not_registered for an unknown credential', async () => {
    const server = shared();
    const user = await registeredUser(server);
    const stranger = new SoftwareAuthenticator();
    const creation = { challenge: b64(), rp: { id: 'localhost', name: 'x' }, user: { id: b64(), name: 'x', displayName: 'x' }, pubKeyCredParams: [] };
    await stranger.create(creation, { origin: DEV_ORIGIN });
    const before = await snapshot(server);
    await expectSignInRefused(server, await tamperedSignIn(server, { auth: stranger, username: user.username }, { flow: 'discoverable' }), before, 404, 'passkey_not_registered');
  });

  it('answers 422 for a malformed credential at sign-in and marks the verification failed', async () => {
    const server = shared();
    const user = await registeredUser(server);
    const before = await snapshot(server);
    const b = server.browser();
    const { signIn, options } = await startDiscoverable(b);
    const assertion = await user.auth.get(options, { origin: DEV_ORIGIN });
    const { signature: _drop, ...without } = assertion.response;
    await expectSignInRefused(server, { b, res: await attemptSignIn(b, signIn.id, { ...assertion, response: without }) }, before, 422, INVALID);
  });
});

describe('replays, enumeration and request bodies', () => {
  const shared = sharedServer();

  describe('completed ceremonies cannot be repeated', () => {
    it('refuses to repeat a completed sign-in: sign_in_already_complete, never a second 200', async () => {
      const server = shared();
      const user = await registeredUser(server);
      const r = await tamperedSignIn(server, user, { flow: 'discoverable' });
      expectOk(r.res);
      const before = await snapshot(server);
      expectError(await attemptSignIn(r.b, r.id, r.assertion), 400, 'sign_in_already_complete');
      expectError(await attemptSignIn(r.b, r.id, await user.auth.get(r.options, { origin: DEV_ORIGIN })), 400, 'sign_in_already_complete');
      expect((await clientOf(r.b)).sessions).toHaveLength(1);
      expect(await snapshot(server)).toEqual(before);
    });

    it('refuses to repeat a completed sign-up: sign_up_already_complete', async () => {
      const server = shared();
      const su = await tamperedSignUp(server);
      expectOk(su.res);
      const before = await snapshot(server);
      expectError(await signUpAttempt(su.b, su.id, su.credential), 400, 'sign_up_already_complete');
      const another = await new SoftwareAuthenticator().create(su.options, { origin: DEV_ORIGIN });
      expectError(await signUpAttempt(su.b, su.id, another), 400, 'sign_up_already_complete');
      expect((await clientOf(su.b)).sessions).toHaveLength(1);
      expect(await snapshot(server)).toEqual(before);
    });
  });

  describe('unknown identifiers (no enumeration)', () => {
    it('answer like a known user, with a stable non-empty allowCredentials', async () => {
      const server = shared();
      const user = await registeredUser(server);
      const known = await startIdentifierFirst(server.browser(), user.username);
      const first = await startIdentifierFirst(server.browser(), 'nobody@example.com');
      const second = await startIdentifierFirst(server.browser(), 'nobody@example.com');

      expect(first.options.allowCredentials.length).toBeGreaterThan(0);
      expect(second.options.allowCredentials).toEqual(first.options.allowCredentials);
      expect(first.signIn.status).toBe(known.signIn.status);
      expect(first.signIn.supported_first_factors).toEqual(known.signIn.supported_first_factors);
      expect(Object.keys(first.signIn).sort()).toEqual(Object.keys(known.signIn).sort());
      expect(Object.keys(first.options).sort()).toEqual(Object.keys(known.options).sort());
      const shape = (d: Record<string, unknown>) => Object.keys(d).sort();
      expect(first.options.allowCredentials.map(shape)).toContainEqual(shape(known.options.allowCredentials[0]));
      expect(first.options.allowCredentials.map((d: { transports: unknown }) => d.transports)).toContainEqual(known.options.allowCredentials[0].transports);
    });
  });

  describe('request bodies', () => {
    it('answers 413 request_body_too_large for a body over 64 KB', async () => {
      const server = shared();
      const before = await snapshot(server);
      const b = server.browser();
      expectError(await b.post('/v1/client/sign_ins', { identifier: 'a'.repeat(70_000) }), 413, 'request_body_too_large');
      expectError(await b.post('/v1/client/sign_ups', { username: 'x', pad: 'a'.repeat(70_000) }, { json: true }), 413, 'request_body_too_large');
      expect(await snapshot(server)).toEqual(before);
      expect(b.cookie).toBeNull();
    });

    it('answers 415 unsupported_media_type for text/plain with content', async () => {
      const server = shared();
      const res = await server.app.request('/v1/client/sign_ins', {
        method: 'POST',
        headers: { origin: DEV_ORIGIN, 'user-agent': CHROME_LINUX_UA, 'content-type': 'text/plain' },
        body: 'identifier=ada&strategy=passkey',
      });
      expectError({ status: res.status, body: await res.json(), headers: res.headers }, 415, 'unsupported_media_type');
      expect(res.headers.get('set-cookie')).toBeNull();
      expect(await server.deps.store.db.selectFrom('sign_ins').select('id').where('identifier', '=', 'ada').execute()).toEqual([]);
    });
  });
});
