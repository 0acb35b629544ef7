/**
 * Issue 9, hostile input: each finding of the outside attack as a test that failed before the
 * fix, on SQLite and on PostgreSQL (this file runs in both HTTP projects). Every server made here
 * is checked for logged errors after its test: a 500 anywhere fails the test that caused it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isoCBOR } from '@simplewebauthn/server/helpers';
import { afterEach, describe, expect, it } from 'vitest';
import { mountWebApp } from '../../src/server.js';
import { type AssertionTamper, SoftwareAuthenticator } from '../support/authenticator.js';
import { addPasskey, attemptSignIn, expectError, expectOk, signUp, startIdentifierFirst, startSignUp } from '../support/flows.js';
import { backendFor } from '../support/backend.js';
import { type ApiResult, createTestServer, DEV_ORIGIN, type TestBrowser, type TestServer } from '../support/harness.js';

/**
 * Each test sends dozens of requests; on a loaded 2-core machine that can take many seconds. The
 * bound guards against a hang only — these projects do not inherit the root testTimeout.
 */
const SLOW_MACHINE_MS = 120_000;

let servers: TestServer[] = [];
afterEach(() => {
  const errorLines = servers.flatMap((s) => s.logs.splice(0).filter((l) => l.startsWith('error')));
  servers = [];
  expect(errorLines).toEqual([]);
});

async function newServer(o: Parameters<typeof createTestServer>[0] = {}): Promise<TestServer> {
  // These tests sign in again in a browser that is signed in: multi-session, as when they were written.
  const server = await createTestServer({ ...o, settings: { multiSession: true, ...o.settings } });
  servers.push(server);
  return server;
}

async function signedIn(server: TestServer, username: string) {
  const b = server.browser();
  const auth = new SoftwareAuthenticator();
  const { sessionId } = await signUp(b, auth, { username });
  return { b, auth, sessionId };
}

const countUsers = async (server: TestServer) =>
  Number((await server.deps.store.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

// ---------------------------------------------------------------------------------------------
// 1. NUL bytes, control characters, surrogates and ids that cannot exist.

/** Path ids no id minted by util/ids.ts can equal; each reached SQL before (a NUL: 500 on PostgreSQL). */
const IMPOSSIBLE_IDS = ['%00', 'sia_%00', 'sess_%00AAAAAAAAAAAAAAAAAAAAA', '%ED%A0%80', '%F0%9F%94', `x${'A'.repeat(4000)}`, "sia_'%20OR%201=1--"];

describe('ids are checked by their form where the request is parsed', { timeout: SLOW_MACHINE_MS }, () => {
  it('answers 404 for an id that cannot exist on every path that takes one, and for _clerk_session_id', async () => {
    const server = await newServer();
    const { b, sessionId } = await signedIn(server, 'idprobe');
    const cred = JSON.stringify({ id: 'AA', rawId: 'AA', type: 'public-key', response: {} });
    const q = `_clerk_session_id=${sessionId}`;
    for (const bad of IMPOSSIBLE_IDS) {
      // One at a time: each answer is checked on its own, with no pool or ordering effects between them.
      const probes: [string, () => Promise<ApiResult>, string][] = [
        ['GET sign-in', () => b.get(`/v1/client/sign_ins/${bad}`), 'resource_not_found'],
        ['prepare sign-in', () => b.post(`/v1/client/sign_ins/${bad}/prepare_first_factor`, { strategy: 'passkey' }), 'resource_not_found'],
        ['attempt sign-in', () => b.post(`/v1/client/sign_ins/${bad}/attempt_first_factor`, { strategy: 'passkey', public_key_credential: cred }), 'resource_not_found'],
        ['prepare sign-up', () => b.post(`/v1/client/sign_ups/${bad}/prepare_verification`, { strategy: 'passkey' }), 'resource_not_found'],
        ['attempt sign-up', () => b.post(`/v1/client/sign_ups/${bad}/attempt_verification`, { strategy: 'passkey', public_key_credential: cred }), 'resource_not_found'],
        ['touch', () => b.post(`/v1/client/sessions/${bad}/touch`), 'resource_not_found'],
        ['tokens', () => b.post(`/v1/client/sessions/${bad}/tokens`), 'resource_not_found'],
        ['end', () => b.post(`/v1/client/sessions/${bad}/end`), 'resource_not_found'],
        ['finish passkey', () => b.post(`/v1/me/passkeys/${bad}/attempt_verification?${q}`, { strategy: 'passkey', public_key_credential: cred }), 'passkey_not_registered'],
        ['rename passkey', () => b.post(`/v1/me/passkeys/${bad}?_method=PATCH&${q}`, { name: 'x' }), 'passkey_not_registered'],
        ['delete passkey', () => b.post(`/v1/me/passkeys/${bad}?_method=DELETE&${q}`), 'passkey_not_registered'],
        ['GET /me', () => b.get(`/v1/me?_clerk_session_id=${bad}`), 'resource_not_found'],
        ['add passkey', () => b.post(`/v1/me/passkeys?_clerk_session_id=${bad}`), 'resource_not_found'],
      ];
      for (const [what, send, code] of probes) {
        const r = await send();
        expect({ what, bad, status: r.status, code: r.body?.errors?.[0]?.code }).toEqual({ what, bad, status: 404, code });
      }
    }
    // A well-formed id that names nothing still goes to the store (401 for a session, as before),
    // so the 404s above were decided by the form alone.
    expectError(await b.post('/v1/client/sessions/sess_AAAAAAAAAAAAAAAAAAAAAA/touch'), 401, 'signed_out');
    expectError(await b.get('/v1/client/sign_ins/sia_AAAAAAAAAAAAAAAAAAAAAA'), 404, 'resource_not_found');
  });
});

describe('the backend API checks ids and text the same way', { timeout: SLOW_MACHINE_MS }, () => {
  it('answers 404 for a path id that cannot exist, 422 for a malformed id filter or cursor and for control characters in text', async () => {
    const server = await newServer();
    const { api } = await backendFor(server);
    for (const bad of IMPOSSIBLE_IDS) {
      const probes: [string, () => Promise<ApiResult>][] = [
        ['GET user', () => api.get(`/v1/users/${bad}`)],
        ['PATCH user', () => api.patch(`/v1/users/${bad}`, { public_metadata: {} })],
        ['ban', () => api.post(`/v1/users/${bad}/ban`)],
        ['passkeys of user', () => api.get(`/v1/users/${bad}/passkeys`)],
        ['delete passkey', () => api.delete(`/v1/users/user_AAAAAAAAAAAAAAAAAAAAAA/passkeys/${bad}`)],
        ['GET session', () => api.get(`/v1/sessions/${bad}`)],
        ['revoke session', () => api.post(`/v1/sessions/${bad}/revoke`)],
        ['GET endpoint', () => api.get(`/v1/webhook_endpoints/${bad}`)],
        ['deliveries', () => api.get(`/v1/webhook_endpoints/${bad}/deliveries`)],
      ];
      for (const [what, send] of probes) {
        const r = await send();
        expect({ what, bad, status: r.status, code: (r.body as any)?.errors?.[0]?.code }).toEqual({ what, bad, status: 404, code: 'resource_not_found' });
      }
      for (const [what, query, param] of [
        ['sessions by user', `/v1/sessions?user_id=${bad}`, 'user_id'],
        ['sessions after', `/v1/sessions?starting_after=${bad}`, 'starting_after'],
        ['users after', `/v1/users?starting_after=${bad}`, 'starting_after'],
        ['audit by user', `/v1/audit_events?user_id=${bad}`, 'user_id'],
      ] as const) {
        const r = await api.get(query);
        expect({ what, bad, status: r.status, code: (r.body as any)?.errors?.[0]?.code, param: (r.body as any)?.errors?.[0]?.meta?.param_name }).toEqual({
          what, bad, status: 422, code: 'form_param_format_invalid', param,
        });
      }
    }
    for (const [what, body, param] of [
      ['username', { username: 'ada\u0000' }, 'username'],
      ['email', { email_address: 'ada\u0000@example.com' }, 'email_address'],
      ['surrogate', { username: 'ada\ud800' }, 'username'],
    ] as const) {
      const r = await api.post('/v1/users', body);
      expect({ what, status: r.status, code: (r.body as any)?.errors?.[0]?.code, param: (r.body as any)?.errors?.[0]?.meta?.param_name }).toEqual({ what, status: 422, code: 'form_param_format_invalid', param });
    }
    expect((await api.get('/v1/users?query=ada%00')).status).toBe(422);
    // Well-formed ids that name nothing reach the store and answer as before.
    expect((await api.get('/v1/users/user_AAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
    expect((await api.get('/v1/sessions?user_id=user_AAAAAAAAAAAAAAAAAAAAAA')).status).toBe(200);
    expect(await countUsers(server)).toBe(0); // no refused create wrote a user
  });
});

/** Text values that must never reach a query. Lone surrogates only survive in JSON bodies. */
const HOSTILE_TEXT: [string, string, boolean][] = [
  ['NUL', 'ada\u0000', false],
  ['only NUL', '\u0000', false],
  ['escape sequence', 'ada\u001b[2J', false],
  ['newline', 'ada\nbob', false],
  ['DEL', 'ada\u007f', false],
  ['C1 control', 'ada\u0085', false],
  ['lone high surrogate', 'ada\ud800', true],
  ['lone low surrogate', '\udc00ada', true],
];

describe('text parameters refuse NUL, control characters and unpaired surrogates', { timeout: SLOW_MACHINE_MS }, () => {
  it('answers 422 form_param_format_invalid naming the parameter, with or without a cookie', async () => {
    const server = await newServer();
    const { b, sessionId } = await signedIn(server, 'textprobe');
    const pk = expectOk(await b.get(`/v1/me?_clerk_session_id=${sessionId}`)).response.passkeys[0].id;
    const users = await countUsers(server);
    for (const [what, value, jsonOnly] of HOSTILE_TEXT) {
      for (const json of jsonOnly ? [true] : [false, true]) {
        const fresh = server.browser(); // no cookie: sign-in and sign-up are reachable by anyone
        const probes: [string, () => Promise<ApiResult>][] = [
          ['identifier', () => fresh.post('/v1/client/sign_ins', { identifier: value }, { json })],
          ['identifier', () => fresh.post('/v1/client/sign_ins', { identifier: value, strategy: 'passkey' }, { json })],
          ['strategy', () => fresh.post('/v1/client/sign_ins', { strategy: value }, { json })],
          ['username', () => fresh.post('/v1/client/sign_ups', { username: value }, { json })],
          ['email_address', () => fresh.post('/v1/client/sign_ups', { email_address: `${value}@example.com` }, { json })],
          ['email_address', () => fresh.post('/v1/client/sign_ups', { email_address: `ada@exa${value}mple.com` }, { json })],
          ['name', () => b.post(`/v1/me/passkeys/${pk}?_method=PATCH&_clerk_session_id=${sessionId}`, { name: `Laptop ${value}` }, { json })],
        ];
        for (const [param, send] of probes) {
          const r = await send();
          expect({ what, json, param, status: r.status, code: r.body?.errors?.[0]?.code, named: r.body?.errors?.[0]?.meta?.param_name }).toEqual({
            what,
            json,
            param,
            status: 422,
            code: 'form_param_format_invalid',
            named: param,
          });
        }
        expect(fresh.cookie).toBeNull(); // refused before a client was made
      }
    }
    expect(await countUsers(server)).toBe(users);
    // Positive control: the same fields with ordinary text work.
    expectOk(await server.browser().post('/v1/client/sign_ins', { identifier: 'Zoë 🔑' }, { json: true }));
    expectOk(await server.browser().post('/v1/client/sign_ups', { username: 'zoe.ok', email_address: 'zoe@example.com' }));
  });
});

// ---------------------------------------------------------------------------------------------
// 2. Decoys: a known and an unknown identifier cannot be told apart.

const VARYING = new Set(['id', 'identifier', 'challenge', 'clerk_trace_id', 'sign_in_id', 'created_at', 'updated_at', 'expire_at', 'abandon_at', 'last_active_at']);
const B64URL = /^[A-Za-z0-9_-]+$/;

/**
 * An answer with what must differ between two browsers (ids, times, the identifier typed)
 * replaced by placeholders, the request options inside `nonce` parsed, and arrays reduced to the
 * set of their elements' shapes (a real account may have one passkey, a decoy two).
 */
function shape(v: unknown, key = ''): unknown {
  if (key === 'nonce' && typeof v === 'string') return shape(JSON.parse(v));
  if (Array.isArray(v)) return [...new Set(v.map((e) => JSON.stringify(shape(e))))].sort().map((s) => JSON.parse(s));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, shape(e, k)]));
  if (VARYING.has(key) && v !== null) return typeof v === 'string' && B64URL.test(v.replace(/^[a-z]+_/, '')) ? '<id>' : `<${typeof v}>`;
  return v;
}

/** Mallory: an authenticator with a key of her own, answering for any credential id. */
async function mallory(o: { be?: boolean } = {}) {
  const m = new SoftwareAuthenticator({ backupEligible: o.be ?? false });
  await m.create(
    { rp: { id: 'localhost', name: 'x' }, user: { id: 'bWFsbG9yeQ', name: 'm', displayName: 'm' }, challenge: 'AAAA', pubKeyCredParams: [] },
    { origin: DEV_ORIGIN },
  );
  return (options: Parameters<SoftwareAuthenticator['get']>[0], credentialId: string, tamper: AssertionTamper = {}) =>
    m.get(options, { origin: DEV_ORIGIN, credentialId: m.credentials[0]!.idB64, tamper: { id: credentialId, rawId: credentialId, ...tamper } });
}

async function probeIdentifier(b: TestBrowser, identifier: string, forge: Awaited<ReturnType<typeof mallory>>, tamper: AssertionTamper) {
  const created = await b.post('/v1/client/sign_ins', { identifier });
  const prepared = await b.post(`/v1/client/sign_ins/${created.body.response.id}/prepare_first_factor`, { strategy: 'passkey' });
  const options = JSON.parse(prepared.body.response.first_factor_verification.nonce);
  const attempt = await attemptSignIn(b, created.body.response.id, await forge(options, options.allowCredentials[0].id, tamper));
  const after = await b.get('/v1/client');
  return {
    transports: options.allowCredentials.map((c: { transports: string[] }) => c.transports),
    answers: [created, prepared, attempt, after].map((r) => ({ status: r.status, body: shape(r.body) })),
  };
}

describe('identifier-first sign-in: decoys cannot be told from real accounts', { timeout: SLOW_MACHINE_MS }, () => {
  it.each<[string, AssertionTamper, { be?: boolean }]>([
    ['a forged signature', { userHandle: null }, {}],
    ['a forged signature and a user handle', {}, {}],
    ['a forged signature claiming backup eligibility', { userHandle: null }, { be: true }],
  ])('answers a known and an unknown identifier alike at every step, through %s', async (_, tamper, o) => {
    const server = await newServer();
    await signedIn(server, 'known-user');
    const forge = await mallory(o);
    const known = await probeIdentifier(server.browser(), 'known-user', forge, tamper);
    const unknown = await probeIdentifier(server.browser(), 'nobody-here', forge, tamper);
    // The attempt on the real account failed the way an attempt on a real credential fails.
    expect(known.answers[2]!.status).toBe(400);
    expect((known.answers[2]!.body as { errors: { code: string }[] }).errors[0]!.code).toBe('passkey_authentication_failure');
    expect(unknown.answers).toEqual(known.answers);
    // Transports as browsers list them (sorted), on both.
    expect(known.transports).toEqual([['hybrid', 'internal']]);
    for (const t of unknown.transports) expect(t).toEqual(['hybrid', 'internal']);
  });

  it('still refuses a credential id that was never offered with 404, for known and unknown identifiers alike', async () => {
    const server = await newServer();
    await signedIn(server, 'known-user');
    const forge = await mallory();
    for (const identifier of ['known-user', 'nobody-here']) {
      const b = server.browser();
      const { signIn, options } = await startIdentifierFirst(b, identifier);
      expectError(await attemptSignIn(b, signIn.id, await forge(options, 'bm90LW9mZmVyZWQtYXQtYWxs', { userHandle: null })), 404, 'passkey_not_registered');
    }
  });
});

// ---------------------------------------------------------------------------------------------
// 3 and 4. Broken public keys at registration; bytes after the CBOR; non-DER signatures.

/** Re-encodes the credential's COSE key with `edit` applied to its map. */
const editCose = (edit: (m: Map<number, unknown>) => void) => (real: Uint8Array) => {
  const m = isoCBOR.decodeFirst<Map<number, unknown>>(new Uint8Array(real));
  edit(m);
  return new Uint8Array(isoCBOR.encode(m as never));
};
const flipLast = (v: unknown) => {
  const c = new Uint8Array(v as Uint8Array);
  c[c.length - 1]! ^= 1;
  return c;
};

describe('registration refuses a public key that sign-in could never use', { timeout: SLOW_MACHINE_MS }, () => {
  it.each<[string, ConstructorParameters<typeof SoftwareAuthenticator>[0], (m: Map<number, unknown>) => void]>([
    ['a P-256 point off the curve', {}, (m) => m.set(-3, flipLast(m.get(-3)))],
    ['a truncated P-256 x', {}, (m) => m.set(-2, (m.get(-2) as Uint8Array).subarray(1))],
    ['a P-256 key without y', {}, (m) => m.delete(-3)],
    ['a 31-byte Ed25519 key', { alg: 'EdDSA' }, (m) => m.set(-2, (m.get(-2) as Uint8Array).subarray(1))],
    ['an RSA key with an even exponent', { alg: 'RS256' }, (m) => m.set(-2, new Uint8Array([1, 0, 0]))],
    ['an RSA key with a 1024-bit modulus', { alg: 'RS256' }, (m) => m.set(-1, (m.get(-1) as Uint8Array).subarray(128))],
  ])('refuses %s at sign-up and when adding a passkey', async (_, opts, edit) => {
    const server = await newServer();
    const users = await countUsers(server);
    const b = server.browser();
    const { signUp: su, options } = await startSignUp(b, { username: 'brokenkey' });
    const credential = await new SoftwareAuthenticator(opts).create(options, { origin: DEV_ORIGIN, tamper: { cosePublicKey: editCose(edit) } });
    expectError(await b.post(`/v1/client/sign_ups/${su.id}/attempt_verification`, { strategy: 'passkey', public_key_credential: credential }), 400, 'passkey_registration_failure');
    expect(await countUsers(server)).toBe(users);

    const { b: owner, sessionId } = await signedIn(server, 'haskey');
    const pending = expectOk(await owner.post(`/v1/me/passkeys?_clerk_session_id=${sessionId}`)).response;
    const added = await new SoftwareAuthenticator(opts).create(JSON.parse(pending.verification.nonce), { origin: DEV_ORIGIN, tamper: { cosePublicKey: editCose(edit) } });
    const res = await owner.post(`/v1/me/passkeys/${pending.id}/attempt_verification?_clerk_session_id=${sessionId}`, { strategy: 'passkey', public_key_credential: added });
    expectError(res, 400, 'passkey_registration_failure');
    expect(expectOk(await owner.get(`/v1/me?_clerk_session_id=${sessionId}`)).response.passkeys).toHaveLength(1);
  });

  it('accepts the same keys unedited (positive control)', async () => {
    const server = await newServer();
    for (const alg of ['ES256', 'EdDSA', 'RS256'] as const) {
      await signUp(server.browser(), new SoftwareAuthenticator({ alg }), { username: `ok-${alg.toLowerCase()}` });
    }
  });
});

describe('non-canonical encodings are refused', { timeout: SLOW_MACHINE_MS }, () => {
  it('refuses an attestation object with bytes after its CBOR map', async () => {
    const server = await newServer();
    for (const suffix of [[0x00], [0xa0], [0x01, 0x02, 0x03]]) {
      const b = server.browser();
      const { signUp: su, options } = await startSignUp(b, { username: `trailing${suffix.length}${suffix[0]}` });
      const credential = await new SoftwareAuthenticator().create(options, { origin: DEV_ORIGIN, tamper: { attestationObjectSuffix: new Uint8Array(suffix) } });
      expectError(await b.post(`/v1/client/sign_ups/${su.id}/attempt_verification`, { strategy: 'passkey', public_key_credential: credential }), 400, 'passkey_registration_failure');
    }
    const { b, sessionId } = await signedIn(server, 'adder');
    const pending = expectOk(await b.post(`/v1/me/passkeys?_clerk_session_id=${sessionId}`)).response;
    const added = await new SoftwareAuthenticator().create(JSON.parse(pending.verification.nonce), { origin: DEV_ORIGIN, tamper: { attestationObjectSuffix: new Uint8Array([0]) } });
    expectError(
      await b.post(`/v1/me/passkeys/${pending.id}/attempt_verification?_clerk_session_id=${sessionId}`, { strategy: 'passkey', public_key_credential: added }),
      400,
      'passkey_registration_failure',
    );
    expect((await addPasskey(b, sessionId, new SoftwareAuthenticator())).status).toBe(200); // control
  });

  it('refuses an ECDSA signature with a trailing byte, and takes the same signature without it', async () => {
    const server = await newServer();
    const { b, auth } = await signedIn(server, 'derstrict');
    for (const suffix of [[0x00], [0x02, 0x01, 0x00]]) {
      const { signIn, options } = await startIdentifierFirst(b, 'derstrict');
      const assertion = await auth.get(options, { origin: DEV_ORIGIN, tamper: { signatureSuffix: new Uint8Array(suffix) } });
      expectError(await attemptSignIn(b, signIn.id, assertion), 400, 'passkey_authentication_failure');
    }
    const { signIn, options } = await startIdentifierFirst(b, 'derstrict');
    expect(expectOk(await attemptSignIn(b, signIn.id, await auth.get(options, { origin: DEV_ORIGIN }))).response.status).toBe('complete');
  });
});

// ---------------------------------------------------------------------------------------------
// 5. `azp` only from allowed origins.

describe('session tokens name only an allowed origin as azp', { timeout: SLOW_MACHINE_MS }, () => {
  const azpOf = (r: ApiResult) => {
    const jwt = expectOk(r).client.sessions[0].last_active_token.jwt as string;
    return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()).azp as string | undefined;
  };

  it('mints without azp when GET /v1/client claims a foreign Origin or Referer, and with it for an allowed one', async () => {
    const server = await newServer();
    const { b } = await signedIn(server, 'azpuser');
    b.origin = 'https://evil.example';
    expect(azpOf(await b.get('/v1/client'))).toBeUndefined();
    b.origin = 'null';
    expect(azpOf(await b.get('/v1/client'))).toBeUndefined();
    b.origin = null;
    for (const referer of ['https://evil.example/page', 'http://localhost.evil.example:3000/', 'not a url']) {
      expect(azpOf(await b.request('GET', '/v1/client', undefined, { headers: { referer } }))).toBeUndefined();
    }
    // Controls: an allowed Origin, and an allowed page's Referer, become azp.
    b.origin = DEV_ORIGIN;
    expect(azpOf(await b.get('/v1/client'))).toBe(DEV_ORIGIN);
    b.origin = null;
    expect(azpOf(await b.request('GET', '/v1/client', undefined, { headers: { referer: 'http://localhost:4000/account' } }))).toBe('http://localhost:4000');
  });

  it('never mints a token naming a foreign origin on an instance with a domain', async () => {
    const server = await newServer({ config: { mode: 'production' }, settings: { domain: 'example.com' } });
    const b = server.browser({ origin: 'https://app.example.com' });
    await signUp(b, new SoftwareAuthenticator(), { username: 'azpprod' });
    expect(azpOf(await b.get('/v1/client'))).toBe('https://app.example.com');
    for (const origin of ['https://evil.example', 'https://example-admin.com', 'http://app.example.com']) {
      b.origin = origin;
      expect(azpOf(await b.get('/v1/client'))).toBeUndefined();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// 6. Headers: no-store, the `__Host-` client cookie, CSP on served pages.

describe('headers', { timeout: SLOW_MACHINE_MS }, () => {
  it('sends Cache-Control: no-store on every frontend API answer, errors and tokens included', async () => {
    const server = await newServer();
    const { b, sessionId } = await signedIn(server, 'nostore');
    const answers: [string, ApiResult][] = [
      ['client', await b.get('/v1/client')],
      ['environment', await b.get('/v1/environment')],
      ['touch', await b.post(`/v1/client/sessions/${sessionId}/touch`)],
      ['tokens', await b.post(`/v1/client/sessions/${sessionId}/tokens`)],
      ['me', await b.get(`/v1/me?_clerk_session_id=${sessionId}`)],
      ['sign-in', await server.browser().post('/v1/client/sign_ins', { strategy: 'passkey' })],
      ['error', await b.post('/v1/client/sign_ins', { identifier: 'a\u0000' })],
      ['unknown id', await b.get('/v1/client/sign_ins/%00')],
      ['Clerk proxy path', await b.get('/__clerk/v1/client')],
    ];
    for (const [what, r] of answers) expect({ what, cacheControl: r.headers.get('cache-control') }).toEqual({ what, cacheControl: 'no-store' });
  });

  const cookiesOf = (res: Response) => res.headers.getSetCookie();
  const post = (server: TestServer, path: string, cookie?: string, body?: Record<string, string>) =>
    server.app.request(path, {
      method: 'POST',
      headers: { origin: DEV_ORIGIN, 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
      body: new URLSearchParams(body ?? {}).toString(),
    });

  it('names the client cookie __Host-client (Secure, Path=/, no Domain) when the public URL is https', async () => {
    const server = await newServer({ config: { publicUrl: 'https://localhost:4000' } });
    const res = await post(server, '/v1/client/sign_ins', undefined, { strategy: 'passkey' });
    expect(res.status).toBe(200);
    const [cookie, ...rest] = cookiesOf(res);
    expect(rest).toEqual([]);
    expect(cookie).toMatch(/^__Host-client=[A-Za-z0-9_-]{43}; /);
    const attrs = cookie!.split('; ').slice(1).map((a) => a.split('=')[0]!.toLowerCase());
    expect(attrs).toEqual(expect.arrayContaining(['path', 'httponly', 'secure', 'samesite']));
    expect(attrs).not.toContain('domain');
    expect(cookie).toContain('Path=/;');
    const token = cookie!.split(';')[0]!.split('=')[1]!;
    // The new name identifies the client…
    const viaNew = await server.app.request('/v1/client', { headers: { cookie: `__Host-client=${token}` } });
    expect(((await viaNew.json()) as any).response).not.toBeNull();
    // …and so does the old one, for browsers that still hold it (the transition).
    const viaOld = await server.app.request('/v1/client', { headers: { cookie: `__client=${token}` } });
    expect(((await viaOld.json()) as any).response).not.toBeNull();
    // A cookie that is neither names no client.
    const other = await server.app.request('/v1/client', { headers: { cookie: `client=${token}; __Secure-client=${token}` } });
    expect(((await other.json()) as any).response).toBeNull();
  });

  it('moves a browser holding the old __client cookie to __Host-client at its next sign-in, expiring the old one', async () => {
    const server = await newServer({ config: { publicUrl: 'https://localhost:4000' } });
    const auth = new SoftwareAuthenticator();
    const b = server.browser();
    await signUp(b, auth, { username: 'mover' }); // the harness jar sends `__client`, as an old browser would
    const created = await post(server, '/v1/client/sign_ins', `__client=${b.cookie}`, { strategy: 'passkey' });
    const signIn = ((await created.json()) as any).response;
    const assertion = await auth.get(JSON.parse(signIn.first_factor_verification.nonce), { origin: DEV_ORIGIN });
    const done = await post(server, `/v1/client/sign_ins/${signIn.id}/attempt_first_factor`, `__client=${b.cookie}`, {
      strategy: 'passkey',
      public_key_credential: JSON.stringify(assertion),
    });
    expect(((await done.json()) as any).response.status).toBe('complete');
    const cookies = cookiesOf(done);
    expect(cookies.find((c) => c.startsWith('__Host-client='))).toMatch(/Secure/);
    expect(cookies.find((c) => c.startsWith('__client='))).toMatch(/^__client=; Max-Age=0; Path=\//);
  });

  it('keeps the __client name over plain http (development)', async () => {
    const server = await newServer();
    const res = await post(server, '/v1/client/sign_ins', undefined, { strategy: 'passkey' });
    expect(cookiesOf(res)).toEqual([expect.stringMatching(/^__client=[A-Za-z0-9_-]{43}; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Lax$/)]);
  });

  it('serves pages with a CSP that forbids framing, and leaves the APIs without one', async () => {
    const server = await newServer();
    const root = await mkdtemp(path.join(tmpdir(), 'latchkey-static-'));
    try {
      await writeFile(path.join(root, 'index.html'), '<!doctype html><title>app</title><script type="module" src="/app.js"></script>');
      await writeFile(path.join(root, 'app.js'), 'console.log(1)');
      mountWebApp(server.app, root);
      for (const page of ['/', '/sign-in', '/passkeys/deep/link', '/app.js']) {
        const res = await server.app.request(page);
        expect(res.status).toBe(200);
        const csp = res.headers.get('content-security-policy') ?? '';
        expect({ page, frameAncestors: csp.split('; ').find((d) => d.startsWith('frame-ancestors')), xfo: res.headers.get('x-frame-options') }).toEqual({
          page,
          frameAncestors: "frame-ancestors 'none'",
          xfo: 'DENY',
        });
        // No inline script may run (styles may be inline: the components insert theirs).
        expect(csp.split('; ').find((d) => d.startsWith('script-src'))).toBe("script-src 'self'");
      }
      const api = await server.app.request('/v1/environment');
      expect(api.headers.get('content-security-policy')).toBeNull();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
